/**
 * Fetching an asset's bytes from its URL with progress (for the original on demand and
 * downloads). The status and `X-Token-Error` of a refusal are read directly (CORS exposes them).
 */
import { classifyAssetResponse, type AssetFailure } from './assetFailure';

export class AssetFetchError extends Error {
    override name = 'AssetFetchError';
    constructor(readonly failure: AssetFailure) {
        super(`asset not loaded: ${failure.kind}`);
    }
}

export interface FetchedAsset {
    readonly blob: Blob;
    readonly contentType: string;
}

export async function fetchAssetBytes(url: string, onProgress: (loaded: number, total: number | undefined) => void, signal?: AbortSignal): Promise<FetchedAsset> {
    let response: Response;
    try {
        response = await fetch(url, { cache: 'no-store', credentials: 'omit', signal });
    } catch (error) {
        if (signal?.aborted) throw error;
        throw new AssetFetchError({ kind: 'unavailable' });
    }
    if (!response.ok) throw new AssetFetchError(classifyAssetResponse({ status: response.status, tokenError: response.headers.get('x-token-error') }));
    const contentType = response.headers.get('content-type') ?? 'application/octet-stream';
    const length = Number(response.headers.get('content-length'));
    const total = Number.isFinite(length) && length > 0 ? length : undefined;
    if (!response.body) return { blob: await response.blob(), contentType };
    const reader = response.body.getReader();
    const parts: Uint8Array[] = [];
    let loaded = 0;
    for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(value);
        loaded += value.length;
        onProgress(loaded, total);
    }
    return { blob: new Blob(parts as BlobPart[], { type: contentType }), contentType };
}
