/**
 * HMAC-SHA256 with the key's inner and outer pad states computed once, for the verifier's hot
 * path. Inside a canister the JavaScript runs in QuickJS, where every allocation and generic call
 * costs thousands of instructions: a verification through @noble/hashes' `hmac.create(...).clone()`
 * cost 3.9M instructions for a 53-byte token payload, most of it cloning and allocating rather than
 * the two SHA-256 compressions it needs. Here the pads' states are two 8-word arrays, the
 * compression works on a preallocated schedule, and nothing is allocated per call but the 32-byte
 * result. Equal to Node's HMAC by property test (shared/test/mac.test.ts).
 */
import { sha256 } from '@noble/hashes/sha2';

const K = Int32Array.from([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
    0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
    0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
]);
const IV = Int32Array.from([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);

/** One SHA-256 compression of the 64 bytes of `block` at `offset` into `state` (in place), `w` the scratch schedule. */
function compress(state: Int32Array, block: Uint8Array, offset: number, w: Int32Array): void {
    for (let i = 0; i < 16; i++) {
        const j = offset + i * 4;
        w[i] = (block[j]! << 24) | (block[j + 1]! << 16) | (block[j + 2]! << 8) | block[j + 3]!;
    }
    for (let i = 16; i < 64; i++) {
        const a = w[i - 15]!;
        const b = w[i - 2]!;
        const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
        const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
        w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0;
    }
    let a = state[0]!;
    let b = state[1]!;
    let c = state[2]!;
    let d = state[3]!;
    let e = state[4]!;
    let f = state[5]!;
    let g = state[6]!;
    let h = state[7]!;
    for (let i = 0; i < 64; i++) {
        const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
        const t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) | 0;
        const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
        const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        h = g;
        g = f;
        f = e;
        e = (d + t1) | 0;
        d = c;
        c = b;
        b = a;
        a = (t1 + t2) | 0;
    }
    state[0] = (state[0]! + a) | 0;
    state[1] = (state[1]! + b) | 0;
    state[2] = (state[2]! + c) | 0;
    state[3] = (state[3]! + d) | 0;
    state[4] = (state[4]! + e) | 0;
    state[5] = (state[5]! + f) | 0;
    state[6] = (state[6]! + g) | 0;
    state[7] = (state[7]! + h) | 0;
}

/** The state after absorbing one 64-byte pad block. */
function padState(key: Uint8Array, byte: number, w: Int32Array): Int32Array {
    const block = new Uint8Array(64);
    for (let i = 0; i < 64; i++) block[i] = (key[i] ?? 0) ^ byte;
    const state = Int32Array.from(IV);
    compress(state, block, 0, w);
    return state;
}

/**
 * Finishes a hash whose state has absorbed `prefixLength` bytes (a whole number of blocks): absorbs
 * `message`, pads, and writes the 32-byte digest into `out`.
 */
function finish(state: Int32Array, prefixLength: number, message: Uint8Array, out: Uint8Array, w: Int32Array, tail: Uint8Array): void {
    const whole = message.length - (message.length % 64);
    for (let offset = 0; offset < whole; offset += 64) compress(state, message, offset, w);
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
    compress(state, tail, 0, w);
    if (blocks === 2) compress(state, tail, 64, w);
    for (let i = 0; i < 8; i++) {
        const word = state[i]!;
        out[i * 4] = word >>> 24;
        out[i * 4 + 1] = word >>> 16;
        out[i * 4 + 2] = word >>> 8;
        out[i * 4 + 3] = word;
    }
}

/** HMAC-SHA256 under one key: `(message) => mac`, each call independent of the others. */
export function hmacSha256Keyed(key: Uint8Array): (message: Uint8Array) => Uint8Array {
    const w = new Int32Array(64);
    const k = key.length > 64 ? sha256(key) : key;
    const inner = padState(k, 0x36, w);
    const outer = padState(k, 0x5c, w);
    const state = new Int32Array(8);
    const tail = new Uint8Array(128);
    const innerDigest = new Uint8Array(32);
    return (message) => {
        state.set(inner);
        finish(state, 64, message, innerDigest, w, tail);
        state.set(outer);
        const mac = new Uint8Array(32);
        finish(state, 64, innerDigest, mac, w, tail);
        return mac;
    };
}
