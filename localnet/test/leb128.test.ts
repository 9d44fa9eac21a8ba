/**
 * The one LEB128 reader: properties of the encoding for any bounds, then the edge cases each
 * caller relies on (wasm's u32 and signed immediates, Candid's lengths and type codes, the state
 * tree's naturals), through the callers' own readers so their errors stay what they were.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CandidError, CandidReader } from '../src/gateway/candidWire';
import {
    decodeUnsignedLeb128,
    encodeUnsignedLeb128,
    Leb128Error,
    readSignedLeb128,
    readSignedLeb128Big,
    readUnsignedLeb128,
    readUnsignedLeb128Big,
    skipLeb128,
    type ByteCursor,
    type Leb128Failure
} from '../src/leb128';
import { ByteReader, WasmDecodeError } from '../src/wasm/byteReader';

const cursor = (bytes: ArrayLike<number>): ByteCursor => ({ bytes: Uint8Array.from(bytes), pos: 0, end: bytes.length });
const ANY = { maxBytes: Infinity, maxValue: Infinity };

/** Signed LEB128, written here as the oracle (localnet's only signed writers are wasm's, for i64). */
function signedEncoding(value: bigint): Uint8Array {
    const bytes: number[] = [];
    for (let rest = value; ; ) {
        const low = Number(BigInt.asUintN(7, rest));
        rest >>= 7n;
        const done = (rest === 0n && (low & 0x40) === 0) || (rest === -1n && (low & 0x40) !== 0);
        bytes.push(done ? low : low | 0x80);
        if (done) return Uint8Array.from(bytes);
    }
}

/** The same value with `extra` padding bytes: the last byte gains a continuation, then 0x80…0x00 (or 0xff…0x7f for negatives). */
function padded(encoding: Uint8Array, extra: number, negative = false): Uint8Array {
    if (extra === 0) return encoding;
    const fill = negative ? 0xff : 0x80;
    return Uint8Array.from([...encoding.subarray(0, -1), encoding[encoding.length - 1]! | 0x80, ...Array(extra - 1).fill(fill), negative ? 0x7f : 0x00]);
}

function failureOf(read: () => unknown): { failure: Leb128Failure; offset: number } {
    try {
        read();
    } catch (error) {
        if (error instanceof Leb128Error) return { failure: error.failure, offset: error.offset };
        throw error;
    }
    throw new Error('expected a Leb128Error');
}

