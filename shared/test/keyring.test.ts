import { describe, expect, it } from 'vitest';
import { deriveBucketKey, InvalidKeyringError, Keyring } from '../src/index';
import { BUCKET_A, BUCKET_B, MASTER, NOW } from './fixtures';

const secret = (fill: number) => new Uint8Array(32).fill(fill);

describe('Keyring', () => {
    it('signs with the newest active key usable now', () => {
        const ring = Keyring.from([
            { kid: 'k1', secret: secret(1), state: 'active' },
            { kid: 'k2', secret: secret(2), state: 'active' },
            { kid: 'k3', secret: secret(3), state: 'verify-only' }
        ]);
        expect(ring.signingKey(NOW)?.kid).toBe('k2');
    });

    it('skips active keys past not_after and returns none when nothing can sign', () => {
        const ring = Keyring.from([
            { kid: 'k1', secret: secret(1), state: 'active' },
            { kid: 'k2', secret: secret(2), state: 'active', notAfter: NOW - 1 }
        ]);
        expect(ring.signingKey(NOW)?.kid).toBe('k1');
        expect(Keyring.from([{ kid: 'k1', secret: secret(1), state: 'verify-only' }]).signingKey(NOW)).toBeUndefined();
        expect(Keyring.empty().signingKey(NOW)).toBeUndefined();
    });

    it('verifies with any key not past not_after', () => {
        const ring = Keyring.from([{ kid: 'k1', secret: secret(1), state: 'verify-only', notAfter: NOW }]);
        expect(ring.verifierFor('k1', NOW)).toBeDefined();
        expect(ring.verifierFor('k1', NOW + 1)).toBeUndefined();
        expect(ring.verifierFor('k2', NOW)).toBeUndefined();
    });

    it.each([
        ['duplicate kid', [{ kid: 'k1', secret: secret(1), state: 'active' }, { kid: 'k1', secret: secret(2), state: 'active' }]],
        ['short secret', [{ kid: 'k1', secret: new Uint8Array(31), state: 'active' }]],
        ['bad kid', [{ kid: 'k 1', secret: secret(1), state: 'active' }]],
        ['bad state', [{ kid: 'k1', secret: secret(1), state: 'retired' }]],
        ['fractional not_after', [{ kid: 'k1', secret: secret(1), state: 'active', notAfter: 1.5 }]]
    ])('rejects %s', (_label, entries) => {
        expect(() => Keyring.from(entries as never)).toThrow(InvalidKeyringError);
    });

    it('never shows secret bytes when described, serialized or inspected', async () => {
        const ring = Keyring.from([{ kid: 'k1', secret: secret(0xab), state: 'active' }]);
        expect(ring.describe()).toEqual([{ kid: 'k1', state: 'active' }]);
        expect(JSON.stringify(ring)).not.toContain('171');
        const { inspect } = await import('node:util');
        expect(inspect(ring, { depth: 10, showHidden: true })).not.toMatch(/171|ab/);
    });

    it('copies secrets so later mutation of the input changes nothing', () => {
        const input = secret(5);
        const ring = Keyring.from([{ kid: 'k1', secret: input, state: 'active' }]);
        input.fill(0);
        expect(ring.entries[0]!.secret[0]).toBe(5);
    });
});

describe('deriveBucketKey', () => {
    it('gives different keys per bucket and per kid, 32 bytes each, deterministically', () => {
        const a1 = deriveBucketKey(MASTER, 'k1', BUCKET_A);
        expect(a1).toHaveLength(32);
        expect(deriveBucketKey(MASTER, 'k1', BUCKET_A)).toEqual(a1);
        expect(deriveBucketKey(MASTER, 'k2', BUCKET_A)).not.toEqual(a1);
        expect(deriveBucketKey(MASTER, 'k1', BUCKET_B)).not.toEqual(a1);
    });

    it('refuses short masters, bad kids and bad principals', () => {
        expect(() => deriveBucketKey(new Uint8Array(16), 'k1', BUCKET_A)).toThrow(TypeError);
        expect(() => deriveBucketKey(MASTER, '', BUCKET_A)).toThrow(TypeError);
        expect(() => deriveBucketKey(MASTER, 'k1', 'nope')).toThrow();
    });
});
