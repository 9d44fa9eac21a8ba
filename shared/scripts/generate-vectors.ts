/**
 * Writes test-vectors/tokens.json from fixed inputs. Run with `npm run vectors -w shared` after a
 * deliberate format change only: the vectors are the compatibility contract, and the tests check
 * both that the library reproduces them and that an independent encoder (Node crypto) agrees.
 */
import { writeFileSync } from 'node:fs';
import { Principal } from '@dfinity/principal';
import { base64urlnopad } from '@scure/base';
import {
    deriveBucketKey,
    encodePayload,
    hmacSha256,
    mintToken,
    TOKEN_VERSION,
    type MintClaims,
    type TokenClaims,
    type VerifyRequest
} from '../src/index';

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const fromHex = (text: string): Uint8Array => Uint8Array.from(text.match(/../g)!.map((h) => parseInt(h, 16)));

const MASTER = fromHex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
const OTHER_MASTER = fromHex('f0e0d0c0b0a090807060504030201000ffeeddccbbaa99887766554433221100');
const BUCKET_A = 'ryjl3-tyaaa-aaaaa-aaaba-cai';
const BUCKET_B = 'r7inp-6aaaa-aaaaa-aaabq-cai';
// A self-authenticating principal (29 bytes), as a browser identity would have.
const USER = Principal.selfAuthenticating(fromHex('302a300506032b6570032100' + '11'.repeat(32))).toText();
const OTHER_USER = Principal.selfAuthenticating(fromHex('302a300506032b6570032100' + '22'.repeat(32))).toText();
const MEMORY = 'm_8f14e45fceea167a5a36dedd4bea2543';
const NOW = 1_800_000_000;
const NONCE = fromHex('a1a2a3a4a5a6a7a8a9aaabac');

const keyA1 = deriveBucketKey(MASTER, 'k1', BUCKET_A);
const keyA2 = deriveBucketKey(MASTER, 'k2', BUCKET_A);
const keyB1 = deriveBucketKey(MASTER, 'k1', BUCKET_B);
const keyA1Other = deriveBucketKey(OTHER_MASTER, 'k1', BUCKET_A);

interface KeyJson {
    kid: string;
    secret_hex: string;
    state: 'active' | 'verify-only';
    not_after: number | null;
}
const activeA1: KeyJson = { kid: 'k1', secret_hex: hex(keyA1), state: 'active', not_after: null };
const bucketARing = [activeA1];

function claimsJson(claims: TokenClaims) {
    return {
        version: claims.version,
        purpose: claims.purpose,
        kid: claims.kid,
        aud: claims.aud,
        sub: claims.sub ?? null,
        scope: {
            memory_id: claims.scope.memoryId,
            variants: claims.scope.variants,
            asset_ids: claims.scope.assetIds ?? null
        },
        iat: claims.iat,
        exp: claims.exp,
        nonce_hex: hex(claims.nonce)
    };
}

function requestJson(request: VerifyRequest) {
    return {
        purpose: request.purpose,
        audience: request.audience,
        memory_id: request.memoryId,
        variant: request.variant ?? null,
        asset_id: request.assetId ?? null,
        caller: request.caller ?? null
    };
}

const baseClaims: MintClaims = {
    purpose: 'read',
    aud: BUCKET_A,
    sub: USER,
    scope: { memoryId: MEMORY, variants: ['thumbnail', 'preview', 'placeholder'] },
    iat: NOW,
    exp: NOW + 180,
    nonce: NONCE
};
const readPreview: VerifyRequest = { purpose: 'read', audience: BUCKET_A, memoryId: MEMORY, variant: 'preview' };

const vectors: unknown[] = [];

/** A token minted by the library from claims. */
function minted(
    name: string,
    description: string,
    options: {
        claims?: Partial<MintClaims>;
        kid?: string;
        key?: Uint8Array;
        keyring?: KeyJson[];
        now?: number;
        request?: VerifyRequest;
        expected: string;
    }
): void {
    const claims = { ...baseClaims, ...options.claims } as MintClaims;
    const kid = options.kid ?? 'k1';
    const key = options.key ?? keyA1;
    const token = mintToken(claims, { kid, secret: key });
    const full: TokenClaims = { ...claims, version: TOKEN_VERSION, kid };
    vectors.push({
        name,
        description,
        keyring: options.keyring ?? bucketARing,
        claims: claimsJson(full),
        signing_key_hex: hex(key),
        payload_hex: hex(encodePayload(full)),
        token,
        tampered: false,
        now: options.now ?? NOW + 10,
        request: requestJson(options.request ?? readPreview),
        expected: options.expected
    });
}

