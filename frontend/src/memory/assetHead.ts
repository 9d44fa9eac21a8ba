/** What a HEAD request tells about one asset: whether it is there, its type and size. */
import { classifyAssetResponse, type AssetFailure } from '../assets/assetFailure';

export type AssetHead =
    | { readonly status: 'present'; readonly contentType: string; readonly size: number | undefined }
    | { readonly status: 'absent'; readonly failure: AssetFailure };

export function assetHeadFrom(status: number, headers: { get(name: string): string | null }): AssetHead {
    if (status >= 200 && status < 300) {
        const length = Number(headers.get('content-length'));
        return { status: 'present', contentType: headers.get('content-type') ?? 'application/octet-stream', size: Number.isFinite(length) && length >= 0 && headers.get('content-length') !== null ? length : undefined };
    }
    return { status: 'absent', failure: classifyAssetResponse({ status, tokenError: headers.get('x-token-error') }) };
}
