/**
 * HMAC-SHA256 with the key's inner and outer pad states computed once, for the verifier's hot
 * path. Inside a canister the JavaScript runs in QuickJS, where every allocation and generic call
 * costs thousands of instructions: a verification through @noble/hashes' `hmac.create(...).clone()`
 * cost 3.9M instructions for a 53-byte token payload, most of it cloning and allocating rather than
 * the two SHA-256 compressions it needs. Here the pads' states are two 8-word arrays, the
 * compression is unrolled (sha256Compress.ts, generated), the outer hash takes the inner digest as
 * words, and nothing is allocated per call but the 32-byte result. Equal to Node's HMAC by
 * property test (shared/test/mac.test.ts).
 */
import { sha256 } from '@noble/hashes/sha2';
import { sha256Compress, sha256CompressDigest } from './sha256Compress';

const IV = Int32Array.from([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);

/** The state after absorbing one 64-byte pad block. */
function padState(key: Uint8Array, byte: number): Int32Array {
    const block = new Uint8Array(64);
    for (let i = 0; i < 64; i++) block[i] = (key[i] ?? 0) ^ byte;
    const state = Int32Array.from(IV);
    sha256Compress(state, block, 0);
    return state;
}

/**
 * Absorbs `message` into a state that has absorbed `prefixLength` bytes (a whole number of
 * blocks), then pads: `state` then holds the digest as 8 words.
 */
function absorbAndPad(state: Int32Array, prefixLength: number, message: Uint8Array, tail: Uint8Array): void {
    const whole = message.length - (message.length % 64);
    for (let offset = 0; offset < whole; offset += 64) sha256Compress(state, message, offset);
    const rest = message.length - whole;
    tail.fill(0);
    tail.set(message.subarray(whole), 0);
    tail[rest] = 0x80;
    const blocks = rest + 9 > 64 ? 2 : 1;
    const bits = (prefixLength + message.length) * 8;
    const end = blocks * 64;
    // Messages here are far below 2^32 bytes: the length's high word is bits / 2^32.
    const high = Math.floor(bits / 0x1_0000_0000);
    tail[end - 8] = high >>> 24;
    tail[end - 7] = high >>> 16;
    tail[end - 6] = high >>> 8;
    tail[end - 5] = high;
    tail[end - 4] = bits >>> 24;
    tail[end - 3] = bits >>> 16;
    tail[end - 2] = bits >>> 8;
    tail[end - 1] = bits;
    sha256Compress(state, tail, 0);
    if (blocks === 2) sha256Compress(state, tail, 64);
}

/** HMAC-SHA256 under one key: `(message) => mac`, each call independent of the others. */
export function hmacSha256Keyed(key: Uint8Array): (message: Uint8Array) => Uint8Array {
    const k = key.length > 64 ? sha256(key) : key;
    const inner = padState(k, 0x36);
    const outer = padState(k, 0x5c);
    const innerState = new Int32Array(8);
    const outerState = new Int32Array(8);
    const tail = new Uint8Array(128);
    return (message) => {
        innerState.set(inner);
        absorbAndPad(innerState, 64, message, tail);
        outerState.set(outer);
        sha256CompressDigest(outerState, innerState);
        const mac = new Uint8Array(32);
        for (let i = 0; i < 8; i++) {
            const word = outerState[i]!;
            mac[i * 4] = word >>> 24;
            mac[i * 4 + 1] = word >>> 16;
            mac[i * 4 + 2] = word >>> 8;
            mac[i * 4 + 3] = word;
        }
        return mac;
    };
}