/** A token built from raw payload bytes (signed correctly) or a literal string. */
function raw(
    name: string,
    description: string,
    options: { payload?: Uint8Array; token?: string; key?: Uint8Array; expected: string; now?: number; request?: VerifyRequest }
): void {
    const key = options.key ?? keyA1;
    let token = options.token;
    if (options.payload !== undefined) {
        const framed = new Uint8Array(options.payload.length + 32);
        framed.set(options.payload);
        framed.set(hmacSha256(key, options.payload), options.payload.length);
        token = base64urlnopad.encode(framed);
    }
    vectors.push({
        name,
        description,
        keyring: bucketARing,
        claims: null,
        signing_key_hex: options.payload !== undefined ? hex(key) : null,
        payload_hex: options.payload !== undefined ? hex(options.payload) : null,
        token,
        tampered: options.payload === undefined,
        now: options.now ?? NOW + 10,
        request: requestJson(options.request ?? readPreview),
        expected: options.expected
    });
}

const validPayload = encodePayload({ ...baseClaims, version: TOKEN_VERSION, kid: 'k1' });
const validToken = mintToken(baseClaims, { kid: 'k1', secret: keyA1 });

minted('read-ok', 'Read token for three variants, requested variant covered.', { expected: 'OK' });
minted('read-ok-anonymous-sub', 'Read token without sub.', { claims: { sub: undefined }, expected: 'OK' });
minted('read-ok-asset-ids', 'Token limited to two asset ids; request names one of them.', {
    claims: { scope: { memoryId: MEMORY, variants: ['original'], assetIds: ['clip-02', 'clip-01'] } },
    request: { ...readPreview, variant: 'original', assetId: 'clip-02' },
    expected: 'OK'
});
minted('scope-asset-not-listed', 'Asset id outside the token list.', {
    claims: { scope: { memoryId: MEMORY, variants: ['original'], assetIds: ['clip-01'] } },
    request: { ...readPreview, variant: 'original', assetId: 'clip-03' },
    expected: 'SCOPE_MISMATCH'
});
minted('scope-default-asset-with-list', 'Token lists asset ids; request names none (default asset).', {
    claims: { scope: { memoryId: MEMORY, variants: ['original'], assetIds: ['clip-01'] } },
    request: { ...readPreview, variant: 'original' },
    expected: 'SCOPE_MISMATCH'
});
minted('scope-wrong-variant', 'Variant not in the token.', {
    request: { ...readPreview, variant: 'original' },
    expected: 'SCOPE_MISMATCH'
});
minted('scope-wrong-memory', 'Another memory.', {
    request: { ...readPreview, memoryId: 'm_other' },
    expected: 'SCOPE_MISMATCH'
});
minted('expired-at-skew-edge', 'now = exp + 30: expired (validity ends at exp + skew, exclusive).', {
    now: NOW + 180 + 30,
    expected: 'EXPIRED'
});
minted('valid-within-exp-skew', 'now = exp + 29: still valid thanks to the 30 s skew.', {
    now: NOW + 180 + 29,
    expected: 'OK'
});
minted('not-yet-valid', 'now = iat - 31.', { now: NOW - 31, expected: 'NOT_YET_VALID' });
minted('valid-within-iat-skew', 'now = iat - 30: valid thanks to the 30 s skew.', { now: NOW - 30, expected: 'OK' });
minted('wrong-audience', 'Token for bucket B signed with bucket A key, presented to bucket A.', {
    claims: { aud: BUCKET_B },
    expected: 'WRONG_AUDIENCE'
});
minted('other-bucket-key', 'Token for bucket B signed with bucket B derived key, presented to bucket A.', {
    claims: { aud: BUCKET_B },
    key: keyB1,
    expected: 'BAD_SIGNATURE'
});
minted('other-master', 'Same kid, key derived from another master secret.', { key: keyA1Other, expected: 'BAD_SIGNATURE' });
minted('unknown-kid', 'Signed with k2, bucket holds only k1.', { kid: 'k2', key: keyA2, expected: 'UNKNOWN_KEY' });
minted('verify-only-in-window', 'k1 verify-only until now + 50, k2 active.', {
    keyring: [
        { ...activeA1, state: 'verify-only', not_after: NOW + 60 },
        { kid: 'k2', secret_hex: hex(keyA2), state: 'active', not_after: null }
    ],
    expected: 'OK'
});
minted('retired-key', 'k1 past its not_after.', {
    keyring: [
        { ...activeA1, state: 'verify-only', not_after: NOW + 5 },
        { kid: 'k2', secret_hex: hex(keyA2), state: 'active', not_after: null }
    ],
    expected: 'UNKNOWN_KEY'
});
minted('upload-ok', 'Upload grant bound to the caller.', {
    claims: { purpose: 'upload', scope: { memoryId: MEMORY, variants: ['original'] } },
    request: { purpose: 'upload', audience: BUCKET_A, memoryId: MEMORY, variant: 'original', assetId: 'a1', caller: USER },
    expected: 'OK'
});
minted('upload-other-caller', 'Upload grant presented by another principal.', {
    claims: { purpose: 'upload', scope: { memoryId: MEMORY, variants: ['original'] } },
    request: { purpose: 'upload', audience: BUCKET_A, memoryId: MEMORY, variant: 'original', caller: OTHER_USER },
    expected: 'SCOPE_MISMATCH'
});
minted('read-token-for-upload', 'A read token never authorizes an upload.', {
    request: { purpose: 'upload', audience: BUCKET_A, memoryId: MEMORY, variant: 'preview', caller: USER },
    expected: 'SCOPE_MISMATCH'
});
minted('delete-memory-ok', 'Delete grant for a whole memory.', {
    claims: { purpose: 'delete', scope: { memoryId: MEMORY, variants: ['thumbnail', 'preview', 'placeholder', 'original'] } },
    request: { purpose: 'delete', audience: BUCKET_A, memoryId: MEMORY, caller: USER },
    expected: 'OK'
});
minted('delete-memory-partial-grant', 'A delete grant for some variants cannot delete the whole memory.', {
    claims: { purpose: 'delete', scope: { memoryId: MEMORY, variants: ['thumbnail'] } },
    request: { purpose: 'delete', audience: BUCKET_A, memoryId: MEMORY, caller: USER },
    expected: 'SCOPE_MISMATCH'
});

