/**
 * Revocations pushed by the auth canister (docs/bucket-interface.md, "Revocation"): for a memory,
 * every token issued before a given second is void, so a revoked share, a transfer or a deletion
 * takes effect at once instead of at the tokens' expiry. Stored in a key-value store (stable
 * memory) and mirrored in a heap map that http_request reads with one lookup.
 *
 * State stays bounded: an entry is dropped once no token it could void can still verify, i.e.
 * after the longest token lifetime, the clock skew and the stream grace have passed.
 */
import { DEFAULT_SKEW_SECONDS, isValidId, MAX_TOKEN_LIFETIME_SECONDS, type KeyValueStore } from '@icp-private-assets/shared';

export interface Revocation {
    readonly memoryId: string;
    /** Tokens for the memory with `iat` below this (Unix seconds) are void. */
    readonly notBefore: number;
}

/** Entries one push may carry (the auth canister sends larger backlogs in several pushes). */
export const MAX_REVOCATIONS_PER_PUSH = 1_000;
/** A cutoff further ahead than this is refused: the auth canister's clock is the bucket's, within skew. */
const MAX_FUTURE_SECONDS = 3_600;

export type ApplyResult = { Ok: { active: number } } | { Err: { Invalid: string } };

export class TokenRevocations {
    #cutoffs = new Map<string, number>();

    constructor(private readonly store: KeyValueStore<string>) {}

    /** Rebuilds the heap map from the store (after install and upgrade). */
    load(): void {
        this.#cutoffs = new Map(this.store.keys().map((memoryId) => [memoryId, Number(this.store.get(memoryId))]));
    }

    /** The cutoff for a memory, if a revocation is held. */
    notBefore(memoryId: string): number | undefined {
        return this.#cutoffs.get(memoryId);
    }

    get size(): number {
        return this.#cutoffs.size;
    }

    /**
     * Merges a push: a cutoff only moves forward, so retries and reordered pushes are harmless.
     * All-or-nothing: an invalid entry refuses the whole push.
     */
    apply(entries: readonly Revocation[], nowSeconds: number): ApplyResult {
        if (entries.length > MAX_REVOCATIONS_PER_PUSH) return { Err: { Invalid: `at most ${MAX_REVOCATIONS_PER_PUSH} revocations per push` } };
        for (const entry of entries) {
            if (!isValidId(entry.memoryId)) return { Err: { Invalid: 'invalid memory id' } };
            if (!Number.isSafeInteger(entry.notBefore) || entry.notBefore < 0 || entry.notBefore > nowSeconds + MAX_FUTURE_SECONDS) {
                return { Err: { Invalid: 'not_before must be a time in seconds, at most an hour ahead' } };
            }
        }
        for (const { memoryId, notBefore } of entries) {
            const current = this.#cutoffs.get(memoryId);
            if (current !== undefined && current >= notBefore) continue;
            this.#cutoffs.set(memoryId, notBefore);
            this.store.insert(memoryId, String(notBefore));
        }
        return { Ok: { active: this.#cutoffs.size } };
    }

    /** Drops entries that can no longer void anything; returns how many. */
    sweep(nowSeconds: number, streamGraceSeconds: number): number {
        const retention = MAX_TOKEN_LIFETIME_SECONDS + DEFAULT_SKEW_SECONDS + streamGraceSeconds;
        let dropped = 0;
        for (const [memoryId, notBefore] of this.#cutoffs) {
            if (notBefore + retention >= nowSeconds) continue;
            this.#cutoffs.delete(memoryId);
            this.store.remove(memoryId);
            dropped += 1;
        }
        return dropped;
    }
}
