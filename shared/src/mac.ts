/** HMAC-SHA256 helpers shared by token signing and key derivation. */
import { hmac } from '@noble/hashes/hmac';
import { sha256 } from '@noble/hashes/sha2';
import { hmacSha256Keyed } from './hmacSha256Keyed';

export const MAC_LENGTH = 32;
export const SECRET_LENGTH = 32;

export function hmacSha256(key: Uint8Array, message: Uint8Array): Uint8Array {
    return hmac(sha256, key, message);
}

/**
 * A MAC function with the key's inner and outer pads absorbed once: each call then hashes only
 * the message (two SHA-256 compressions for a token payload) and allocates nothing but its result
 * (see hmacSha256Keyed.ts for what that saves inside a canister).
 */
export function keyedMac(key: Uint8Array): (message: Uint8Array) => Uint8Array {
    return hmacSha256Keyed(key);
}

/** Compares in time that depends only on the lengths, never on where the inputs differ. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
    if (a.length !== b.length) return false;
    let diff = 0;
    for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
    return diff === 0;
}
