import { describe, expect, it } from 'vitest';
import { MemoryStore } from '@icp-private-assets/shared';
import { retryDelayNanos } from '../src/bucketRegistry';
import {
    MAX_CUTOFF_LEAD_SECONDS,
    recordRevocationPush,
    REVOCATION_RELEVANCE_SECONDS,
    RevocationOutbox,
    revocationCutoff,
    revocationPushDue,
    REVOCATIONS_PER_PUSH,
    type RevocationPushState
} from '../src/revocationOutbox';

const B1 = 'bucket-1';
const B2 = 'bucket-2';
const NOW = 1_800_000_000;

describe('RevocationOutbox', () => {
    it('queues cutoffs per bucket, keeping the latest per memory', () => {
        const outbox = new RevocationOutbox(new MemoryStore());
        outbox.add(B1, 'm1', NOW);
        outbox.add(B1, 'm1', NOW - 5);
        outbox.add(B1, 'm2', NOW + 1);
        outbox.add(B2, 'm3', NOW);
        outbox.add(B1, 'm1', NOW + 2);
        expect(outbox.batch(B1, NOW)).toEqual([
            { memoryId: 'm2', notBefore: NOW + 1 },
            { memoryId: 'm1', notBefore: NOW + 2 }
        ]);
        expect([outbox.count(B1), outbox.count(B2)]).toEqual([2, 1]);
    });

    it('removes what was acknowledged, but not a later cutoff queued while the push was in flight', () => {
        const store = new MemoryStore<string>();
        const outbox = new RevocationOutbox(store);
        outbox.add(B1, 'm1', NOW);
        outbox.add(B1, 'm2', NOW);
        const pushed = outbox.batch(B1, NOW);
        outbox.add(B1, 'm2', NOW + 10);
        outbox.acknowledge(B1, pushed);
        expect(outbox.batch(B1, NOW)).toEqual([{ memoryId: 'm2', notBefore: NOW + 10 }]);
        outbox.acknowledge(B1, outbox.batch(B1, NOW));
        expect(outbox.count(B1)).toBe(0);
        expect(store.map.size).toBe(0);
    });

    it('pushes in batches and forgets cutoffs that can no longer void any token', () => {
        const outbox = new RevocationOutbox(new MemoryStore());
        for (let i = 0; i < REVOCATIONS_PER_PUSH + 20; i++) outbox.add(B1, `m${i}`, NOW + i);
        expect(outbox.batch(B1, NOW)).toHaveLength(REVOCATIONS_PER_PUSH);
        expect(outbox.batch(B1, NOW)[0]).toEqual({ memoryId: 'm0', notBefore: NOW });
        const later = outbox.batch(B1, NOW + REVOCATION_RELEVANCE_SECONDS + 10);
        expect(later[0]).toEqual({ memoryId: 'm10', notBefore: NOW + 10 });
        expect(outbox.count(B1)).toBe(REVOCATIONS_PER_PUSH + 10);
    });

    it('takes the cutoff as the next whole second after the revocation, past any previous cutoff', () => {
        expect(revocationCutoff(1_800_000_000_999_999_999n)).toBe(1_800_000_001);
        expect(revocationCutoff(1_800_000_000_000_000_000n)).toBe(1_800_000_001);
        // A second revocation in the same second voids the tokens minted since the first (their iat is its cutoff).
        expect(revocationCutoff(1_800_000_000_500_000_000n, 1_800_000_001)).toBe(1_800_000_002);
        expect(revocationCutoff(1_800_000_005_000_000_000n, 1_800_000_001)).toBe(1_800_000_006);
        // Never more than MAX_CUTOFF_LEAD_SECONDS ahead (tokens minted meanwhile must stay within the bucket's skew).
        expect(revocationCutoff(1_800_000_000_000_000_000n, 1_800_000_050)).toBe(1_800_000_000 + MAX_CUTOFF_LEAD_SECONDS);
    });
});

describe('revocation pushes', () => {
    it('are due when something is pending, nothing is in flight and the backoff has passed; failures back off', () => {
        const record: RevocationPushState = {};
        expect(revocationPushDue(record, 0, 0n)).toBe(false);
        expect(revocationPushDue(record, 1, 0n)).toBe(true);
        record.revocationsInFlight = true;
        expect(revocationPushDue(record, 1, 0n)).toBe(false);
        recordRevocationPush(record, { kind: 'failed', error: 'bucket stopped' }, 100n, retryDelayNanos);
        expect(record).toMatchObject({ revocationsInFlight: false, revocationFailures: 1, revocationError: 'bucket stopped', revocationRetryAt: (100n + 5_000_000_000n).toString() });
        expect(revocationPushDue(record, 1, 101n)).toBe(false);
        expect(revocationPushDue(record, 1, 100n + 5_000_000_000n)).toBe(true);
        recordRevocationPush(record, { kind: 'failed', error: 'again' }, 200n, retryDelayNanos);
        expect(record.revocationRetryAt).toBe((200n + 10_000_000_000n).toString());
        recordRevocationPush(record, { kind: 'acknowledged' }, 300n, retryDelayNanos);
        expect(record).toEqual({ revocationsInFlight: false });
    });
});
