/** The token store's mint call: one `mint_http_tokens` query per batch. */
import type { Variant } from '@icp-private-assets/shared';
import type { MintBatch } from '../tokens/mintBatches';
import type { MintCall, MintOutcome } from '../tokens/tokenStore';
import type { AuthService } from './authService';
import { mintOutcome } from './mintOutcome';

export function createMintCall(auth: AuthService, ttlSeconds: number | undefined): MintCall {
    return async (batch: MintBatch) => {
        const results = await auth.mint_http_tokens({
            memory_ids: [...batch.memoryIds],
            variants: batch.variants.map((variant: Variant) => ({ [variant]: null }) as never),
            ttl_seconds: ttlSeconds === undefined ? [] : [ttlSeconds]
        });
        const outcomes = new Map<string, MintOutcome>();
        for (const { memory_id, result } of results) outcomes.set(memory_id, mintOutcome(result));
        return outcomes;
    };
}
