import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveBucketKey, Keyring, mintToken, verifyToken, type MintClaims, type VerifyRequest } from '../src/index';
import { claimsArb, hostileStringArb } from './arbitraries';
import { BUCKET_A, BUCKET_B, MASTER, readClaims, readThumbnail, ringA, keyA, NOW } from './fixtures';

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The request a token was minted for: first variant, first asset id, its own holder. */
function requestFor(claims: MintClaims): VerifyRequest {
    return {
        purpose: claims.purpose,
        audience: claims.aud,
        memoryId: claims.scope.memoryId,
        variant: claims.scope.variants[0]!,
        ...(claims.scope.assetIds ? { assetId: claims.scope.assetIds[0]! } : {}),
        ...(claims.sub !== undefined ? { caller: claims.sub } : {})
    };
}

describe('token properties', () => {
    it('mint → verify round-trips any valid claims', () => {
        fc.assert(
            fc.property(claimsArb, fc.uint8Array({ minLength: 32, maxLength: 32 }), (claims, secret) => {
                const ring = Keyring.from([{ kid: 'kp', secret, state: 'active' }]);
                const token = mintToken(claims, { kid: 'kp', secret });
                const result = verifyToken(token, ring, requestFor(claims), claims.iat);
                expect(result.ok).toBe(true);
                if (result.ok) {
                    expect(result.claims.scope.memoryId).toBe(claims.scope.memoryId);
                    expect([...result.claims.scope.variants].sort()).toEqual([...claims.scope.variants].sort());
                    expect(result.claims.exp).toBe(claims.exp);
                    expect(result.claims.sub).toBe(claims.sub);
                }
            }),
            { numRuns: 300 }
        );
    });

    it('rejects any single-character substitution, deletion or insertion in a valid token', () => {
        const token = mintToken(readClaims(), { kid: 'k1', secret: keyA });
        fc.assert(
            fc.property(
                fc.integer({ min: 0, max: token.length - 1 }),
                fc.constantFrom(...BASE64URL.split('')),
                fc.constantFrom('substitute', 'delete', 'insert'),
                (index, char, edit) => {
                    let changed: string;
                    if (edit === 'substitute') {
                        fc.pre(token[index] !== char);
                        changed = token.slice(0, index) + char + token.slice(index + 1);
                    } else if (edit === 'delete') {
                        changed = token.slice(0, index) + token.slice(index + 1);
                    } else {
                        changed = token.slice(0, index) + char + token.slice(index);
                    }
                    expect(verifyToken(changed, ringA, readThumbnail, NOW).ok).toBe(false);
                }
            ),
            { numRuns: 2000 }
        );
    });

    it('never throws on random strings and always answers with a known code', () => {
        fc.assert(
            fc.property(hostileStringArb, (input) => {
                const result = verifyToken(input, ringA, readThumbnail, NOW);
                expect(result.ok).toBe(false);
            }),
            { numRuns: 2000 }
        );
    });

    it('never throws on random bytes framed as base64url (structurally hostile payloads)', () => {
        fc.assert(
            fc.property(fc.uint8Array({ maxLength: 700 }), (bytes) => {
                const token = Buffer.from(bytes).toString('base64url');
                expect(() => verifyToken(token, ringA, readThumbnail, NOW)).not.toThrow();
            }),
            { numRuns: 2000 }
        );
    });

    it('a token minted for bucket A with its derived key never verifies on bucket B', () => {
        fc.assert(
            fc.property(claimsArb, fc.uint8Array({ minLength: 32, maxLength: 32 }), (claims, master) => {
                const forA = { ...claims, aud: BUCKET_A };
                const token = mintToken(forA, { kid: 'k1', secret: deriveBucketKey(master, 'k1', BUCKET_A) });
                const ringOfB = Keyring.from([{ kid: 'k1', secret: deriveBucketKey(master, 'k1', BUCKET_B), state: 'active' }]);
                const onB = verifyToken(token, ringOfB, { ...requestFor(forA), audience: BUCKET_B }, claims.iat);
                expect(onB.ok).toBe(false);
                // B's key differs, so the MAC check (which comes first) fails.
                expect(onB.ok ? 'OK' : onB.code).toBe('BAD_SIGNATURE');
            }),
            { numRuns: 200 }
        );
    });

    it('a bucket holding only its derived key cannot forge a token for another bucket', () => {
        // Bucket B is compromised: it knows keyB and tries to mint a token that bucket A accepts.
        const keyOfB = deriveBucketKey(MASTER, 'k1', BUCKET_B);
        fc.assert(
            fc.property(claimsArb, (claims) => {
                const forged = mintToken({ ...claims, aud: BUCKET_A }, { kid: 'k1', secret: keyOfB });
                const result = verifyToken(forged, ringA, { ...requestFor(claims), audience: BUCKET_A }, claims.iat);
                expect(result.ok ? 'OK' : result.code).toBe('BAD_SIGNATURE');
            }),
            { numRuns: 200 }
        );
    });
});
