import { describe, expect, it } from 'vitest';
import { createTokenSigner, Keyring, verifyToken } from '@icp-private-assets/shared';
import { applyAuthConfig, DEFAULT_AUTH_CONFIG, overlapSeconds, readTokenTtl } from '../src/authConfig';
import { memoryIdFor } from '../src/memoryIds';
import { mintForMemory } from '../src/tokenMinting';
import { recordPush, type PushOutcome } from '../src/keyLifecycle';
import { retryDelayNanos, type BucketRecord } from '../src/bucketRegistry';

const BUCKET = 'ryjl3-tyaaa-aaaaa-aaaba-cai';
const CALLER = '2vxsx-fae';
const key = { kid: 'k3', secret: new Uint8Array(32).fill(4) };
const signer = { kid: key.kid, sign: createTokenSigner(key) };

describe('mintForMemory', () => {
    it('mints a read token the bucket verifies, naming no principal, with the requested lifetime', () => {
        const result = mintForMemory({ purpose: 'read', memoryId: 'm1', bucket: BUCKET, caller: CALLER, variants: ['preview', 'thumbnail'], ttlSeconds: 180, nowSeconds: 1000, nonce: new Uint8Array(12), signer });
        expect(result).toMatchObject({ Ok: { bucket: BUCKET, expiresAt: 1180, kid: 'k3' } });
        if (!('Ok' in result)) return;
        const ring = Keyring.from([{ ...key, state: 'active' }]);
        const verified = verifyToken(result.Ok.token, ring, { purpose: 'read', audience: BUCKET, memoryId: 'm1', variant: 'preview' }, 1100);
        expect(verified.ok && verified.claims.sub).toBeUndefined();
    });

    it('binds upload and delete grants to the caller', () => {
        for (const purpose of ['upload', 'delete'] as const) {
            const result = mintForMemory({ purpose, memoryId: 'm1', bucket: BUCKET, caller: CALLER, variants: ['preview'], ttlSeconds: 180, nowSeconds: 1000, nonce: new Uint8Array(12), signer });
            if (!('Ok' in result)) throw new Error('not minted');
            const ring = Keyring.from([{ ...key, state: 'active' }]);
            const verified = verifyToken(result.Ok.token, ring, { purpose, audience: BUCKET, memoryId: 'm1', variant: 'preview', caller: CALLER }, 1100);
            expect(verified.ok && verified.claims.sub).toBe(CALLER);
        }
    });

    it.each([
        [[], 'at least one'],
        [['big'], 'at least one'],
        [['preview', 'preview'], 'repeat']
    ])('explains invalid variants %j', (variants, message) => {
        const result = mintForMemory({ purpose: 'read', memoryId: 'm1', bucket: BUCKET, caller: CALLER, variants, ttlSeconds: 180, nowSeconds: 1000, nonce: new Uint8Array(12), signer });
        expect(result).toMatchObject({ Err: expect.stringContaining(message) });
    });

    it('issues tokens from a revocation cutoff on, so the bucket does not take them for revoked ones', () => {
        const ring = Keyring.from([{ ...key, state: 'active' }]);
        const mint = (nowSeconds: number) => mintForMemory({ purpose: 'read', memoryId: 'm1', bucket: BUCKET, caller: CALLER, variants: ['preview'], ttlSeconds: 180, nowSeconds, notBefore: 1001, nonce: new Uint8Array(12), signer });
        const sameSecond = mint(1000);
        expect(sameSecond).toMatchObject({ Ok: { expiresAt: 1181 } });
        const request = { purpose: 'read' as const, audience: BUCKET, memoryId: 'm1', variant: 'preview' as const, notBefore: 1001 };
        if ('Ok' in sameSecond) expect(verifyToken(sameSecond.Ok.token, ring, request, 1000)).toMatchObject({ ok: true, claims: { iat: 1001 } });
        const later = mint(2000);
        expect(later).toMatchObject({ Ok: { expiresAt: 2180 } });
    });

    it('explains invalid asset ids instead of throwing', () => {
        const result = mintForMemory({ purpose: 'read', memoryId: 'm1', bucket: BUCKET, caller: CALLER, variants: ['original'], assetIds: ['a/b'], ttlSeconds: 180, nowSeconds: 1000, nonce: new Uint8Array(12), signer });
        expect(result).toHaveProperty('Err');
    });
});

describe('config', () => {
    it('caps read token lifetimes and keeps the limits consistent', () => {
        expect(readTokenTtl(DEFAULT_AUTH_CONFIG, undefined)).toBe(180);
        expect(readTokenTtl(DEFAULT_AUTH_CONFIG, 100_000)).toBe(3600);
        expect(readTokenTtl(DEFAULT_AUTH_CONFIG, 0)).toBe(1);
        expect(overlapSeconds(DEFAULT_AUTH_CONFIG)).toBe(3630);
        expect(applyAuthConfig(DEFAULT_AUTH_CONFIG, { maxTtlSeconds: 100 })).toHaveProperty('Err');
        expect(applyAuthConfig(DEFAULT_AUTH_CONFIG, { maxTtlSeconds: 90_000 })).toHaveProperty('Err');
        expect(applyAuthConfig(DEFAULT_AUTH_CONFIG, { defaultTtlSeconds: 60 })).toMatchObject({ Ok: { defaultTtlSeconds: 60, maxTtlSeconds: 3600 } });
    });
});

describe('memory ids and push outcomes', () => {
    it('derives distinct, well-formed ids from a seed and a counter', () => {
        const seed = new Uint8Array(32).fill(1);
        const ids = new Set(Array.from({ length: 1000 }, (_, i) => memoryIdFor(seed, i)));
        expect(ids.size).toBe(1000);
        for (const id of ids) expect(id).toMatch(/^m[0-9a-f]{32}$/);
        expect(memoryIdFor(new Uint8Array(32).fill(2), 0)).not.toBe(memoryIdFor(seed, 0));
    });

    it('records acknowledgements without going backwards, and failures with backoff', () => {
        const record: BucketRecord = { id: BUCKET, status: 'active', capacityBytes: 1, usedBytes: 0, memoryCount: 0, registeredAt: '0', ackedVersion: '0', failedAttempts: 0, pushInFlight: true };
        const ack = (version: bigint, activeKid: string): PushOutcome => ({ kind: 'acknowledged', version, activeKid });
        recordPush(record, { kind: 'failed', error: 'canister stopped' }, 10n, retryDelayNanos);
        expect(record).toMatchObject({ pushInFlight: false, failedAttempts: 1, lastError: 'canister stopped', nextRetryAt: (10n + 5_000_000_000n).toString() });
        recordPush(record, ack(2n, 'k2'), 20n, retryDelayNanos);
        expect(record).toMatchObject({ ackedVersion: '2', ackedKid: 'k2', ackedKidSince: '20', failedAttempts: 0 });
        expect(record.lastError).toBeUndefined();
        recordPush(record, ack(1n, 'k1'), 30n, retryDelayNanos);
        expect(record).toMatchObject({ ackedVersion: '2', ackedKid: 'k2', ackedKidSince: '20' });
        recordPush(record, ack(3n, 'k2'), 40n, retryDelayNanos);
        expect(record).toMatchObject({ ackedVersion: '3', ackedKidSince: '20' });
    });
});
