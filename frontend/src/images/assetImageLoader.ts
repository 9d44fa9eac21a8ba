/**
 * next.config.ts `images.loaderFile`: every `<Image>` URL comes from here, so Next's image
 * optimizer (`/_next/image`) is never used (it would fetch tokenized private images server-side
 * and cache them as public).
 */
import type { ImageLoaderProps } from 'next/image';
import { assetUrlForWidth } from './assetImageSrc';

export default function assetImageLoader({ src, width }: ImageLoaderProps): string {
    return assetUrlForWidth(src, width);
}
