/**
 * A second implementation of docs/token-format.md written only from the document, with Node's
 * Buffer and crypto (never the library's code), so the vectors test cross-checks the spec.
 */
import { createHmac } from 'node:crypto';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** Principal text → bytes: base32 (RFC 4648, lowercase, no padding) of CRC32 ‖ bytes. */
export function principalTextToBytes(text: string): Buffer {
    const chars = text.replace(/-/g, '');
    let bits = 0;
    let value = 0;
    const out: number[] = [];
    for (const c of chars) {
        const index = BASE32.indexOf(c);
        if (index < 0) throw new Error(`bad principal ${text}`);
        value = (value << 5) | index;
        bits += 5;
        if (bits >= 8) {
            out.push((value >>> (bits - 8)) & 0xff);
            bits -= 8;
        }
    }
    return Buffer.from(out.slice(4));
}

export interface SpecClaims {
    version: number;
    purpose: 'read' | 'upload' | 'delete';
    kid: string;
    aud: string;
    sub: string | null;
    scope: { memory_id: string; variants: string[]; asset_ids: string[] | null };
    iat: number;
    exp: number;
    nonce_hex: string;
}

const PURPOSE: Record<string, number> = { read: 1, upload: 2, delete: 3 };
const VARIANT_BIT: Record<string, number> = { thumbnail: 1, preview: 2, placeholder: 4, original: 8 };

function short(bytes: Buffer): Buffer {
    return Buffer.concat([Buffer.from([bytes.length]), bytes]);
}

export function specPayload(claims: SpecClaims): Buffer {
    const u64 = (n: number): Buffer => {
        const b = Buffer.alloc(8);
        b.writeBigUInt64BE(BigInt(n));
        return b;
    };
    const assetIds = [...(claims.scope.asset_ids ?? [])].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    return Buffer.concat([
        Buffer.from([claims.version, PURPOSE[claims.purpose]!]),
        short(Buffer.from(claims.kid, 'ascii')),
        short(principalTextToBytes(claims.aud)),
        short(claims.sub === null ? Buffer.alloc(0) : principalTextToBytes(claims.sub)),
        short(Buffer.from(claims.scope.memory_id, 'ascii')),
        Buffer.from([claims.scope.variants.reduce((m, v) => m | VARIANT_BIT[v]!, 0)]),
        Buffer.from([assetIds.length]),
        ...assetIds.map((id) => short(Buffer.from(id, 'ascii'))),
        u64(claims.iat),
        u64(claims.exp),
        Buffer.from(claims.nonce_hex, 'hex')
    ]);
}

export function specToken(payload: Buffer, keyHex: string): string {
    const mac = createHmac('sha256', Buffer.from(keyHex, 'hex')).update(payload).digest();
    return Buffer.concat([payload, mac]).toString('base64url');
}

export function specDeriveBucketKey(masterHex: string, kid: string, bucket: string): string {
    const principal = principalTextToBytes(bucket);
    const message = Buffer.concat([
        Buffer.from('icp-private-assets/bucket-key/v1', 'ascii'),
        short(Buffer.from(kid, 'ascii')),
        short(principal)
    ]);
    return createHmac('sha256', Buffer.from(masterHex, 'hex')).update(message).digest('hex');
}
