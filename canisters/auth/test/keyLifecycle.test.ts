import { describe, expect, it } from 'vitest';
import { Keyring, verifyToken, mintToken } from '@icp-private-assets/shared';
import { MemoryStore } from '@icp-private-assets/shared';
import { BucketRegistry, retryDelayNanos } from '../src/bucketRegistry';
import {
    abandonRotation,
    completeRotation,
    EMPTY_KEY_STATE,
    FORCED_RETIREMENT_NANOS,
    keyringFor,
    mintingMaster,
    pushesDue,
    reserveRotation,
    retirable,
    retire
} from '../src/keyLifecycle';

const S = 1_000_000_000n;
const BUCKET_A = 'ryjl3-tyaaa-aaaaa-aaaba-cai';
const BUCKET_B = 'r7inp-6aaaa-aaaaa-aaabq-cai';
const secret = (fill: number) => new Uint8Array(32).fill(fill);

function rotate(state = EMPTY_KEY_STATE, now = 100n * S, fill = 1) {
    const reserved = reserveRotation(state, now);
    return { state: completeRotation(reserved.state, reserved.kid, secret(fill), now), kid: reserved.kid };
}

describe('rotations', () => {
    it('creates k1 active, then k2 active with k1 verify-only, bumping the version each time', () => {
        const first = rotate();
        expect(first.kid).toBe('k1');
        expect(first.state.version).toBe('1');
        const second = rotate(first.state, 200n * S, 2);
        expect(second.kid).toBe('k2');
        expect(second.state.masters.map((m) => [m.kid, m.state])).toEqual([
            ['k1', 'verify-only'],
            ['k2', 'active']
        ]);
        expect(second.state.masters[0]!.deactivatedAt).toBe((200n * S).toString());
    });

    it('merges a rotation requested while one is in flight', () => {
        const first = reserveRotation(EMPTY_KEY_STATE, 1n);
        const second = reserveRotation(first.state, 2n);
        expect(second).toMatchObject({ kid: first.kid, merged: true });
        expect(() => completeRotation(second.state, 'k9', secret(1), 3n)).toThrow();
        const abandoned = abandonRotation(second.state);
        expect(reserveRotation(abandoned, 4n)).toMatchObject({ kid: 'k2', merged: false });
    });

    it('gives each bucket its own derived keys: a token minted for A verifies on A only', () => {
        const { state } = rotate();
        const ringA = keyringFor(state, BUCKET_A);
        const ringB = keyringFor(state, BUCKET_B);
        expect(ringA.entries[0]!.secret).not.toEqual(ringB.entries[0]!.secret);
        const token = mintToken(
            { purpose: 'read', aud: BUCKET_A, scope: { memoryId: 'm1', variants: ['preview'] }, iat: 100, exp: 200, nonce: new Uint8Array(12) },
            { kid: 'k1', secret: ringA.entries[0]!.secret }
        );
        const request = { purpose: 'read' as const, memoryId: 'm1', variant: 'preview' as const };
        expect(verifyToken(token, Keyring.from(ringA.entries), { ...request, audience: BUCKET_A }, 150).ok).toBe(true);
        expect(verifyToken(token, Keyring.from(ringB.entries), { ...request, audience: BUCKET_B }, 150).ok).toBe(false);
    });
});

describe('pushes, minting keys and retirement', () => {
    function setup() {
        const registry = new BucketRegistry(new MemoryStore<string>());
        registry.register(BUCKET_A, 1000, 0n);
        registry.register(BUCKET_B, 1000, 0n);
        return registry;
    }

    it('pushes to buckets behind the version, not in flight, after their retry time', () => {
        const registry = setup();
        const { state } = rotate();
        expect(pushesDue(state, registry.list(), 0n).map((b) => b.id)).toEqual([BUCKET_A, BUCKET_B]);
        registry.update(BUCKET_A, (b) => {
            b.ackedVersion = '1';
        });
        registry.update(BUCKET_B, (b) => {
            b.failedAttempts = 3;
            b.nextRetryAt = (10n * S).toString();
        });
        expect(pushesDue(state, registry.list(), 5n * S)).toEqual([]);
        expect(pushesDue(state, registry.list(), 10n * S).map((b) => b.id)).toEqual([BUCKET_B]);
        expect(pushesDue(EMPTY_KEY_STATE, registry.list(), 0n)).toEqual([]);
        expect([1, 2, 3, 10].map((n) => Number(retryDelayNanos(n) / S))).toEqual([5, 10, 20, 300]);
    });

    it('mints with the newest kid the bucket acknowledged', () => {
        const registry = setup();
        const second = rotate(rotate().state, 200n * S, 2).state;
        registry.update(BUCKET_A, (b) => {
            b.ackedKid = 'k1';
        });
        expect(mintingMaster(second, registry.get(BUCKET_A)!)?.kid).toBe('k1');
        expect(mintingMaster(second, registry.get(BUCKET_B)!)).toBeUndefined();
    });

    it('retires an old kid only after every bucket switched and the overlap passed (or after 7 days)', () => {
        const registry = setup();
        const state = rotate(rotate().state, 200n * S, 2).state;
        const overlap = 3630n * S;
        registry.update(BUCKET_A, (b) => {
            b.ackedKid = 'k2';
            b.ackedKidSince = (210n * S).toString();
        });
        expect(retirable(state, registry.list(), 10_000n * S, overlap)).toEqual([]);
        registry.update(BUCKET_B, (b) => {
            b.ackedKid = 'k2';
            b.ackedKidSince = (300n * S).toString();
        });
        expect(retirable(state, registry.list(), 300n * S + overlap - 1n, overlap)).toEqual([]);
        expect(retirable(state, registry.list(), 300n * S + overlap, overlap)).toEqual(['k1']);
        const retired = retire(state, ['k1']);
        expect(retired.masters.map((m) => m.kid)).toEqual(['k2']);
        expect(retired.version).toBe('3');
        // A bucket that never catches up does not block retirement forever.
        const lagging = setup();
        expect(retirable(state, lagging.list(), 200n * S + FORCED_RETIREMENT_NANOS, overlap)).toEqual(['k1']);
    });
});

describe('placement', () => {
    it('chooses the active bucket with the most free space; ties go to fewer memories; full buckets get nothing', () => {
        const registry = new BucketRegistry(new MemoryStore<string>());
        registry.register('b1', 1000, 0n);
        registry.register('b2', 2000, 0n);
        registry.register('b3', 2000, 0n);
        expect(registry.place()?.id).toBe('b2');
        registry.update('b2', (b) => {
            b.memoryCount = 5;
        });
        expect(registry.place()?.id).toBe('b3');
        registry.recordUsage('b3', 2000, 1n);
        expect(registry.get('b3')?.status).toBe('full');
        expect(registry.place()?.id).toBe('b2');
        registry.update('b2', (b) => {
            b.status = 'draining';
        });
        registry.update('b1', (b) => {
            b.status = 'full';
        });
        expect(registry.place()).toBeUndefined();
    });
});
