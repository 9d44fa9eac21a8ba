/**
 * list_assets: which assets of one variant a memory holds (a memory of several photos has one
 * asset id per photo), for a client holding a read token of that memory and variant. Tokens
 * restricted to some asset ids do not list (they name what they may read already).
 */
import { isValidId, type Variant } from '@icp-private-assets/shared';
import type { AssetStore } from './assetStore';
import { tokenError, verifyRead, type ReadAccessContext } from './readAccess';
import type { AssetError } from './assetChunkQuery';
import { etagOf } from './responseHeaders';

export interface AssetSummary {
    readonly variant: Variant;
    /** '' for the variant's default asset. */
    readonly assetId: string;
    readonly contentType: string;
    readonly size: number;
    readonly etag: string;
    /** Nanoseconds since the epoch. */
    readonly createdAt: bigint;
}

/** Most assets one memory lists (the auth canister's upload grants name at most 16 asset ids each). */
export const MAX_LISTED_ASSETS = 1_000;

export function listAssets(
    request: { readonly token: string; readonly memoryId: string; readonly variant: Variant },
    ctx: ReadAccessContext & { readonly nowSeconds: number; readonly assets: AssetStore }
): { Ok: AssetSummary[] } | { Err: AssetError } {
    if (!isValidId(request.memoryId)) return { Err: { InvalidRequest: 'memory ids are 1..64 characters of [A-Za-z0-9_-]' } };
    const verified = verifyRead(request.token, { memoryId: request.memoryId, variant: request.variant }, ctx, ctx.nowSeconds);
    if (!verified.ok) return { Err: tokenError(verified.code) };
    const summaries = ctx.assets
        .listMemory(request.memoryId)
        .filter((record) => record.variant === request.variant)
        .slice(0, MAX_LISTED_ASSETS)
        .map((record) => ({
            variant: record.variant,
            assetId: record.assetId,
            contentType: record.contentType,
            size: record.size,
            etag: etagOf(record.sha256),
            createdAt: BigInt(record.createdAt)
        }));
    return { Ok: summaries.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.assetId < b.assetId ? -1 : 1)) };
}
