/**
 * get_asset_chunk: the agent fallback for clients that cannot use an HTTP URL (the frontend's
 * blob-URL component). Same token check as http_request; answers one stored chunk at a time.
 */
import { isValidId, type Variant } from '@icp-private-assets/shared';
import type { AssetStore } from './assetStore';
import { tokenError, verifyRead, type ReadAccessContext } from './readAccess';
import { etagOf } from './responseHeaders';

export type AssetError =
    | { Token: { code: string; detail: string; status: number } }
    | { NotFound: null }
    | { InvalidRequest: string }
    | { ChunkOutOfRange: { chunk_count: number } };

export interface AssetChunk {
    bytes: Uint8Array;
    index: number;
    chunk_count: number;
    chunk_size: number;
    size: bigint;
    content_type: string;
    etag: string;
}

export interface ChunkRequest {
    readonly token: string;
    readonly memoryId: string;
    readonly variant: Variant;
    readonly assetId?: string;
    readonly index: number;
}

export function assetChunk(
    request: ChunkRequest,
    ctx: ReadAccessContext & { readonly nowSeconds: number; readonly assets: AssetStore }
): { Ok: AssetChunk } | { Err: AssetError } {
    if (!isValidId(request.memoryId) || (request.assetId !== undefined && !isValidId(request.assetId))) {
        return { Err: { InvalidRequest: 'memory and asset ids must be 1..64 characters of [A-Za-z0-9_-]' } };
    }
    const locator = { memoryId: request.memoryId, variant: request.variant, ...(request.assetId !== undefined ? { assetId: request.assetId } : {}) };
    const verified = verifyRead(request.token, locator, ctx, ctx.nowSeconds);
    if (!verified.ok) return { Err: tokenError(verified.code) };
    const record = ctx.assets.find(request.memoryId, request.variant, request.assetId ?? '');
    if (!record) return { Err: { NotFound: null } };
    if (request.index >= record.chunkCount) return { Err: { ChunkOutOfRange: { chunk_count: record.chunkCount } } };
    const start = request.index * record.chunkSize;
    return {
        Ok: {
            bytes: ctx.assets.readRange(record, start, Math.min(record.size, start + record.chunkSize)),
            index: request.index,
            chunk_count: record.chunkCount,
            chunk_size: record.chunkSize,
            size: BigInt(record.size),
            content_type: record.contentType,
            etag: etagOf(record.sha256)
        }
    };
}
