/** Props shared by AssetImage (direct URL) and CustomImage (agent fallback). */
import type { ImageVariant } from '../images/variantForWidth';

export interface AssetImageProps {
    readonly memoryId: string;
    /** The largest variant this view may load; smaller ones are chosen by rendered width. */
    readonly largest: ImageVariant;
    readonly assetId?: string;
    readonly alt: string;
    /** `fill` layouts: the rendered width as a media condition list (the `<img sizes>` attribute). */
    readonly sizes?: string;
    /** Fixed layouts. */
    readonly width?: number;
    readonly height?: number;
    readonly fill?: boolean;
    /** Load at once (above the fold) instead of when scrolled near. */
    readonly eager?: boolean;
    /** Show the `placeholder` variant, blurred, until the image has loaded. */
    readonly withPlaceholder?: boolean;
    readonly className?: string;
}
