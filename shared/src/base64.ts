/**
 * Base64 (RFC 4648 §4, padded) and base64url (§5, unpadded) with canonical decoding, written for
 * canisters: inside Azle's QuickJS a generic radix converter (@scure/base) costs about 28,000
 * instructions per byte, which alone would exceed a bucket's per-request budget; these table-driven
 * loops cost a small fraction of that. Decoding is strict: wrong characters, wrong padding, or
 * non-zero unused bits are errors, so each byte string has exactly one accepted spelling.
 */

const STANDARD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URL_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function decodeTable(alphabet: string): Int16Array {
    const table = new Int16Array(128).fill(-1);
    for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
    return table;
}

const STANDARD_DECODE = decodeTable(STANDARD);
const URL_SAFE_DECODE = decodeTable(URL_SAFE);

export class Base64DecodeError extends Error {
    override name = 'Base64DecodeError';
}

function encode(bytes: Uint8Array, alphabet: string, pad: boolean): string {
    let out = '';
    let i = 0;
    for (; i + 2 < bytes.length; i += 3) {
        const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
        out += alphabet[n >> 18]! + alphabet[(n >> 12) & 63]! + alphabet[(n >> 6) & 63]! + alphabet[n & 63]!;
    }
    const rest = bytes.length - i;
    if (rest === 1) {
        const n = bytes[i]! << 16;
        out += alphabet[n >> 18]! + alphabet[(n >> 12) & 63]! + (pad ? '==' : '');
    } else if (rest === 2) {
        const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
        out += alphabet[n >> 18]! + alphabet[(n >> 12) & 63]! + alphabet[(n >> 6) & 63]! + (pad ? '=' : '');
    }
    return out;
}

function decode(text: string, table: Int16Array, padded: boolean): Uint8Array {
    let length = text.length;
    if (padded) {
        if (length % 4 !== 0) throw new Base64DecodeError('padded base64 length must be a multiple of 4');
        if (text.endsWith('==')) length -= 2;
        else if (text.endsWith('=')) length -= 1;
    }
    if (length % 4 === 1) throw new Base64DecodeError('impossible base64 length');
    const out = new Uint8Array(Math.floor((length * 3) / 4));
    let o = 0;
    let i = 0;
    const value = (index: number): number => {
        const code = text.charCodeAt(index);
        const v = code < 128 ? table[code]! : -1;
        if (v < 0) throw new Base64DecodeError(`invalid base64 character at ${index}`);
        return v;
    };
    // Character values, inlined in the loop (a helper call per character is costly in QuickJS;
    // a table read measured cheaper inside Azle than a chain of comparisons).
    for (; i + 3 < length; i += 4) {
        const c0 = text.charCodeAt(i);
        const c1 = text.charCodeAt(i + 1);
        const c2 = text.charCodeAt(i + 2);
        const c3 = text.charCodeAt(i + 3);
        const v0 = c0 < 128 ? table[c0]! : -1;
        const v1 = c1 < 128 ? table[c1]! : -1;
        const v2 = c2 < 128 ? table[c2]! : -1;
        const v3 = c3 < 128 ? table[c3]! : -1;
        if ((v0 | v1 | v2 | v3) < 0) throw new Base64DecodeError(`invalid base64 character at ${v0 < 0 ? i : v1 < 0 ? i + 1 : v2 < 0 ? i + 2 : i + 3}`);
        const n = (v0 << 18) | (v1 << 12) | (v2 << 6) | v3;
        out[o++] = n >> 16;
        out[o++] = (n >> 8) & 0xff;
        out[o++] = n & 0xff;
    }
    const rest = length - i;
    if (rest === 2) {
        const n = (value(i) << 18) | (value(i + 1) << 12);
        if ((n & 0xffff) !== 0) throw new Base64DecodeError('non-zero unused bits in the last character');
        out[o++] = n >> 16;
    } else if (rest === 3) {
        const n = (value(i) << 18) | (value(i + 1) << 12) | (value(i + 2) << 6);
        if ((n & 0xff) !== 0) throw new Base64DecodeError('non-zero unused bits in the last character');
        out[o++] = n >> 16;
        out[o++] = (n >> 8) & 0xff;
    }
    return out;
}

