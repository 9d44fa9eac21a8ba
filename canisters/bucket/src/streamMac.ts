/**
 * Streaming tokens are sealed: a MAC, made with the key of the access token's kid, covers every
 * field the callback acts on (what is streamed, the position, the end, when the bucket handed the
 * token out) and binds the access token itself through that token's own MAC. Only positions this
 * bucket handed out can be asked for, so a stream can neither be rewound, restarted elsewhere nor
 * widened, which is what makes the expired-token grace safe.
 */
import { base64UrlNoPad, MAC_LENGTH } from '@icp-private-assets/shared';

const LABEL = new TextEncoder().encode('icp-private-assets/stream/v2');

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

/** The access token's own MAC (its last 32 bytes); empty for a string that is no token (never verified). */
function accessTokenMac(token: string): Uint8Array {
    try {
        const framed = base64UrlNoPad.decode(token);
        return framed.length > MAC_LENGTH ? framed.subarray(framed.length - MAC_LENGTH) : new Uint8Array(0);
    } catch {
        return new Uint8Array(0);
    }
}

/** The bytes the stream MAC is computed over: every field, each length-prefixed or fixed-size. */
export function streamMacMessage(position: StreamPosition): Uint8Array {
    const encoder = new TextEncoder();
    const parts: Uint8Array[] = [position.memoryId, position.variant, position.assetId, position.etag].map((p) => encoder.encode(p));
    parts.push(accessTokenMac(position.accessToken));
    const out = new Uint8Array(LABEL.length + parts.reduce((n, p) => n + 2 + p.length, 0) + 4 + 3 * 8);
    const view = new DataView(out.buffer);
    out.set(LABEL, 0);
    let at = LABEL.length;
    for (const part of parts) {
        view.setUint16(at, Math.min(part.length, 0xffff));
        out.set(part, at + 2);
        at += 2 + part.length;
    }
    view.setUint32(at, position.chunkIndex >>> 0);
    at += 4;
    for (const value of [position.offset, position.end, position.issuedAt]) {
        const v = BigInt.asUintN(64, value);
        view.setUint32(at, Number(v >> 32n));
        view.setUint32(at + 4, Number(v & 0xffffffffn));
        at += 8;
    }
    return out;
}
