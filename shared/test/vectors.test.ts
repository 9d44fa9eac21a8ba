import { describe, expect, it } from 'vitest';
import { deriveBucketKey, Keyring, mintToken, verifyToken } from '../src/index';
import { specDeriveBucketKey, specPayload, specToken } from './independentEncoder';
import { fromHex, keyringEntries, mintClaims, vectorFile, verifyRequest } from './vectorData';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const options = { skewSeconds: vectorFile.skew_seconds, maxLifetimeSeconds: vectorFile.max_lifetime_seconds };

describe('token test vectors', () => {
    it('has at least 20 vectors, negative ones included, covering every code', () => {
        expect(vectorFile.tokens.length).toBeGreaterThanOrEqual(20);
        const expected = new Set(vectorFile.tokens.map((v) => v.expected));
        for (const code of ['OK', 'MISSING', 'MALFORMED', 'UNKNOWN_KEY', 'BAD_SIGNATURE', 'WRONG_AUDIENCE', 'EXPIRED', 'NOT_YET_VALID', 'SCOPE_MISMATCH']) {
            expect(expected).toContain(code);
        }
    });

    describe.each(vectorFile.tokens.map((v) => [v.name, v] as const))('%s', (_name, vector) => {
        it('verifies to the expected result with the library', () => {
            const result = verifyToken(vector.token, Keyring.from(keyringEntries(vector)), verifyRequest(vector), vector.now, options);
            expect(result.ok ? 'OK' : result.code).toBe(vector.expected);
        });

        if (vector.claims !== null && vector.signing_key_hex !== null) {
            const claims = vector.claims;
            const key = vector.signing_key_hex;
            it('is reproduced by the library from its claims', () => {
                expect(mintToken(mintClaims(claims), { kid: claims.kid, secret: fromHex(key) })).toBe(vector.token);
            });
            it('is reproduced by an independent encoder with Node crypto.createHmac', () => {
                const payload = specPayload(claims);
                expect(payload.toString('hex')).toBe(vector.payload_hex);
                expect(specToken(payload, key)).toBe(vector.token);
            });
        } else if (vector.payload_hex !== null && vector.signing_key_hex !== null) {
            const payloadHex = vector.payload_hex;
            const key = vector.signing_key_hex;
            it('has a MAC that Node crypto.createHmac recomputes', () => {
                expect(specToken(Buffer.from(payloadHex, 'hex'), key)).toBe(vector.token);
            });
        }
    });

    it.each(vectorFile.key_derivation)('derives bucket keys as the spec says ($kid, $bucket)', (d) => {
        expect(hex(deriveBucketKey(fromHex(d.master_hex), d.kid, d.bucket))).toBe(d.derived_hex);
        expect(specDeriveBucketKey(d.master_hex, d.kid, d.bucket)).toBe(d.derived_hex);
    });
});
