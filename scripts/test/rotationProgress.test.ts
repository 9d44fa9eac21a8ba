import { describe, expect, it } from 'vitest';
import { describeBucket, rotationProgress } from '../src/rotationProgress';

const S = 1_000_000_000n;

describe('rotationProgress', () => {
    it('is done when every bucket holds the rotation kid or a newer one', () => {
        const progress = rotationProgress('k3', [
            { canisterId: 'a', acknowledgedKid: 'k3', acknowledgedVersion: 3n, failedAttempts: 0 },
            { canisterId: 'b', acknowledgedKid: 'k4', acknowledgedVersion: 4n, failedAttempts: 0 }
        ]);
        expect([progress.done, progress.lagging]).toEqual([true, []]);
    });

    it('names the buckets still on an older kid or without any key, comparing kids numerically', () => {
        const progress = rotationProgress('k10', [
            { canisterId: 'a', acknowledgedKid: 'k9', acknowledgedVersion: 9n, failedAttempts: 2, lastError: 'canister stopped', nextRetryAt: 100n * S },
            { canisterId: 'b', acknowledgedKid: 'k10', acknowledgedVersion: 10n, failedAttempts: 0 },
            { canisterId: 'c', acknowledgedVersion: 0n, failedAttempts: 0 }
        ]);
        expect(progress.done).toBe(false);
        expect(progress.lagging.map((b) => b.canisterId)).toEqual(['a', 'c']);
    });

    it('is done with no buckets at all', () => {
        expect(rotationProgress('k2', []).done).toBe(true);
    });
});

describe('describeBucket', () => {
    it('shows acknowledged buckets and why others lag', () => {
        const [done, lagging, fresh] = rotationProgress('k2', [
            { canisterId: 'a', acknowledgedKid: 'k2', acknowledgedVersion: 2n, failedAttempts: 0 },
            { canisterId: 'b', acknowledgedKid: 'k1', acknowledgedVersion: 1n, failedAttempts: 3, lastError: 'canister is stopped', nextRetryAt: 112n * S },
            { canisterId: 'c', acknowledgedVersion: 0n, failedAttempts: 0 }
        ]).buckets;
        expect(describeBucket(done!, 'k2', 100n * S)).toBe('  a  k2 ✓ acknowledged');
        expect(describeBucket(lagging!, 'k2', 100n * S)).toBe('  b  k1 → k2 pending (3 failed pushes, retry in 12 s: canister is stopped)');
        expect(describeBucket(fresh!, 'k2', 100n * S)).toBe('  c  no key → k2 pending');
    });
});
