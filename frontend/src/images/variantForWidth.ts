/**
 * Which variant to load for a rendered width. The variants form a ladder the uploader keeps
 * (README.md, "Variants"): `thumbnail` at most 480 px wide, `preview` at most 1280 px, `original`
 * as taken. The smallest variant at least as wide as the request wins, never one larger than
 * `largest` (a gallery tile does not fetch originals, whatever the screen).
 */

/** The image variants ordered by size; `placeholder` is a blurred stand-in, never chosen by width. */
export const IMAGE_VARIANTS = ['thumbnail', 'preview', 'original'] as const;
export type ImageVariant = (typeof IMAGE_VARIANTS)[number];

/** The widest image each variant holds (pixels). */
export const VARIANT_WIDTH: Readonly<Record<Exclude<ImageVariant, 'original'>, number>> = { thumbnail: 480, preview: 1280 };

/** The widths `<Image>` offers in its srcset: one per variant (next.config.ts `images`). */
export const IMAGE_WIDTHS = { imageSizes: [VARIANT_WIDTH.thumbnail], deviceSizes: [VARIANT_WIDTH.preview, 2560] } as const;

export function isImageVariant(value: unknown): value is ImageVariant {
    return typeof value === 'string' && (IMAGE_VARIANTS as readonly string[]).includes(value);
}

export function variantForWidth(width: number, largest: ImageVariant = 'original'): ImageVariant {
    const cap = IMAGE_VARIANTS.indexOf(largest);
    let chosen: ImageVariant = 'original';
    if (!(width > VARIANT_WIDTH.preview)) chosen = 'preview'; // NaN and 0 fall to the smallest below
    if (!(width > VARIANT_WIDTH.thumbnail)) chosen = 'thumbnail';
    return IMAGE_VARIANTS.indexOf(chosen) > cap ? largest : chosen;
}

/** The variants a view showing up to `largest` may load (plus the placeholder shown meanwhile). */
export function variantsUpTo(largest: ImageVariant): ImageVariant[] {
    return IMAGE_VARIANTS.slice(0, IMAGE_VARIANTS.indexOf(largest) + 1);
}
