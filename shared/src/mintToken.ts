/** Minting: claims + key → token string (docs/token-format.md, "Token string"). */
import { base64UrlNoPad } from './base64';
import { hmacSha256, MAC_LENGTH } from './mac';
import type { KeyState } from './keyring';
import { InvalidClaimsError, NONCE_LENGTH, TOKEN_VERSION, type MintClaims } from './tokenClaims';
import { encodePayload } from './tokenCodec';

/** Tokens longer than this are refused unread by verifiers, so minting refuses them too. */
export const MAX_TOKEN_LENGTH = 1024;

export interface SigningKey {
    readonly kid: string;
    readonly secret: Uint8Array;
    /** When given (a keyring entry), must be 'active': verify-only keys never sign. */
    readonly state?: KeyState;
}

/** Throws InvalidClaimsError for claims that could not verify, and TypeError for a bad key. */
export function mintToken(claims: MintClaims, key: SigningKey): string {
    if (key.state !== undefined && key.state !== 'active') {
        throw new TypeError(`key ${key.kid} is ${key.state} and cannot sign`);
    }
    if (!(key.secret instanceof Uint8Array) || key.secret.length !== 32) {
        throw new TypeError('signing secret must be 32 bytes');
    }
    const payload = encodePayload({ ...claims, version: TOKEN_VERSION, kid: key.kid });
    const framed = new Uint8Array(payload.length + MAC_LENGTH);
    framed.set(payload, 0);
    framed.set(hmacSha256(key.secret, payload), payload.length);
    const token = base64UrlNoPad.encode(framed);
    if (token.length > MAX_TOKEN_LENGTH) {
        throw new InvalidClaimsError(`token would be ${token.length} characters (max ${MAX_TOKEN_LENGTH})`);
    }
    return token;
}

/** 96 fresh bits from the platform CSPRNG (Node, browsers and Azle all provide getRandomValues). */
export function randomNonce(): Uint8Array {
    return globalThis.crypto.getRandomValues(new Uint8Array(NONCE_LENGTH));
}
