/**
 * Why did this URL not load? `<img>` and `<video>` hide the status; a HEAD request for the same
 * URL (no preflight: a simple request) reads the status and `X-Token-Error`, which the buckets'
 * CORS headers expose.
 */
import { classifyAssetResponse, type AssetFailure } from './assetFailure';

export async function probeAsset(url: string): Promise<AssetFailure> {
    try {
        const response = await fetch(url, { method: 'HEAD', cache: 'no-store', credentials: 'omit' });
        return classifyAssetResponse({ status: response.status, tokenError: response.headers.get('x-token-error') });
    } catch {
        return { kind: 'unavailable' };
    }
}
