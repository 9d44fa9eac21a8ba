/**
 * LEB128, the variable-length integers of wasm binaries, Candid messages and the IC's state tree:
 * the one reader localnet has. Each format bounds its integers differently (wasm's u32 in at most
 * 5 bytes, Candid's lengths and ids, the state tree's naturals unbounded), so every read names its
 * bounds instead of each format keeping a reader of its own. Overlong encodings (padding bytes of
 * 0x80 before a final 0x00) are accepted within the byte bound, as wasm requires.
 *
 * Readers work on a cursor, so wasm's and Candid's readers pass themselves and keep their own
 * positions and error types (they translate Leb128Error).
 */

/** Where to read: bytes[pos, end). `pos` moves past the integer on success. */
export interface ByteCursor {
    readonly bytes: Uint8Array;
    pos: number;
    readonly end: number;
}

export interface UnsignedLeb128Bounds {
    /** The longest encoding accepted, in bytes; a continuation bit on the last one is "too long". */
    readonly maxBytes: number;
    /** The largest value accepted (Infinity: any). */
    readonly maxValue: number | bigint;
}

export interface SignedLeb128Bounds {
    readonly maxBytes: number;
}

export type Leb128Failure = 'truncated' | 'too long' | 'out of range';

export class Leb128Error extends Error {
    override name = 'Leb128Error';

    constructor(
        readonly failure: Leb128Failure,
        /** For 'truncated', where the input ends; otherwise the offending byte (the last one read). */
        readonly offset: number
    ) {
        super(`LEB128 ${failure} at byte offset ${offset}`);
    }
}

function nextByte(input: ByteCursor, pos: number): number {
    if (pos >= input.end) throw new Leb128Error('truncated', pos);
    return input.bytes[pos]!;
}

/**
 * An unsigned LEB128 as a number: exact while the value is below 2^53 (any maxBytes ≤ 7 keeps it
 * so); above that it is the nearest double, which Candid's lengths and ids never reach.
 */
export function readUnsignedLeb128(input: ByteCursor, bounds: UnsignedLeb128Bounds): number {
    let pos = input.pos;
    let value = 0;
    let scale = 1;
    for (let length = 1; ; length++) {
        const byte = nextByte(input, pos++);
        value += (byte & 0x7f) * scale;
        if (byte < 0x80) {
            if (value > bounds.maxValue) throw new Leb128Error('out of range', pos - 1);
            input.pos = pos;
            return value;
        }
        if (length >= bounds.maxBytes) throw new Leb128Error('too long', pos - 1);
        scale *= 128;
    }
}

/** An unsigned LEB128 as an exact bigint. */
export function readUnsignedLeb128Big(input: ByteCursor, bounds: UnsignedLeb128Bounds): bigint {
    let pos = input.pos;
    let value = 0n;
    let shift = 0n;
    for (let length = 1; ; length++) {
        const byte = nextByte(input, pos++);
        value |= BigInt(byte & 0x7f) << shift;
        if (byte < 0x80) {
            if (value > bounds.maxValue) throw new Leb128Error('out of range', pos - 1);
            input.pos = pos;
            return value;
        }
        if (length >= bounds.maxBytes) throw new Leb128Error('too long', pos - 1);
        shift += 7n;
    }
}

/**
 * A signed (two's complement) LEB128 as a number: exact while maxBytes * 7 ≤ 53. The unused high
 * bits of a last byte are not checked, as none of localnet's formats needs them to be.
 */
export function readSignedLeb128(input: ByteCursor, bounds: SignedLeb128Bounds): number {
    let pos = input.pos;
    let value = 0;
    let scale = 1;
    for (let length = 1; ; length++) {
        const byte = nextByte(input, pos++);
        value += (byte & 0x7f) * scale;
        scale *= 128;
        if (byte < 0x80) {
            input.pos = pos;
            return byte & 0x40 ? value - scale : value;
        }
        if (length >= bounds.maxBytes) throw new Leb128Error('too long', pos - 1);
    }
}

/** A signed LEB128 as an exact bigint. */
export function readSignedLeb128Big(input: ByteCursor, bounds: SignedLeb128Bounds): bigint {
    let pos = input.pos;
    let value = 0n;
    let shift = 0n;
    for (let length = 1; ; length++) {
        const byte = nextByte(input, pos++);
        value |= BigInt(byte & 0x7f) << shift;
        shift += 7n;
        if (byte < 0x80) {
            input.pos = pos;
            return byte & 0x40 ? value - (1n << shift) : value;
        }
        if (length >= bounds.maxBytes) throw new Leb128Error('too long', pos - 1);
    }
}

/** Moves past a LEB128 (signed or unsigned) of at most maxBytes without decoding it. */
export function skipLeb128(input: ByteCursor, bounds: SignedLeb128Bounds): void {
    let pos = input.pos;
    for (let length = 1; ; length++) {
        if (nextByte(input, pos++) < 0x80) {
            input.pos = pos;
            return;
        }
        if (length >= bounds.maxBytes) throw new Leb128Error('too long', pos - 1);
    }
}

/** Any natural number, as the state tree and request ids encode `/time`, reject codes and nats. */
const ANY_NATURAL: UnsignedLeb128Bounds = { maxBytes: Infinity, maxValue: Infinity };

export function encodeUnsignedLeb128(value: bigint | number): Uint8Array {
    let rest = BigInt(value);
    if (rest < 0n) throw new RangeError('LEB128 encodes natural numbers only');
    const bytes: number[] = [];
    do {
        const low = Number(rest & 0x7fn);
        rest >>= 7n;
        bytes.push(rest === 0n ? low : low | 0x80);
    } while (rest !== 0n);
    return Uint8Array.from(bytes);
}

/** A buffer holding exactly one unsigned LEB128 of any size (a state tree leaf such as `/time`). */
export function decodeUnsignedLeb128(bytes: Uint8Array): bigint {
    const input: ByteCursor = { bytes, pos: 0, end: bytes.length };
    let value: bigint;
    try {
        value = readUnsignedLeb128Big(input, ANY_NATURAL);
    } catch (error) {
        if (error instanceof Leb128Error) throw new Error('truncated LEB128 number');
        throw error;
    }
    if (input.pos !== bytes.length) throw new Error('trailing bytes after LEB128 number');
    return value;
}
