/**
 * Streaming tokens carry a MAC made with the key of the access token's kid, over what identifies
 * the stream. Only a stream this bucket started (after verifying the access token) can continue,
 * which is what makes the expired-token grace period safe: nobody can claim a grace period for a
 * stream that never started.
 */
const LABEL = new TextEncoder().encode('icp-private-assets/stream/v1');

export interface StreamIdentity {
    readonly memoryId: string;
    readonly variant: string;
    readonly assetId: string;
    readonly end: bigint;
    readonly accessToken: string;
    readonly etag: string;
}

export function streamMacMessage(stream: StreamIdentity): Uint8Array {
    const encoder = new TextEncoder();
    const parts = [stream.memoryId, stream.variant, stream.assetId, stream.end.toString(), stream.accessToken, stream.etag].map((p) =>
        encoder.encode(p)
    );
    const out = new Uint8Array(LABEL.length + parts.reduce((n, p) => n + 2 + p.length, 0));
    out.set(LABEL, 0);
    let offset = LABEL.length;
    for (const part of parts) {
        out[offset++] = part.length >> 8;
        out[offset++] = part.length & 0xff;
        out.set(part, offset);
        offset += part.length;
    }
    return out;
}
