/** A bucket canister's agent fallback (`get_asset_chunk`), over the bucket package's Candid. */
import { Actor, type HttpAgent } from '@icp-sdk/core/agent';
import { idlFactory } from '@icp-private-assets/bucket/candid';
import type { VariantValue } from '@icp-private-assets/bucket/candid';

export interface AssetChunkRecord {
    bytes: Uint8Array | number[];
    index: number;
    chunk_count: number;
    chunk_size: number;
    size: bigint;
    content_type: string;
    etag: string;
}

export type AssetErrorValue =
    | { Token: { code: string; detail: string; status: number } }
    | { NotFound: null }
    | { InvalidRequest: string }
    | { ChunkOutOfRange: { chunk_count: number } };

export interface BucketService {
    get_asset_chunk(arg: {
        token: string;
        memory_id: string;
        variant: VariantValue;
        asset_id: [] | [string];
        index: number;
    }): Promise<{ Ok: AssetChunkRecord } | { Err: AssetErrorValue }>;
}

export function createBucketService(agent: HttpAgent, canisterId: string): BucketService {
    return Actor.createActor(idlFactory as never, { agent, canisterId }) as unknown as BucketService;
}
