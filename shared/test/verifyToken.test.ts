import { base64urlnopad } from '@scure/base';
import { describe, expect, it } from 'vitest';
import { Principal } from '@dfinity/principal';
import {
    Keyring,
    mintToken,
    TOKEN_ERROR_CODES,
    TOKEN_ERROR_HTTP,
    tokenErrorCodeFromHeader,
    verifyToken,
    type TokenErrorCode
} from '../src/index';
import { BUCKET_B, keyA, MEMORY, NOW, readClaims, readThumbnail, ringA, USER } from './fixtures';

const token = mintToken(readClaims(), { kid: 'k1', secret: keyA });

function codeOf(result: ReturnType<typeof verifyToken>): string {
    return result.ok ? 'OK' : result.code;
}

describe('verifyToken', () => {
    it('accepts a valid token and returns its claims', () => {
        const result = verifyToken(token, ringA, readThumbnail, NOW + 1);
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        expect(result.claims).toMatchObject({ kid: 'k1', aud: readClaims().aud, sub: USER, iat: NOW, exp: NOW + 180 });
        expect(result.claims.scope).toEqual({ memoryId: MEMORY, variants: ['thumbnail', 'preview'] });
    });

    it.each([undefined, null, ''])('MISSING for %j', (value) => {
        expect(codeOf(verifyToken(value, ringA, readThumbnail, NOW))).toBe('MISSING');
    });

    it.each([
        ['over 1024 characters', 'A'.repeat(1025)],
        ['padding', `${token}=`],
        ['standard base64 characters', token.replace(/.$/, '+')],
        ['whitespace', ` ${token}`],
        ['too short to hold a MAC', 'AAAA'],
        ['one character', 'A'],
        ['truncated', token.slice(0, token.length - 4)],
        ['unicode', 'é'.repeat(10)]
    ])('MALFORMED: %s', (_label, value) => {
        expect(codeOf(verifyToken(value, ringA, readThumbnail, NOW))).toBe('MALFORMED');
    });

    it('MALFORMED when only the unused padding bits of the last character change', () => {
        // Pick memory ids so the framed length is not a multiple of 3: the last character then
        // carries 2 or 4 bits that encode nothing, and flipping one must not be accepted.
        const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
        const tested = new Set<number>();
        for (const memoryId of ['m', 'mm', 'mmm']) {
            const padded = mintToken(readClaims({ scope: { memoryId, variants: ['thumbnail'] } }), { kid: 'k1', secret: keyA });
            if (padded.length % 4 === 0) continue;
            tested.add(padded.length % 4);
            const last = alphabet.indexOf(padded[padded.length - 1]!);
            const sameBytes = padded.slice(0, -1) + alphabet[last ^ 0b01];
            const request = { ...readThumbnail, memoryId };
            expect(codeOf(verifyToken(padded, ringA, request, NOW))).toBe('OK');
            expect(codeOf(verifyToken(sameBytes, ringA, request, NOW))).toBe('MALFORMED');
        }
        expect([...tested].sort()).toEqual([2, 3]);
    });

    it('checks length and charset before decoding (huge input is cheap)', () => {
        const huge = 'A'.repeat(5_000_000);
        expect(codeOf(verifyToken(huge, ringA, readThumbnail, NOW))).toBe('MALFORMED');
    });

    it('UNKNOWN_KEY for a kid the keyring lacks', () => {
        const other = mintToken(readClaims(), { kid: 'k9', secret: keyA });
        expect(codeOf(verifyToken(other, ringA, readThumbnail, NOW))).toBe('UNKNOWN_KEY');
    });

    it('UNKNOWN_KEY once a verify-only key is past not_after, OK inside the window', () => {
        const ring = Keyring.from([
            { kid: 'k1', secret: keyA, state: 'verify-only', notAfter: NOW + 100 },
            { kid: 'k2', secret: new Uint8Array(32).fill(1), state: 'active' }
        ]);
        expect(codeOf(verifyToken(token, ring, readThumbnail, NOW + 100))).toBe('OK');
        expect(codeOf(verifyToken(token, ring, readThumbnail, NOW + 101))).toBe('UNKNOWN_KEY');
    });

    it('BAD_SIGNATURE when any MAC byte changes', () => {
        const framed = base64urlnopad.decode(token);
        for (let i = framed.length - 32; i < framed.length; i++) {
            const copy = Uint8Array.from(framed);
            copy[i]! ^= 0x80;
            expect(codeOf(verifyToken(base64urlnopad.encode(copy), ringA, readThumbnail, NOW))).toBe('BAD_SIGNATURE');
        }
    });

    it('BAD_SIGNATURE for the right kid with another secret', () => {
        const forged = mintToken(readClaims(), { kid: 'k1', secret: new Uint8Array(32).fill(3) });
        expect(codeOf(verifyToken(forged, ringA, readThumbnail, NOW))).toBe('BAD_SIGNATURE');
    });

    it('WRONG_AUDIENCE for a token minted for another bucket with this key', () => {
        const other = mintToken(readClaims({ aud: BUCKET_B }), { kid: 'k1', secret: keyA });
        expect(codeOf(verifyToken(other, ringA, readThumbnail, NOW))).toBe('WRONG_AUDIENCE');
    });

    it('EXPIRED at exp + skew, valid one second before; custom skew respected', () => {
        expect(codeOf(verifyToken(token, ringA, readThumbnail, NOW + 180 + 29))).toBe('OK');
        expect(codeOf(verifyToken(token, ringA, readThumbnail, NOW + 180 + 30))).toBe('EXPIRED');
        expect(codeOf(verifyToken(token, ringA, readThumbnail, NOW + 180, { skewSeconds: 0 }))).toBe('EXPIRED');
        expect(codeOf(verifyToken(token, ringA, readThumbnail, NOW + 179, { skewSeconds: 0 }))).toBe('OK');
    });

    it('EXPIRED when the lifetime exceeds the verifier maximum', () => {
        const long = mintToken(readClaims({ exp: NOW + 3600 }), { kid: 'k1', secret: keyA });
        expect(codeOf(verifyToken(long, ringA, readThumbnail, NOW, { maxLifetimeSeconds: 600 }))).toBe('EXPIRED');
        expect(codeOf(verifyToken(long, ringA, readThumbnail, NOW))).toBe('OK');
    });

    it('NOT_YET_VALID before iat - skew', () => {
        expect(codeOf(verifyToken(token, ringA, readThumbnail, NOW - 30))).toBe('OK');
        expect(codeOf(verifyToken(token, ringA, readThumbnail, NOW - 31))).toBe('NOT_YET_VALID');
    });

    it.each([
        ['another memory', { memoryId: 'mem_other' }],
        ['an uncovered variant', { variant: 'original' as const }],
        ['another purpose', { purpose: 'upload' as const, caller: USER }]
    ])('SCOPE_MISMATCH for %s', (_label, change) => {
        expect(codeOf(verifyToken(token, ringA, { ...readThumbnail, ...change }, NOW))).toBe('SCOPE_MISMATCH');
    });

    it('SCOPE_MISMATCH for asset ids outside the list and for the default asset', () => {
        const limited = mintToken(readClaims({ scope: { memoryId: MEMORY, variants: ['original'], assetIds: ['a1', 'a2'] } }), {
            kid: 'k1',
            secret: keyA
        });
        const request = { ...readThumbnail, variant: 'original' as const };
        expect(codeOf(verifyToken(limited, ringA, { ...request, assetId: 'a2' }, NOW))).toBe('OK');
        expect(codeOf(verifyToken(limited, ringA, { ...request, assetId: 'a3' }, NOW))).toBe('SCOPE_MISMATCH');
        expect(codeOf(verifyToken(limited, ringA, request, NOW))).toBe('SCOPE_MISMATCH');
    });

    it('binds upload grants to the caller', () => {
        const grant = mintToken(readClaims({ purpose: 'upload' }), { kid: 'k1', secret: keyA });
        const request = { ...readThumbnail, purpose: 'upload' as const };
        expect(codeOf(verifyToken(grant, ringA, { ...request, caller: USER }, NOW))).toBe('OK');
        expect(codeOf(verifyToken(grant, ringA, { ...request, caller: '2vxsx-fae' }, NOW))).toBe('SCOPE_MISMATCH');
        expect(codeOf(verifyToken(grant, ringA, request, NOW))).toBe('SCOPE_MISMATCH');
        expect(codeOf(verifyToken(grant, ringA, { ...readThumbnail, caller: USER }, NOW))).toBe('SCOPE_MISMATCH');
    });

    it('lets only a full delete grant delete a whole memory', () => {
        const all = mintToken(
            readClaims({ purpose: 'delete', scope: { memoryId: MEMORY, variants: ['original', 'preview', 'thumbnail', 'placeholder'] } }),
            { kid: 'k1', secret: keyA }
        );
        const some = mintToken(readClaims({ purpose: 'delete' }), { kid: 'k1', secret: keyA });
        const wholeMemory = { purpose: 'delete' as const, audience: readThumbnail.audience, memoryId: MEMORY, caller: USER };
        expect(codeOf(verifyToken(all, ringA, wholeMemory, NOW))).toBe('OK');
        expect(codeOf(verifyToken(some, ringA, wholeMemory, NOW))).toBe('SCOPE_MISMATCH');
        expect(codeOf(verifyToken(some, ringA, { ...wholeMemory, variant: 'preview' }, NOW))).toBe('OK');
    });

    it('checks in the specified order: MAC before audience, audience before time, time before scope', () => {
        const wrongEverything = mintToken(readClaims({ aud: BUCKET_B, exp: NOW + 10 }), { kid: 'k1', secret: new Uint8Array(32) });
        expect(codeOf(verifyToken(wrongEverything, ringA, { ...readThumbnail, memoryId: 'x' }, NOW + 1000))).toBe('BAD_SIGNATURE');
        const wrongAudLate = mintToken(readClaims({ aud: BUCKET_B, exp: NOW + 10 }), { kid: 'k1', secret: keyA });
        expect(codeOf(verifyToken(wrongAudLate, ringA, { ...readThumbnail, memoryId: 'x' }, NOW + 1000))).toBe('WRONG_AUDIENCE');
        const late = mintToken(readClaims({ exp: NOW + 10 }), { kid: 'k1', secret: keyA });
        expect(codeOf(verifyToken(late, ringA, { ...readThumbnail, memoryId: 'x' }, NOW + 1000))).toBe('EXPIRED');
    });
});

