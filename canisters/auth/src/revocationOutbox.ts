/**
 * Revocations waiting to reach their bucket (docs/auth-interface.md, "Revocation"). When a share
 * is revoked or lowered, ownership is transferred or a memory deleted, every token for the memory
 * issued before a cutoff must stop working at once: the memory's bucket is told by a push
 * (`revoke_tokens`), acknowledged and retried like key pushes. One record per bucket holding its
 * pending cutoffs; entries leave when the bucket acknowledges them, or once no token they could
 * void can still verify (a bucket that was down for a day needs none of them any more).
 */
import { DEFAULT_SKEW_SECONDS, MAX_TOKEN_LIFETIME_SECONDS, type KeyValueStore } from '@icp-private-assets/shared';
import { decodeRevocations, encodeRevocations } from './storedRecords';

export interface PendingRevocation {
    readonly memoryId: string;
    /** Unix seconds: tokens for the memory issued before it are void. */
    readonly notBefore: number;
}

/** Entries per push (the bucket accepts at most 1,000). */
export const REVOCATIONS_PER_PUSH = 500;
/** Longest a bucket keeps streaming on an expired token (its stream_grace_seconds is capped at this). */
const MAX_STREAM_GRACE_SECONDS = 3_600;
/** After this, a cutoff voids nothing: every token issued before it has expired (grace included). */
export const REVOCATION_RELEVANCE_SECONDS = MAX_TOKEN_LIFETIME_SECONDS + DEFAULT_SKEW_SECONDS + MAX_STREAM_GRACE_SECONDS;

type Pending = Record<string, number>;

/** How far ahead of now a cutoff may be: tokens are minted with iat = the cutoff, and buckets accept iat up to 30 s ahead. */
export const MAX_CUTOFF_LEAD_SECONDS = 10;

/**
 * The cutoff for a revocation made at `nowNanos` on a memory whose last cutoff was `previous`:
 * the next whole second, so tokens of this second are void too; and past the previous cutoff,
 * because tokens minted since then carry it as their iat (a second revocation in the same second
 * must still void them).
 */
export function revocationCutoff(nowNanos: bigint, previous = 0): number {
    const now = Number(nowNanos / 1_000_000_000n);
    return Math.min(Math.max(now + 1, previous + 1), now + MAX_CUTOFF_LEAD_SECONDS);
}

export class RevocationOutbox {
    constructor(private readonly store: KeyValueStore<string>) {}

    /** Queues a cutoff for a memory on its bucket; a later cutoff replaces an earlier one. */
    add(bucket: string, memoryId: string, notBefore: number): void {
        const pending = this.#read(bucket);
        if ((pending[memoryId] ?? 0) >= notBefore) return;
        pending[memoryId] = notBefore;
        this.#write(bucket, pending);
    }

    /** The next batch to push to a bucket, oldest cutoffs first; drops entries that no longer matter. */
    batch(bucket: string, nowSeconds: number): PendingRevocation[] {
        const pending = this.#read(bucket);
        let pruned = false;
        for (const [memoryId, notBefore] of Object.entries(pending)) {
            if (notBefore + REVOCATION_RELEVANCE_SECONDS < nowSeconds) {
                delete pending[memoryId];
                pruned = true;
            }
        }
        if (pruned) this.#write(bucket, pending);
        return Object.entries(pending)
            .map(([memoryId, notBefore]) => ({ memoryId, notBefore }))
            .sort((a, b) => a.notBefore - b.notBefore || (a.memoryId < b.memoryId ? -1 : 1))
            .slice(0, REVOCATIONS_PER_PUSH);
    }

    /** Removes what the bucket acknowledged (unless a later cutoff was queued meanwhile). */
    acknowledge(bucket: string, pushed: readonly PendingRevocation[]): void {
        const pending = this.#read(bucket);
        for (const { memoryId, notBefore } of pushed) {
            if (pending[memoryId] !== undefined && pending[memoryId] <= notBefore) delete pending[memoryId];
        }
        this.#write(bucket, pending);
    }

    /** Whether a revocation of the memory still waits for its bucket's acknowledgement. */
    isPending(bucket: string, memoryId: string): boolean {
        return this.#read(bucket)[memoryId] !== undefined;
    }

    count(bucket: string): number {
        return Object.keys(this.#read(bucket)).length;
    }

    /** Drops everything queued for a bucket that left the fleet. */
    clear(bucket: string): void {
        this.store.remove(bucket);
    }

    #read(bucket: string): Pending {
        const raw = this.store.get(bucket);
        return raw === undefined ? {} : decodeRevocations(raw);
    }

    #write(bucket: string, pending: Pending): void {
        if (Object.keys(pending).length === 0) this.store.remove(bucket);
        else this.store.insert(bucket, encodeRevocations(pending));
    }
}

/** A bucket's revocation-push state, kept on its registry record. */
export interface RevocationPushState {
    revocationsInFlight?: boolean;
    revocationFailures?: number;
    /** Nanoseconds, decimal: no push before then (backoff after a failure). */
    revocationRetryAt?: string;
    revocationError?: string;
}

/** Whether to push a bucket's pending revocations now: some pending, none in flight, backoff over. */
export function revocationPushDue(record: RevocationPushState, pending: number, now: bigint): boolean {
    return pending > 0 && !record.revocationsInFlight && (record.revocationRetryAt === undefined || now >= BigInt(record.revocationRetryAt));
}

export type RevocationPushOutcome = { readonly kind: 'acknowledged' } | { readonly kind: 'failed'; readonly error: string };

/** Records a push's outcome (on the record read again after the await); a failure schedules a retry with backoff. */
export function recordRevocationPush(record: RevocationPushState, outcome: RevocationPushOutcome, now: bigint, retryDelay: (attempts: number) => bigint): void {
    record.revocationsInFlight = false;
    if (outcome.kind === 'acknowledged') {
        delete record.revocationFailures;
        delete record.revocationRetryAt;
        delete record.revocationError;
        return;
    }
    record.revocationFailures = (record.revocationFailures ?? 0) + 1;
    record.revocationError = outcome.error;
    record.revocationRetryAt = (now + retryDelay(record.revocationFailures)).toString();
}
