/**
 * The `src` handed to `<Image>` for a private asset is the tokenized URL of the largest variant
 * the view may show, on the memory's own bucket host. The image loader (assetImageLoader.ts)
 * rewrites it per srcset width to a smaller variant on the same host with the same token, so
 * `/_next/image` is never involved and the bytes never pass through any server but the bucket.
 */
import { icAssetUrl, parseAssetLocator, splitRequestTarget, type IcNetwork } from '@icp-private-assets/shared';
import { isImageVariant, variantForWidth, type ImageVariant } from './variantForWidth';

export interface AssetImageParts {
    readonly bucket: string;
    readonly memoryId: string;
    readonly largest: ImageVariant;
    readonly assetId?: string;
    readonly token: string;
    readonly network: IcNetwork;
}

export function assetImageSrc(parts: AssetImageParts): string {
    return icAssetUrl({ bucket: parts.bucket, memoryId: parts.memoryId, variant: parts.largest, assetId: parts.assetId, token: parts.token, network: parts.network });
}

/**
 * The URL to load for `width`: the asset URL with its variant replaced by the one the width
 * needs (never larger than the one in `src`). Anything that is not an asset URL is returned
 * unchanged (static files of the app).
 */
export function assetUrlForWidth(src: string, width: number): string {
    const origin = /^https?:\/\/[^/?#]+/.exec(src)?.[0];
    if (origin === undefined) return src;
    const target = splitRequestTarget(src);
    const parsed = parseAssetLocator(target);
    // Only the path form (what assetImageSrc builds) is rewritten.
    if (!parsed.ok || target.path === '/asset' || !isImageVariant(parsed.locator.variant)) return src;
    const { memoryId, variant, assetId } = parsed.locator;
    const chosen = variantForWidth(width, variant);
    const asset = assetId === undefined ? '' : `/${assetId}`;
    return `${origin}/asset/${memoryId}/${chosen}${asset}${target.query === '' ? '' : `?${target.query}`}`;
}
