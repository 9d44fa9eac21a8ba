/**
 * Streaming tokens are sealed: a MAC, made with the key of the access token's kid, covers every
 * field the callback acts on (what is streamed, the position, the end, when the bucket handed the
 * token out) and binds the access token itself through that token's own MAC. Only positions this
 * bucket handed out can be asked for, so a stream can neither be rewound, restarted elsewhere nor
 * widened, which is what makes the expired-token grace safe.
 *
 * The message is kept within 119 bytes for ids of the usual length (two SHA-256 blocks after
 * HMAC's pad block): inside Azle each compression costs about 0.6M instructions, each byte written
 * or read about 1,000, and TextEncoder about 15,000 per character, so the layout is compact and
 * written by hand. Binding 16 bytes of the access token's MAC binds that token (forging another
 * token with the same 128-bit prefix needs the key); 32 hex digits of the ETag pin the content.
 */
import { VARIANTS } from '@icp-private-assets/shared';

/** 'S3': a token payload starts with its version byte (1), so no stream message is a token payload. */
const TAG_0 = 0x53;
const TAG_1 = 0x33;
/** Bytes of the access token's MAC bound into the message. */
export const BOUND_TOKEN_MAC_BYTES = 16;
/** Hex digits of the ETag bound into the message. */
export const BOUND_ETAG_CHARS = 32;

export interface StreamPosition {
    readonly memoryId: string;
    readonly variant: string;
    readonly assetId: string;
    readonly chunkIndex: number;
    readonly offset: bigint;
    readonly end: bigint;
    /** Seconds: when the bucket handed out this position. */
    readonly issuedAt: bigint;
    readonly accessToken: string;
    /** The asset's SHA-256, lowercase hex. */
    readonly etag: string;
}

/** True when every character is ASCII (then one byte per character). */
function isAscii(text: string): boolean {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
    return true;
}

/** The string's bytes: ASCII written directly (ids, hex); anything else through UTF-8, rare and slow. */
function textBytes(text: string): Uint8Array {
    if (!isAscii(text)) return new TextEncoder().encode(text);
    const out = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
    return out;
}

/**
 * The bytes the stream MAC is computed over, given the access token's verified MAC:
 * 'S3' ‖ token MAC[0..16) ‖ u8 variant index (255: unknown) ‖ u8 len ‖ memory_id ‖ u8 len ‖ asset_id
 * ‖ u8 len ‖ etag[0..32) ‖ u32be chunk_index ‖ u64be offset ‖ u64be end ‖ u64be issued_at.
 * Lengths are capped at 255 (a longer field is cut, which only makes the check stricter: such ids
 * are refused anyway). Every field has a length or a fixed size, so the encoding is injective.
 */
export function streamMacMessage(position: StreamPosition, accessTokenMac: Uint8Array): Uint8Array {
    const memory = textBytes(position.memoryId);
    const asset = textBytes(position.assetId);
    const etag = textBytes(position.etag.length > BOUND_ETAG_CHARS ? position.etag.slice(0, BOUND_ETAG_CHARS) : position.etag);
    const memoryLength = Math.min(memory.length, 255);
    const assetLength = Math.min(asset.length, 255);
    const out = new Uint8Array(2 + BOUND_TOKEN_MAC_BYTES + 1 + 1 + memoryLength + 1 + assetLength + 1 + etag.length + 4 + 3 * 8);
    out[0] = TAG_0;
    out[1] = TAG_1;
    out.set(accessTokenMac.subarray(0, BOUND_TOKEN_MAC_BYTES), 2);
    let at = 2 + BOUND_TOKEN_MAC_BYTES;
    const variantIndex = (VARIANTS as readonly string[]).indexOf(position.variant);
    out[at++] = variantIndex < 0 ? 255 : variantIndex;
    out[at++] = memoryLength;
    out.set(memory.subarray(0, memoryLength), at);
    at += memoryLength;
    out[at++] = assetLength;
    out.set(asset.subarray(0, assetLength), at);
    at += assetLength;
    out[at++] = etag.length;
    out.set(etag, at);
    at += etag.length;
    const chunk = position.chunkIndex >>> 0;
    out[at++] = chunk >>> 24;
    out[at++] = chunk >>> 16;
    out[at++] = chunk >>> 8;
    out[at++] = chunk;
    for (const value of [position.offset, position.end, position.issuedAt]) {
        const [high, low] = halves(value);
        out[at++] = high >>> 24;
        out[at++] = high >>> 16;
        out[at++] = high >>> 8;
        out[at++] = high;
        out[at++] = low >>> 24;
        out[at++] = low >>> 16;
        out[at++] = low >>> 8;
        out[at++] = low;
    }
    return out;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** The u64 value's high and low 32 bits; real offsets and seconds are below 2^53 and skip BigInt shifts. */
function halves(value: bigint): [number, number] {
    const v = BigInt.asUintN(64, value);
    if (v <= MAX_SAFE) {
        const n = Number(v);
        return [Math.floor(n / 0x1_0000_0000), n >>> 0];
    }
    return [Number(v >> 32n), Number(v & 0xffffffffn)];
}
