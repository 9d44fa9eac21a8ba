/**
 * The agent path to an asset's bytes: `get_asset_chunk` queries to the bucket, every chunk, for
 * when the HTTP gateway cannot serve it. Chunks after the first are fetched a few at a time.
 */
import { TOKEN_ERROR_HTTP, tokenErrorCodeFromHeader, type TokenErrorCode, type Variant } from '@icp-private-assets/shared';
import type { AssetFailure } from '../assets/assetFailure';
import { classifyAssetResponse } from '../assets/assetFailure';
import type { AssetChunkRecord, AssetErrorValue, BucketService } from './bucketService';

const PARALLEL_CHUNKS = 4;

export interface AgentAsset {
    readonly bytes: Uint8Array;
    readonly contentType: string;
    readonly etag: string;
}

export class AgentAssetError extends Error {
    override name = 'AgentAssetError';
    constructor(readonly failure: AssetFailure) {
        super(`the bucket refused the asset: ${JSON.stringify(failure)}`);
    }
}

export interface AgentAssetRequest {
    readonly token: string;
    readonly memoryId: string;
    readonly variant: Variant;
    readonly assetId?: string;
}

/** The same classification as the HTTP path (the Token error carries the status and code it would have). */
export function agentAssetFailure(error: AssetErrorValue): AssetFailure {
    if ('Token' in error) {
        const { code, status } = error.Token;
        const known: TokenErrorCode | undefined = code in TOKEN_ERROR_HTTP ? (code as TokenErrorCode) : tokenErrorCodeFromHeader(code);
        return classifyAssetResponse({ status, tokenError: known === undefined ? code : TOKEN_ERROR_HTTP[known].header });
    }
    if ('NotFound' in error) return { kind: 'not-found' };
    return { kind: 'unexpected', status: 400 };
}

export async function fetchAssetViaAgent(
    bucket: BucketService,
    request: AgentAssetRequest,
    onProgress: (loadedBytes: number, totalBytes: number) => void,
    isCancelled: () => boolean = () => false
): Promise<AgentAsset> {
    const chunk = async (index: number): Promise<AssetChunkRecord> => {
        let result: Awaited<ReturnType<BucketService['get_asset_chunk']>>;
        try {
            result = await bucket.get_asset_chunk({
                token: request.token,
                memory_id: request.memoryId,
                variant: { [request.variant]: null } as never,
                asset_id: request.assetId === undefined ? [] : [request.assetId],
                index
            });
        } catch {
            throw new AgentAssetError({ kind: 'unavailable' });
        }
        if ('Err' in result) throw new AgentAssetError(agentAssetFailure(result.Err));
        return result.Ok;
    };
    const first = await chunk(0);
    const size = Number(first.size);
    const bytes = new Uint8Array(size);
    let loaded = 0;
    const place = (part: AssetChunkRecord) => {
        const data = part.bytes instanceof Uint8Array ? part.bytes : Uint8Array.from(part.bytes);
        bytes.set(data, part.index * first.chunk_size);
        loaded += data.length;
        onProgress(loaded, size);
    };
    place(first);
    let next = 1;
    const worker = async () => {
        while (next < first.chunk_count && !isCancelled()) place(await chunk(next++));
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_CHUNKS, first.chunk_count - 1) }, worker));
    return { bytes, contentType: first.content_type, etag: first.etag };
}
