/**
 * Asset variants of a memory. Each variant has a fixed bit in the token's variant mask; the bit
 * assignment is part of the token format (docs/token-format.md) and must never change.
 */

export const VARIANTS = ['thumbnail', 'preview', 'placeholder', 'original'] as const;

export type Variant = (typeof VARIANTS)[number];

const VARIANT_BITS: Record<Variant, number> = {
    thumbnail: 0x01,
    preview: 0x02,
    placeholder: 0x04,
    original: 0x08
};

/** Bits of the mask that name a variant; any other bit makes a token malformed. */
export const VARIANT_MASK_ALL = 0x0f;

export function isVariant(value: unknown): value is Variant {
    return typeof value === 'string' && (VARIANTS as readonly string[]).includes(value);
}

export function variantBit(variant: Variant): number {
    return VARIANT_BITS[variant];
}

/** A variant as a Candid variant value (`{ preview: null }`), the form the canisters' interfaces use. */
export type VariantValue = { [V in Variant]: { [K in V]: null } }[Variant];

export function variantValue(variant: Variant): VariantValue {
    return { [variant]: null } as VariantValue;
}

/** The variant a Candid variant value names (the value comes decoded, so it names exactly one). */
export function variantName(value: VariantValue): Variant {
    return Object.keys(value)[0] as Variant;
}

/** Variants of a mask, in canonical (bit) order. The mask must be a subset of VARIANT_MASK_ALL. */
export function variantsFromMask(mask: number): Variant[] {
    return VARIANTS.filter((variant) => (mask & VARIANT_BITS[variant]) !== 0);
}
