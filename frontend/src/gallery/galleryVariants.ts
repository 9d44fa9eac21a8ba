/** What a gallery tile may load: thumbnails (previews on dense screens) and the placeholder. */
import type { ImageVariant } from '../images/variantForWidth';
import { tokenVariantsFor } from '../components/assetVariants';

export const GALLERY_LARGEST: ImageVariant = 'preview';
export const GALLERY_TOKEN_VARIANTS = tokenVariantsFor(GALLERY_LARGEST, true);
/** Tiles are at most 320 CSS px wide (globals.css). No `vw` here: Next would then drop the 480 w (thumbnail) candidate from the srcset. */
export const GALLERY_TILE_SIZES = '320px';
