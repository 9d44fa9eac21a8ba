/**
 * Per-bucket key derivation: a bucket receives only keys derived for its own principal, so a
 * compromised bucket cannot mint tokens another bucket accepts (docs/token-format.md, "Keys").
 */
import { Principal } from '@dfinity/principal';
import { isValidKid } from './ids';
import { hmacSha256, SECRET_LENGTH } from './mac';

export const BUCKET_KEY_LABEL = 'icp-private-assets/bucket-key/v1';

const labelBytes = new TextEncoder().encode(BUCKET_KEY_LABEL);

/** HMAC-SHA256(master, label ‖ u8 len ‖ kid ‖ u8 len ‖ principal bytes). */
export function deriveBucketKey(master: Uint8Array, kid: string, bucketPrincipal: string): Uint8Array {
    if (!(master instanceof Uint8Array) || master.length < SECRET_LENGTH) {
        throw new TypeError(`master secret must be at least ${SECRET_LENGTH} bytes`);
    }
    if (!isValidKid(kid)) throw new TypeError('kid must be 1..32 characters of [A-Za-z0-9_-]');
    const principal = Principal.fromText(bucketPrincipal).toUint8Array();
    const kidBytes = new TextEncoder().encode(kid);
    const message = new Uint8Array(labelBytes.length + 1 + kidBytes.length + 1 + principal.length);
    let offset = 0;
    message.set(labelBytes, offset);
    offset += labelBytes.length;
    message[offset++] = kidBytes.length;
    message.set(kidBytes, offset);
    offset += kidBytes.length;
    message[offset++] = principal.length;
    message.set(principal, offset);
    return hmacSha256(master, message);
}