describe('HTTP mapping of error codes', () => {
    it('maps missing/malformed/unknown key to 401 and the rest to 403', () => {
        const statuses = Object.fromEntries(TOKEN_ERROR_CODES.map((code) => [code, TOKEN_ERROR_HTTP[code].status]));
        expect(statuses).toEqual({
            MISSING: 401,
            MALFORMED: 401,
            UNKNOWN_KEY: 401,
            BAD_SIGNATURE: 403,
            WRONG_AUDIENCE: 403,
            EXPIRED: 403,
            NOT_YET_VALID: 403,
            SCOPE_MISMATCH: 403,
            REVOKED: 403
        });
    });

    it('gives each code a distinct header value that maps back to it', () => {
        const headers = TOKEN_ERROR_CODES.map((code) => TOKEN_ERROR_HTTP[code].header);
        expect(new Set(headers).size).toBe(TOKEN_ERROR_CODES.length);
        for (const code of TOKEN_ERROR_CODES) {
            expect(tokenErrorCodeFromHeader(TOKEN_ERROR_HTTP[code].header)).toBe(code);
            expect(TOKEN_ERROR_HTTP[code].header).toMatch(/^[a-z_]+$/);
        }
        expect(tokenErrorCodeFromHeader('nonsense')).toBeUndefined();
        expect(tokenErrorCodeFromHeader(null)).toBeUndefined();
    });

    it('advises re-minting only where a fresh token can help', () => {
        const remint = TOKEN_ERROR_CODES.filter((code) => TOKEN_ERROR_HTTP[code].remint);
        expect(remint.sort()).toEqual<TokenErrorCode[]>(['EXPIRED', 'MISSING', 'REVOKED', 'UNKNOWN_KEY']);
    });

    it('gives each code a short fixed message that names no key and echoes nothing', () => {
        for (const code of TOKEN_ERROR_CODES) {
            expect(TOKEN_ERROR_HTTP[code].message).toMatch(/^[a-z ]{5,60}$/);
        }
    });

    it('never names the kid in a failure detail', () => {
        const other = mintToken(readClaims(), { kid: 'k77', secret: keyA });
        const result = verifyToken(other, ringA, readThumbnail, NOW);
        expect(result).toMatchObject({ ok: false, code: 'UNKNOWN_KEY' });
        expect(JSON.stringify(result)).not.toContain('k77');
    });
});