raw('missing', 'Empty token.', { token: '', expected: 'MISSING' });
raw('bad-charset', "'+' and '/' are not base64url.", { token: validToken.slice(0, 20) + '+/' + validToken.slice(22), expected: 'MALFORMED' });
raw('too-long', '1025 characters: refused before decoding.', { token: 'A'.repeat(1025), expected: 'MALFORMED' });
raw('truncated', 'Last 10 characters cut.', { token: validToken.slice(0, -10), expected: 'MALFORMED' });
raw('flipped-mac-bit', 'One MAC byte changed.', {
    token: (() => {
        const framed = base64urlnopad.decode(validToken);
        framed[framed.length - 1]! ^= 0x01;
        return base64urlnopad.encode(framed);
    })(),
    expected: 'BAD_SIGNATURE'
});
raw('flipped-claim', 'exp raised by one second after signing.', {
    token: (() => {
        const framed = base64urlnopad.decode(validToken);
        const expLastByte = validPayload.length - 12 - 1;
        framed[expLastByte]! += 1;
        return base64urlnopad.encode(framed);
    })(),
    expected: 'BAD_SIGNATURE'
});
raw('unsupported-version', 'Version byte 2 with a valid MAC.', {
    payload: Uint8Array.from([2, ...validPayload.subarray(1)]),
    expected: 'MALFORMED'
});
raw('trailing-bytes', 'A valid payload followed by one extra byte, MAC over all of it.', {
    payload: Uint8Array.from([...validPayload, 0]),
    expected: 'MALFORMED'
});
raw('unknown-variant-bit', 'Variant mask 0x10 (no such variant), valid MAC.', {
    payload: (() => {
        const bytes = Uint8Array.from(validPayload);
        const maskOffset = validPayload.length - 12 - 16 - 1 - 1; // before asset count
        bytes[maskOffset] = 0x10;
        return bytes;
    })(),
    expected: 'MALFORMED'
});
raw('unsorted-asset-ids', 'Asset ids out of order: not canonical, valid MAC.', {
    payload: (() => {
        const sorted = encodePayload({
            ...baseClaims,
            version: TOKEN_VERSION,
            kid: 'k1',
            scope: { memoryId: MEMORY, variants: ['original'], assetIds: ['a', 'b'] }
        });
        const bytes = Uint8Array.from(sorted);
        const countOffset = sorted.length - 12 - 16 - 4 - 1; // count, 1 'a', 1 'b'
        bytes[countOffset + 2] = 0x62; // 'b'
        bytes[countOffset + 4] = 0x61; // 'a'
        return bytes;
    })(),
    request: { ...readPreview, variant: 'original', assetId: 'a' },
    expected: 'MALFORMED'
});
raw('lifetime-over-maximum', 'exp - iat = 86401 s, valid MAC: refused as expired.', {
    payload: (() => {
        const bytes = Uint8Array.from(validPayload);
        const expOffset = validPayload.length - 12 - 8;
        const view = new DataView(bytes.buffer);
        view.setBigUint64(expOffset, BigInt(NOW + 86_401));
        return bytes;
    })(),
    expected: 'EXPIRED'
});

const derivations = [
    { master_hex: hex(MASTER), kid: 'k1', bucket: BUCKET_A, derived_hex: hex(keyA1) },
    { master_hex: hex(MASTER), kid: 'k2', bucket: BUCKET_A, derived_hex: hex(keyA2) },
    { master_hex: hex(MASTER), kid: 'k1', bucket: BUCKET_B, derived_hex: hex(keyB1) },
    { master_hex: hex(OTHER_MASTER), kid: 'k1', bucket: BUCKET_A, derived_hex: hex(keyA1Other) }
];

const file = {
    description:
        'Token format v1 test vectors (docs/token-format.md). Generated by shared/scripts/generate-vectors.ts; ' +
        'verify with skew 30 s and max lifetime 86400 s. "tampered": the token string was edited after minting.',
    skew_seconds: 30,
    max_lifetime_seconds: 86_400,
    key_derivation: derivations,
    tokens: vectors
};
const target = new URL('../test-vectors/tokens.json', import.meta.url);
writeFileSync(target, JSON.stringify(file, null, 2) + '\n');
console.log(`wrote ${vectors.length} token vectors and ${derivations.length} derivation vectors to ${target.pathname}`);
