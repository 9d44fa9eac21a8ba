/**
 * Registered buckets: capacity and usage, status, placement of new memories, and each bucket's
 * key-distribution state (what it acknowledged, retries). One record per bucket plus an ordered
 * list of ids, all small: there are tens of buckets, not millions.
 */
import type { KeyValueStore } from '@icp-private-assets/shared';
import type { RevocationPushState } from './revocationOutbox';
import { decodeBucket, encodeBucket } from './storedRecords';

export const BUCKET_STATUSES = ['active', 'full', 'draining'] as const;
export type BucketStatus = (typeof BUCKET_STATUSES)[number];

export interface BucketRecord extends RevocationPushState {
    readonly id: string;
    status: BucketStatus;
    capacityBytes: number;
    usedBytes: number;
    memoryCount: number;
    /** Nanoseconds, decimal strings. */
    readonly registeredAt: string;
    usageRefreshedAt?: string;
    /** Key distribution: the keyring version and active kid the bucket last acknowledged. */
    ackedVersion: string;
    ackedKid?: string;
    /** When the bucket first acknowledged `ackedKid` (retirement waits for the overlap after this). */
    ackedKidSince?: string;
    lastPushAt?: string;
    lastError?: string;
    failedAttempts: number;
    nextRetryAt?: string;
    pushInFlight: boolean;
}

const ORDER_KEY = 'order';
const bucketKey = (id: string) => `b:${id}`;

/** Backoff after the nth consecutive failed push: 5 s, 10 s, 20 s … capped at 5 minutes. */
export function retryDelayNanos(failedAttempts: number): bigint {
    const seconds = Math.min(5 * 2 ** Math.max(0, failedAttempts - 1), 300);
    return BigInt(seconds) * 1_000_000_000n;
}

export class BucketRegistry {
    constructor(private readonly store: KeyValueStore<string>) {}

    ids(): string[] {
        const raw = this.store.get(ORDER_KEY);
        return raw ? (JSON.parse(raw) as string[]) : [];
    }

    list(): BucketRecord[] {
        return this.ids().map((id) => this.get(id)!);
    }

    get(id: string): BucketRecord | undefined {
        const raw = this.store.get(bucketKey(id));
        return raw === undefined ? undefined : decodeBucket(raw);
    }

    register(id: string, capacityBytes: number, now: bigint): BucketRecord | undefined {
        if (this.get(id)) return undefined;
        const record: BucketRecord = {
            id,
            status: 'active',
            capacityBytes,
            usedBytes: 0,
            memoryCount: 0,
            registeredAt: now.toString(),
            ackedVersion: '0',
            failedAttempts: 0,
            pushInFlight: false
        };
        this.#save(record);
        this.store.insert(ORDER_KEY, JSON.stringify([...this.ids(), id]));
        return record;
    }

    /** Removes a bucket (unregister_bucket); placement never sees it again. */
    remove(id: string): boolean {
        if (!this.get(id)) return false;
        this.store.remove(bucketKey(id));
        this.store.insert(ORDER_KEY, JSON.stringify(this.ids().filter((other) => other !== id)));
        return true;
    }

    /** Applies `change` to the stored record (read again now: callers may hold a stale copy across an await). */
    update(id: string, change: (record: BucketRecord) => void): BucketRecord | undefined {
        const record = this.get(id);
        if (!record) return undefined;
        change(record);
        this.#save(record);
        return record;
    }

    /**
     * The bucket for a new memory: active, with free capacity, the most free bytes; ties go to
     * fewer memories, then to the earliest registered.
     */
    place(): BucketRecord | undefined {
        let best: BucketRecord | undefined;
        for (const bucket of this.list()) {
            if (bucket.status !== 'active' || bucket.usedBytes >= bucket.capacityBytes) continue;
            if (!best) {
                best = bucket;
                continue;
            }
            const free = bucket.capacityBytes - bucket.usedBytes;
            const bestFree = best.capacityBytes - best.usedBytes;
            if (free > bestFree || (free === bestFree && bucket.memoryCount < best.memoryCount)) best = bucket;
        }
        return best;
    }

    /** Records measured usage; an active bucket without free capacity becomes full. */
    recordUsage(id: string, usedBytes: number, now: bigint): BucketRecord | undefined {
        return this.update(id, (b) => {
            b.usedBytes = usedBytes;
            b.usageRefreshedAt = now.toString();
            if (b.status === 'active' && usedBytes >= b.capacityBytes) b.status = 'full';
        });
    }

    #save(record: BucketRecord): void {
        this.store.insert(bucketKey(record.id), encodeBucket(record));
    }
}