describe('the LEB128 reader, for any bounds', () => {
    const natural = fc.bigInt({ min: 0n, max: 2n ** 130n });
    const integer = fc.bigInt({ min: -(2n ** 130n), max: 2n ** 130n });

    it('reads back every natural exactly and stops right after it', () => {
        fc.assert(
            fc.property(natural, fc.uint8Array({ maxLength: 4 }), (value, after) => {
                const encoding = encodeUnsignedLeb128(value);
                const input = cursor([...encoding, ...after]);
                expect(readUnsignedLeb128Big(input, ANY)).toBe(value);
                expect(input.pos).toBe(encoding.length);
            })
        );
    });

    it('reads every integer back exactly (signed)', () => {
        fc.assert(
            fc.property(integer, (value) => {
                const input = cursor(signedEncoding(value));
                expect(readSignedLeb128Big(input, { maxBytes: Infinity })).toBe(value);
                expect(input.pos).toBe(input.end);
            })
        );
    });

    it('gives the same numbers as the bigint readers below 2^53 (signed: within 7 bytes, ±2^48)', () => {
        fc.assert(
            fc.property(fc.maxSafeNat(), (value) => {
                expect(readUnsignedLeb128(cursor(encodeUnsignedLeb128(value)), ANY)).toBe(value);
            })
        );
        fc.assert(
            fc.property(fc.integer({ min: -(2 ** 48), max: 2 ** 48 - 1 }), (value) => {
                expect(readSignedLeb128(cursor(signedEncoding(BigInt(value))), { maxBytes: Infinity })).toBe(value);
            })
        );
    });

    it('accepts overlong (padded) encodings within maxBytes and refuses them past it', () => {
        fc.assert(
            fc.property(natural, fc.integer({ min: 0, max: 4 }), fc.integer({ min: 1, max: 25 }), (value, extra, maxBytes) => {
                const bytes = padded(encodeUnsignedLeb128(value), extra);
                const bounds = { maxBytes, maxValue: Infinity };
                if (bytes.length <= maxBytes) expect(readUnsignedLeb128Big(cursor(bytes), bounds)).toBe(value);
                else expect(failureOf(() => readUnsignedLeb128Big(cursor(bytes), bounds))).toEqual({ failure: 'too long', offset: maxBytes - 1 });
            })
        );
        fc.assert(
            fc.property(integer, fc.integer({ min: 0, max: 4 }), (value, extra) => {
                const bytes = padded(signedEncoding(value), extra, value < 0n);
                expect(readSignedLeb128Big(cursor(bytes), { maxBytes: Infinity })).toBe(value);
            })
        );
    });

    it('refuses values above maxValue at their last byte and accepts maxValue itself', () => {
        fc.assert(
            fc.property(natural, natural, (a, b) => {
                const [value, maxValue] = a <= b ? [a, b] : [b, a];
                expect(readUnsignedLeb128Big(cursor(encodeUnsignedLeb128(value)), { maxBytes: Infinity, maxValue })).toBe(value);
                const above = encodeUnsignedLeb128(maxValue + 1n);
                expect(failureOf(() => readUnsignedLeb128Big(cursor(above), { maxBytes: Infinity, maxValue }))).toEqual({ failure: 'out of range', offset: above.length - 1 });
            })
        );
    });

    it('reports truncated input where it ends, for every strict prefix', () => {
        fc.assert(
            fc.property(natural, fc.nat(), (value, cut) => {
                const bytes = encodeUnsignedLeb128(value);
                const end = cut % bytes.length;
                const input: ByteCursor = { bytes, pos: 0, end };
                expect(failureOf(() => readUnsignedLeb128Big(input, ANY))).toEqual({ failure: 'truncated', offset: end });
                expect(failureOf(() => readUnsignedLeb128(input, ANY))).toEqual({ failure: 'truncated', offset: end });
                expect(failureOf(() => readSignedLeb128(input, { maxBytes: Infinity }))).toEqual({ failure: 'truncated', offset: end });
                expect(failureOf(() => skipLeb128(input, { maxBytes: Infinity }))).toEqual({ failure: 'truncated', offset: end });
                expect(input.pos).toBe(0);
            })
        );
    });

    it('skips exactly what it would read', () => {
        fc.assert(
            fc.property(integer, (value) => {
                const input = cursor(signedEncoding(value));
                skipLeb128(input, { maxBytes: Infinity });
                expect(input.pos).toBe(input.end);
            })
        );
    });

    it('reads from the cursor position, not the start of the array', () => {
        const input: ByteCursor = { bytes: Uint8Array.from([0xff, 0xe5, 0x8e, 0x26, 0x01]), pos: 1, end: 5 };
        expect(readUnsignedLeb128(input, ANY)).toBe(624_485);
        expect(input.pos).toBe(4);
    });
});

