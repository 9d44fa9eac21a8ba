/** What a gallery tile may load: thumbnails (previews on dense screens) and the placeholder. */
import type { ImageVariant } from '../images/variantForWidth';
import { tokenVariantsFor } from '../components/assetVariants';

export const GALLERY_LARGEST: ImageVariant = 'preview';
export const GALLERY_TOKEN_VARIANTS = tokenVariantsFor(GALLERY_LARGEST, true);
/** Tiles are at most about 320 CSS px wide (globals.css grid). */
export const GALLERY_TILE_SIZES = '(max-width: 480px) 50vw, 320px';
