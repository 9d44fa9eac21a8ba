import { describe, expect, it } from 'vitest';
import {
    decodePayload,
    encodePayload,
    InvalidClaimsError,
    createTokenSigner,
    mintToken,
    randomNonce,
    TOKEN_VERSION,
    type MintClaims,
    type TokenClaims
} from '../src/index';
import { keyA, NOW, readClaims } from './fixtures';

const full = (claims: MintClaims): TokenClaims => ({ ...claims, version: TOKEN_VERSION, kid: 'k1' });

describe('canonical payload encoding', () => {
    it('gives the same bytes for the same claims whatever the order of keys, variants and asset ids', () => {
        const a = readClaims({ scope: { memoryId: 'm1', variants: ['preview', 'thumbnail'], assetIds: ['b', 'a', 'c'] } });
        const b: MintClaims = {
            nonce: a.nonce,
            exp: a.exp,
            iat: a.iat,
            scope: { assetIds: ['c', 'b', 'a'], variants: ['thumbnail', 'preview'], memoryId: 'm1' },
            sub: a.sub,
            aud: a.aud,
            purpose: 'read'
        } as MintClaims;
        expect(encodePayload(full(a))).toEqual(encodePayload(full(b)));
    });

    it('round-trips through decodePayload with variants and asset ids in canonical order', () => {
        const claims = full(readClaims({ scope: { memoryId: 'm1', variants: ['original', 'thumbnail'], assetIds: ['z', 'a'] } }));
        const decoded = decodePayload(encodePayload(claims));
        expect(decoded.ok).toBe(true);
        if (!decoded.ok) return;
        expect(decoded.claims.scope).toEqual({ memoryId: 'm1', variants: ['thumbnail', 'original'], assetIds: ['a', 'z'] });
        expect(decoded.claims.nonce).toEqual(claims.nonce);
        expect(decoded.claims.sub).toBe(claims.sub);
    });

    it('keeps a typical token (one memory, three variants, a user principal) under 300 characters', () => {
        const token = mintToken(
            readClaims({ scope: { memoryId: 'm_8f14e45fceea167a5a36dedd4bea2543', variants: ['thumbnail', 'preview', 'original'] } }),
            { kid: 'k20261121', secret: keyA }
        );
        expect(token.length).toBeLessThan(300);
    });

    it('rejects every truncation of a valid payload', () => {
        const bytes = encodePayload(full(readClaims({ scope: { memoryId: 'm1', variants: ['preview'], assetIds: ['a1'] } })));
        for (let length = 0; length < bytes.length; length++) {
            expect(decodePayload(bytes.subarray(0, length)).ok).toBe(false);
        }
    });
});

describe('createTokenSigner', () => {
    it('mints exactly what mintToken mints with the same key, for any number of tokens', () => {
        const sign = createTokenSigner({ kid: 'k7', secret: keyA });
        for (const memoryId of ['m1', 'm2', 'm_long_memory_id_0123456789']) {
            const claims = readClaims({ scope: { memoryId, variants: ['thumbnail', 'preview'] } });
            expect(sign(claims)).toBe(mintToken(claims, { kid: 'k7', secret: keyA }));
        }
    });

    it('refuses verify-only and malformed keys up front, invalid claims per token', () => {
        expect(() => createTokenSigner({ kid: 'k1', secret: keyA, state: 'verify-only' })).toThrow(TypeError);
        expect(() => createTokenSigner({ kid: 'k1', secret: keyA.subarray(0, 16) })).toThrow(TypeError);
        const sign = createTokenSigner({ kid: 'k1', secret: keyA });
        expect(() => sign(readClaims({ iat: NOW, exp: NOW }))).toThrow(InvalidClaimsError);
    });
});

describe('mintToken refuses claims that could not verify', () => {
    const key = { kid: 'k1', secret: keyA };
    it.each<[string, Partial<MintClaims>]>([
        ['exp before iat', { exp: NOW - 1 }],
        ['exp equal to iat', { exp: NOW }],
        ['lifetime over one day', { exp: NOW + 86_401 }],
        ['fractional time', { iat: NOW + 0.5 }],
        ['short nonce', { nonce: new Uint8Array(11) }],
        ['bad audience', { aud: 'not-a-principal' }],
        ['bad sub', { sub: 'AAAA' }],
        ['invalid memory id', { scope: { memoryId: '../x', variants: ['preview'] } }],
        ['memory id too long', { scope: { memoryId: 'm'.repeat(65), variants: ['preview'] } }],
        ['no variants', { scope: { memoryId: 'm1', variants: [] } }],
        ['unknown variant', { scope: { memoryId: 'm1', variants: ['huge' as never] } }],
        ['duplicate variants', { scope: { memoryId: 'm1', variants: ['preview', 'preview'] } }],
        ['empty asset list', { scope: { memoryId: 'm1', variants: ['preview'], assetIds: [] } }],
        ['duplicate asset ids', { scope: { memoryId: 'm1', variants: ['preview'], assetIds: ['a', 'a'] } }],
        ['too many asset ids', { scope: { memoryId: 'm1', variants: ['preview'], assetIds: Array.from({ length: 17 }, (_, i) => `a${i}`) } }],
        ['upload without sub', { purpose: 'upload', sub: undefined }],
        ['unknown purpose', { purpose: 'admin' as never }]
    ])('%s', (_label, change) => {
        expect(() => mintToken(readClaims(change), key)).toThrow(InvalidClaimsError);
    });

    it('refuses a verify-only key and a short secret', () => {
        expect(() => mintToken(readClaims(), { kid: 'k1', secret: keyA, state: 'verify-only' })).toThrow(/cannot sign/);
        expect(() => mintToken(readClaims(), { kid: 'k1', secret: new Uint8Array(16) })).toThrow(/32 bytes/);
        expect(() => mintToken(readClaims(), { kid: 'bad kid', secret: keyA })).toThrow(InvalidClaimsError);
    });

    it('produces distinct tokens for distinct random nonces', () => {
        const tokens = new Set(Array.from({ length: 50 }, () => mintToken(readClaims({ nonce: randomNonce() }), key)));
        expect(tokens.size).toBe(50);
    });
});