const STANDARD_CODES = Uint8Array.from(STANDARD, (c) => c.charCodeAt(0));

/** Each 12-bit value's two base64 characters as a little-endian 16-bit pair (low byte first). */
const STANDARD_PAIRS = (() => {
    const pairs = new Int32Array(4096);
    for (let n = 0; n < 4096; n++) pairs[n] = STANDARD_CODES[n >> 6]! | (STANDARD_CODES[n & 63]! << 8);
    return pairs;
})();
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/**
 * Padded standard base64 written as ASCII bytes: for HTTP header values built as bytes (the
 * IC-Certificate header of every response). Inside Azle each typed-array access costs about
 * 1,000 instructions, so whole 12-byte groups are read as three 32-bit words and written as four
 * (two 12-bit table lookups each): 15 accesses per 12 bytes instead of 44.
 */
function encodeAscii(bytes: Uint8Array): Uint8Array {
    const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
    const groups = LITTLE_ENDIAN ? Math.floor(bytes.length / 12) : 0;
    if (groups > 0) {
        const aligned = new Uint8Array(groups * 12);
        aligned.set(bytes.subarray(0, groups * 12));
        const words = new Int32Array(aligned.buffer);
        const out32 = new Int32Array(out.buffer, 0, groups * 4);
        for (let g = 0, w = 0, o = 0; g < groups; g++, w += 3, o += 4) {
            // Little-endian words: x holds bytes 0..3 with byte 0 lowest.
            const x = words[w]!;
            const y = words[w + 1]!;
            const z = words[w + 2]!;
            const n0 = ((x & 0xff) << 16) | (x & 0xff00) | ((x >>> 16) & 0xff);
            const n1 = ((x >>> 24) << 16) | ((y & 0xff) << 8) | ((y >>> 8) & 0xff);
            const n2 = (((y >>> 16) & 0xff) << 16) | ((y >>> 24) << 8) | (z & 0xff);
            const n3 = (((z >>> 8) & 0xff) << 16) | (((z >>> 16) & 0xff) << 8) | (z >>> 24);
            out32[o] = STANDARD_PAIRS[n0 >> 12]! | (STANDARD_PAIRS[n0 & 0xfff]! << 16);
            out32[o + 1] = STANDARD_PAIRS[n1 >> 12]! | (STANDARD_PAIRS[n1 & 0xfff]! << 16);
            out32[o + 2] = STANDARD_PAIRS[n2 >> 12]! | (STANDARD_PAIRS[n2 & 0xfff]! << 16);
            out32[o + 3] = STANDARD_PAIRS[n3 >> 12]! | (STANDARD_PAIRS[n3 & 0xfff]! << 16);
        }
    }
    let o = groups * 16;
    let i = groups * 12;
    for (; i + 2 < bytes.length; i += 3) {
        const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
        out[o++] = STANDARD_CODES[n >> 18]!;
        out[o++] = STANDARD_CODES[(n >> 12) & 63]!;
        out[o++] = STANDARD_CODES[(n >> 6) & 63]!;
        out[o++] = STANDARD_CODES[n & 63]!;
    }
    const rest = bytes.length - i;
    if (rest > 0) {
        const n = (bytes[i]! << 16) | (rest === 2 ? bytes[i + 1]! << 8 : 0);
        out[o++] = STANDARD_CODES[n >> 18]!;
        out[o++] = STANDARD_CODES[(n >> 12) & 63]!;
        out[o++] = rest === 2 ? STANDARD_CODES[(n >> 6) & 63]! : 0x3d;
        out[o++] = 0x3d;
    }
    return out;
}

/** Standard alphabet, with padding (IC-Certificate header values). */
export const base64 = {
    encode: (bytes: Uint8Array): string => encode(bytes, STANDARD, true),
    encodeAscii,
    decode: (text: string): Uint8Array => decode(text, STANDARD_DECODE, true)
};

/** URL-safe alphabet, no padding (tokens). */
export const base64UrlNoPad = {
    encode: (bytes: Uint8Array): string => encode(bytes, URL_SAFE, false),
    decode: (text: string): Uint8Array => decode(text, URL_SAFE_DECODE, false)
};
