/**
 * Canonical binary encoding of token claims (docs/token-format.md, "Payload").
 *
 * Canonical means: the same claims always give the same bytes (variants become a bit mask, asset
 * ids are sorted), and the decoder accepts only bytes the encoder could have produced, so a token
 * has exactly one valid spelling.
 */
import { Principal } from '@dfinity/principal';
import { isValidId, isValidKid, MAX_ID_LENGTH, MAX_KID_LENGTH } from './ids';
import {
    assertMintableClaims,
    MAX_ASSET_IDS,
    MAX_PRINCIPAL_BYTES,
    NONCE_LENGTH,
    TOKEN_VERSION,
    type TokenClaims,
    type TokenPurpose
} from './tokenClaims';
import { VARIANT_MASK_ALL, variantBit, variantsFromMask } from './variants';

const PURPOSE_CODES: Record<TokenPurpose, number> = { read: 1, upload: 2, delete: 3 };
const PURPOSE_BY_CODE: ReadonlyMap<number, TokenPurpose> = new Map(
    Object.entries(PURPOSE_CODES).map(([purpose, code]) => [code, purpose as TokenPurpose])
);

/** Bytewise order; every id is ASCII, so UTF-16 code-unit order is byte order. */
function compareAscii(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * ASCII bytes of a string already checked to be an id or kid ([A-Za-z0-9_-]). Inside Azle the
 * TextEncoder polyfill costs thousands of instructions per character; this loop far less.
 */
function asciiBytes(text: string): Uint8Array {
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    return bytes;
}

/** Encodes claims; throws InvalidClaimsError if they are not mintable. */
export function encodePayload(claims: TokenClaims): Uint8Array {
    const principals = assertMintableClaims(claims);
    const kid = asciiBytes(claims.kid);
    const memoryId = asciiBytes(claims.scope.memoryId);
    const assetIds = [...(claims.scope.assetIds ?? [])].sort(compareAscii).map(asciiBytes);
    const shorts = [kid, principals.aud, principals.sub, memoryId, ...assetIds];
    // version, purpose, one length byte per short field, variant mask, asset count, iat, exp, nonce
    let size = 2 + 1 + 1 + 16 + NONCE_LENGTH;
    for (const bytes of shorts) size += 1 + bytes.length;
    const out = new Uint8Array(size);
    let offset = 0;
    const pushShort = (bytes: Uint8Array): void => {
        out[offset++] = bytes.length;
        out.set(bytes, offset);
        offset += bytes.length;
    };
    const pushU64 = (value: number): void => {
        // Safe integers fit in 53 bits: high word ≤ 0x1fffff.
        const high = Math.floor(value / 0x1_0000_0000);
        const low = value % 0x1_0000_0000;
        for (const word of [high, low]) {
            out[offset++] = (word >>> 24) & 0xff;
            out[offset++] = (word >>> 16) & 0xff;
            out[offset++] = (word >>> 8) & 0xff;
            out[offset++] = word & 0xff;
        }
    };

    out[offset++] = TOKEN_VERSION;
    out[offset++] = PURPOSE_CODES[claims.purpose];
    pushShort(kid);
    pushShort(principals.aud);
    pushShort(principals.sub);
    pushShort(memoryId);
    out[offset++] = claims.scope.variants.reduce((mask, variant) => mask | variantBit(variant), 0);
    out[offset++] = assetIds.length;
    for (const id of assetIds) pushShort(id);
    pushU64(claims.iat);
    pushU64(claims.exp);
    out.set(claims.nonce, offset);
    return out;
}

/** `audBytes`: the audience's principal bytes, for comparing without building its text. */
export type DecodeResult = { ok: true; claims: TokenClaims; audBytes: Uint8Array } | { ok: false; reason: string };

class PayloadReader {
    private offset = 0;
    constructor(private readonly bytes: Uint8Array) {}

    get remaining(): number {
        return this.bytes.length - this.offset;
    }

    u8(): number | undefined {
        if (this.remaining < 1) return undefined;
        return this.bytes[this.offset++];
    }

    take(length: number): Uint8Array | undefined {
        if (this.remaining < length) return undefined;
        const slice = this.bytes.subarray(this.offset, this.offset + length);
        this.offset += length;
        return slice;
    }

    /** A length-prefixed field whose length lies in [min, max]. */
    short(min: number, max: number): Uint8Array | undefined {
        const length = this.u8();
        if (length === undefined || length < min || length > max) return undefined;
        return this.take(length);
    }

    /** Big-endian u64 that must fit a safe integer. */
    u64(): number | undefined {
        const bytes = this.take(8);
        if (bytes === undefined) return undefined;
        let high = 0;
        let low = 0;
        for (let i = 0; i < 4; i++) high = high * 256 + bytes[i]!;
        for (let i = 4; i < 8; i++) low = low * 256 + bytes[i]!;
        if (high > 0x1f_ffff) return undefined;
        return high * 0x1_0000_0000 + low;
    }
}

/** Bytes (at most 255 here) as one character each: one native call, not a call per byte (QuickJS). */
function asciiText(bytes: Uint8Array): string {
    return String.fromCharCode.apply(null, bytes as unknown as number[]);
}

/** Decodes and checks structure; never throws. The MAC is not checked here. */
export function decodePayload(bytes: Uint8Array): DecodeResult {
    const fail = (reason: string): DecodeResult => ({ ok: false, reason });
    const r = new PayloadReader(bytes);

    const version = r.u8();
    if (version !== TOKEN_VERSION) return fail(`unsupported version ${String(version)}`);
    const purposeCode = r.u8();
    const purpose = purposeCode === undefined ? undefined : PURPOSE_BY_CODE.get(purposeCode);
    if (purpose === undefined) return fail('unknown purpose');

    const kidBytes = r.short(1, MAX_KID_LENGTH);
    const kid = kidBytes && asciiText(kidBytes);
    if (kid === undefined || !isValidKid(kid)) return fail('invalid kid');

    const audBytes = r.short(1, MAX_PRINCIPAL_BYTES);
    if (audBytes === undefined) return fail('invalid aud');
    const subBytes = r.short(0, MAX_PRINCIPAL_BYTES);
    if (subBytes === undefined) return fail('invalid sub');
    if (subBytes.length === 0 && purpose !== 'read') return fail(`${purpose} token without sub`);

    const memoryBytes = r.short(1, MAX_ID_LENGTH);
    const memoryId = memoryBytes && asciiText(memoryBytes);
    if (memoryId === undefined || !isValidId(memoryId)) return fail('invalid memory id');

    const mask = r.u8();
    if (mask === undefined || mask === 0 || (mask & ~VARIANT_MASK_ALL) !== 0) {
        return fail('invalid variant mask');
    }

    const assetCount = r.u8();
    if (assetCount === undefined || assetCount > MAX_ASSET_IDS) return fail('invalid asset id count');
    const assetIds: string[] = [];
    for (let i = 0; i < assetCount; i++) {
        const idBytes = r.short(1, MAX_ID_LENGTH);
        const id = idBytes && asciiText(idBytes);
        if (id === undefined || !isValidId(id)) return fail('invalid asset id');
        const previous = assetIds[assetIds.length - 1];
        if (previous !== undefined && compareAscii(previous, id) >= 0) {
            return fail('asset ids not in strictly ascending order');
        }
        assetIds.push(id);
    }

    const iat = r.u64();
    const exp = r.u64();
    if (iat === undefined || exp === undefined) return fail('invalid iat or exp');
    if (exp <= iat) return fail('exp not after iat');

    const nonce = r.take(NONCE_LENGTH);
    if (nonce === undefined) return fail('truncated nonce');
    if (r.remaining !== 0) return fail('trailing bytes');

    const claims = {
        version: TOKEN_VERSION,
        purpose,
        kid,
        scope: {
            memoryId,
            variants: variantsFromMask(mask),
            ...(assetCount > 0 ? { assetIds } : {})
        },
        iat,
        exp,
        nonce: nonce.slice()
    } as Omit<TokenClaims, 'aud' | 'sub'> as TokenClaims;
    // Principal text (CRC32 and base32 in JavaScript) is computed only when read: a bucket compares
    // aud as bytes (verifyToken's audienceBytes) and reads sub only for uploads and deletions.
    let audText: string | undefined;
    let subText: string | undefined;
    Object.defineProperty(claims, 'aud', { enumerable: true, get: () => (audText ??= Principal.fromUint8Array(audBytes).toText()) });
    if (subBytes.length > 0) {
        Object.defineProperty(claims, 'sub', { enumerable: true, get: () => (subText ??= Principal.fromUint8Array(subBytes).toText()) });
    }
    return { ok: true, claims, audBytes };
}
