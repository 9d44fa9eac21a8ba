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

/** Variants of a mask, in canonical (bit) order. The mask must be a subset of VARIANT_MASK_ALL. */
export function variantsFromMask(mask: number): Variant[] {
    return VARIANTS.filter((variant) => (mask & VARIANT_BITS[variant]) !== 0);
}