describe('wasm (ByteReader): u32 in at most 5 bytes, signed immediates by width', () => {
    const u32 = (...bytes: number[]) => new ByteReader(Uint8Array.from(bytes)).u32();

    it('reads 0 and 2^32 - 1, also padded to 5 bytes', () => {
        expect(u32(0x00)).toBe(0);
        expect(u32(0x80, 0x80, 0x80, 0x80, 0x00)).toBe(0);
        expect(u32(0xff, 0xff, 0xff, 0xff, 0x0f)).toBe(2 ** 32 - 1);
        expect(u32(0x83, 0x80, 0x80, 0x80, 0x00)).toBe(3);
    });

    it('refuses 2^32 and a sixth byte as out of range at the fifth byte', () => {
        expect(() => u32(0x80, 0x80, 0x80, 0x80, 0x10)).toThrow(new WasmDecodeError('u32 LEB128 out of range', 4));
        expect(() => u32(0xff, 0xff, 0xff, 0xff, 0x1f)).toThrow(new WasmDecodeError('u32 LEB128 out of range', 4));
        expect(() => u32(0x80, 0x80, 0x80, 0x80, 0x80, 0x00)).toThrow(new WasmDecodeError('u32 LEB128 out of range', 4));
    });

    it('reports truncation at the end of the reader window, even with bytes beyond it', () => {
        expect(() => u32(0x80, 0x80)).toThrow(new WasmDecodeError('unexpected end of data', 2));
        expect(() => new ByteReader(Uint8Array.from([0x80, 0x80, 0x01]), 0, 2).u32()).toThrow(new WasmDecodeError('unexpected end of data', 2));
    });

    it('reads i32 and i64 immediates at their limits, exactly', () => {
        const reader = (value: bigint) => new ByteReader(signedEncoding(value));
        expect(reader(-(2n ** 31n)).signed(32)).toBe(-(2 ** 31));
        expect(reader(2n ** 31n - 1n).signed(32)).toBe(2 ** 31 - 1);
        expect(reader(2n ** 63n - 1n).signedBig(64)).toBe(2n ** 63n - 1n);
        expect(reader(-(2n ** 63n)).signedBig(64)).toBe(-(2n ** 63n));
        expect(reader(2n ** 53n + 1n).signedBig(64)).toBe(2n ** 53n + 1n);
        expect(reader(2n ** 53n - 1n).signed(64)).toBe(2 ** 53 - 1);
    });

    it('refuses signed immediates longer than ⌈bits / 7⌉ bytes where the next byte would be', () => {
        const six = [0x80, 0x80, 0x80, 0x80, 0x80, 0x00];
        expect(() => new ByteReader(Uint8Array.from(six)).signed(32)).toThrow(new WasmDecodeError('s32 LEB128 too long', 5));
        expect(() => new ByteReader(Uint8Array.from(six)).signed(33)).toThrow(new WasmDecodeError('s33 LEB128 too long', 5));
        const eleven = [...Array(10).fill(0x80), 0x00];
        expect(() => new ByteReader(Uint8Array.from(eleven)).signed(64)).toThrow(new WasmDecodeError('s64 LEB128 too long', 10));
        expect(new ByteReader(Uint8Array.from(eleven.slice(1))).signedBig(64)).toBe(0n);
    });

    it('skips at most maxBytes', () => {
        const reader = new ByteReader(Uint8Array.from([0x80, 0x80, 0x80, 0x80, 0x00, 0x2a]));
        reader.skipLeb(5);
        expect(reader.u8()).toBe(0x2a);
        expect(() => new ByteReader(Uint8Array.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x00])).skipLeb(5)).toThrow(new WasmDecodeError('LEB128 too long', 5));
    });
});