describe('audience as bytes', () => {
    it('gives the same answers when the verifier passes its principal as bytes', () => {
        const bytes = Principal.fromText(readClaims().aud).toUint8Array();
        expect(verifyToken(token, ringA, { ...readThumbnail, audienceBytes: bytes }, NOW).ok).toBe(true);
        const other = Principal.fromText(BUCKET_B).toUint8Array();
        expect(codeOf(verifyToken(token, ringA, { ...readThumbnail, audience: BUCKET_B, audienceBytes: other }, NOW))).toBe('WRONG_AUDIENCE');
    });

    it('decodes principals to text only when read, and then correctly', () => {
        const result = verifyToken(token, ringA, readThumbnail, NOW);
        expect(result.ok && [result.claims.aud, result.claims.sub]).toEqual([readClaims().aud, USER]);
        expect(result.ok && JSON.parse(JSON.stringify(result.claims)).aud).toBe(readClaims().aud);
    });
});

describe('revocation (notBefore)', () => {
    it('REVOKED for a token issued before the cutoff, OK from the cutoff on', () => {
        const before = mintToken(readClaims({ iat: NOW - 1, exp: NOW + 100 }), { kid: 'k1', secret: keyA });
        const at = mintToken(readClaims({ iat: NOW, exp: NOW + 100 }), { kid: 'k1', secret: keyA });
        expect(codeOf(verifyToken(before, ringA, { ...readThumbnail, notBefore: NOW }, NOW))).toBe('REVOKED');
        expect(codeOf(verifyToken(at, ringA, { ...readThumbnail, notBefore: NOW }, NOW))).toBe('OK');
        expect(codeOf(verifyToken(before, ringA, readThumbnail, NOW))).toBe('OK');
    });

    it('applies to every purpose, and only after the MAC and scope are checked', () => {
        const grant = mintToken(readClaims({ purpose: 'upload', iat: NOW - 5, exp: NOW + 100 }), { kid: 'k1', secret: keyA });
        expect(codeOf(verifyToken(grant, ringA, { ...readThumbnail, purpose: 'upload', caller: USER, notBefore: NOW }, NOW))).toBe('REVOKED');
        const forged = `${token.slice(0, -2)}AA`;
        expect(codeOf(verifyToken(forged, ringA, { ...readThumbnail, notBefore: NOW + 1 }, NOW))).toBe('BAD_SIGNATURE');
        expect(codeOf(verifyToken(token, ringA, { ...readThumbnail, memoryId: 'x', notBefore: NOW + 1 }, NOW))).toBe('SCOPE_MISMATCH');
    });

    it('is not relaxed by the expired-token grace', () => {
        const expired = mintToken(readClaims({ exp: NOW + 10 }), { kid: 'k1', secret: keyA });
        expect(codeOf(verifyToken(expired, ringA, { ...readThumbnail, notBefore: NOW + 1 }, NOW + 50, { expiredGraceSeconds: 60 }))).toBe('REVOKED');
    });
});