describe('Candid (CandidReader): lengths and ids in at most 9 bytes, type codes in at most 8', () => {
    /** A Candid message with an empty type table and no arguments, followed by `bytes` to read. */
    const reader = (...bytes: number[]) => {
        const candid = new CandidReader(Uint8Array.from([0x44, 0x49, 0x44, 0x4c, 0x00, 0x00, ...bytes]));
        expect(candid.pos).toBe(6);
        return candid;
    };

    it('reads lengths exactly up to 2^53, and 9-byte values as the nearest double', () => {
        expect(reader(...encodeUnsignedLeb128(2 ** 32)).leb()).toBe(2 ** 32);
        expect(reader(...encodeUnsignedLeb128(2 ** 53 - 1)).leb()).toBe(2 ** 53 - 1);
        expect(reader(...encodeUnsignedLeb128(2n ** 53n)).leb()).toBe(2 ** 53);
        expect(reader(...encodeUnsignedLeb128(2n ** 63n - 1n)).leb()).toBe(2 ** 63);
        expect(reader(...padded(encodeUnsignedLeb128(5), 8)).leb()).toBe(5);
    });

    it('refuses a tenth byte and reports truncation as the end of the message', () => {
        expect(() => reader(...encodeUnsignedLeb128(2n ** 63n)).leb()).toThrow(new CandidError('LEB128 value too large'));
        expect(() => reader(...encodeUnsignedLeb128(2n ** 64n - 1n)).leb()).toThrow(/too large/);
        expect(() => reader(0x80, 0x80).leb()).toThrow(new CandidError('unexpected end of message'));
    });

    it('reads type codes (signed) in at most 8 bytes', () => {
        expect(reader(0x7f).sleb()).toBe(-1);
        expect(reader(0x68).sleb()).toBe(-24);
        expect(reader(...signedEncoding(-(2n ** 55n))).sleb()).toBe(-(2 ** 55));
        expect(reader(...signedEncoding(2n ** 55n - 1n)).sleb()).toBe(2 ** 55 - 1);
        expect(() => reader(...signedEncoding(2n ** 55n)).sleb()).toThrow(new CandidError('SLEB128 value too large'));
        expect(() => reader(0xff).sleb()).toThrow(new CandidError('unexpected end of message'));
    });

    it('skips nat and int values of any length', () => {
        const big = encodeUnsignedLeb128(2n ** 200n);
        // One argument of type nat (-3 = 0x7d), then its value.
        const candid = new CandidReader(Uint8Array.from([0x44, 0x49, 0x44, 0x4c, 0x00, 0x01, 0x7d, ...big]));
        candid.skip(candid.argTypes[0]!);
        expect(candid.pos).toBe(candid.bytes.length);
        const cut = new CandidReader(Uint8Array.from([0x44, 0x49, 0x44, 0x4c, 0x00, 0x01, 0x7d, 0x80]));
        expect(() => cut.skip(cut.argTypes[0]!)).toThrow(new CandidError('unexpected end of message'));
    });
});

describe('state tree naturals (decodeUnsignedLeb128): one number of any size filling the leaf', () => {
    it('reads u64 boundaries and beyond', () => {
        expect(decodeUnsignedLeb128(encodeUnsignedLeb128(2n ** 32n))).toBe(2n ** 32n);
        expect(decodeUnsignedLeb128(encodeUnsignedLeb128(2n ** 53n + 1n))).toBe(2n ** 53n + 1n);
        expect(decodeUnsignedLeb128(Uint8Array.from([...Array(9).fill(0xff), 0x01]))).toBe(2n ** 64n - 1n);
        expect(decodeUnsignedLeb128(Uint8Array.from([...Array(9).fill(0x80), 0x02]))).toBe(2n ** 64n);
        expect(decodeUnsignedLeb128(Uint8Array.from([0x80, 0x80, 0x00]))).toBe(0n);
    });

    it('refuses empty and truncated leaves, and trailing bytes', () => {
        expect(() => decodeUnsignedLeb128(new Uint8Array(0))).toThrow('truncated LEB128 number');
        expect(() => decodeUnsignedLeb128(Uint8Array.from([0xff, 0xff]))).toThrow('truncated LEB128 number');
        expect(() => decodeUnsignedLeb128(Uint8Array.from([0x01, 0x00]))).toThrow('trailing bytes after LEB128 number');
    });

    it('encodes naturals minimally and refuses negatives', () => {
        expect([...encodeUnsignedLeb128(624_485)]).toEqual([0xe5, 0x8e, 0x26]);
        expect([...encodeUnsignedLeb128(0)]).toEqual([0x00]);
        expect(() => encodeUnsignedLeb128(-1)).toThrow(RangeError);
    });
});