describe('expired-token grace (streams already started)', () => {
    it('accepts a token expired less than the grace period ago, and says so', () => {
        const token = mintToken(readClaims({ exp: NOW + 10 }), { kid: 'k1', secret: keyA });
        const justExpired = verifyToken(token, ringA, readThumbnail, NOW + 10 + 30 + 5, { expiredGraceSeconds: 60 });
        expect(justExpired).toMatchObject({ ok: true, expiredWithinGrace: true });
        expect(codeOf(verifyToken(token, ringA, readThumbnail, NOW + 10 + 30 + 60, { expiredGraceSeconds: 60 }))).toBe('EXPIRED');
        expect(codeOf(verifyToken(token, ringA, readThumbnail, NOW + 10 + 30 + 5))).toBe('EXPIRED');
        const valid = verifyToken(token, ringA, readThumbnail, NOW + 1, { expiredGraceSeconds: 60 });
        expect(valid.ok && valid.expiredWithinGrace).toBeUndefined();
    });

    it('does not extend tokens in any other way (future iat, scope, lifetime)', () => {
        const future = mintToken(readClaims({ iat: NOW + 100, exp: NOW + 200 }), { kid: 'k1', secret: keyA });
        expect(codeOf(verifyToken(future, ringA, readThumbnail, NOW, { expiredGraceSeconds: 1000 }))).toBe('NOT_YET_VALID');
        const expired = mintToken(readClaims({ exp: NOW + 10 }), { kid: 'k1', secret: keyA });
        expect(codeOf(verifyToken(expired, ringA, { ...readThumbnail, memoryId: 'x' }, NOW + 50, { expiredGraceSeconds: 60 }))).toBe('SCOPE_MISMATCH');
    });
});
