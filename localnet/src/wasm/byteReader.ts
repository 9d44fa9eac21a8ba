import {
    Leb128Error,
    readSignedLeb128,
    readSignedLeb128Big,
    readUnsignedLeb128,
    skipLeb128,
    type ByteCursor,
    type UnsignedLeb128Bounds
} from '../leb128';

/**
 * Sequential reader over a wasm binary: bytes, LEB128 integers and names. Positions are absolute
 * offsets into the underlying array so callers can copy untouched ranges verbatim.
 */
export class ByteReader implements ByteCursor {
    pos: number;

    constructor(
        readonly bytes: Uint8Array,
        start = 0,
        readonly end = bytes.length
    ) {
        this.pos = start;
    }

    get atEnd(): boolean {
        return this.pos >= this.end;
    }

    u8(): number {
        if (this.pos >= this.end) throw new WasmDecodeError('unexpected end of data', this.pos);
        return this.bytes[this.pos++]!;
    }

    /** Unsigned LEB128 that must fit 32 bits. */
    u32(): number {
        try {
            return readUnsignedLeb128(this, U32);
        } catch (error) {
            throw asWasmError(error, 'u32 LEB128 out of range', 'at the last byte');
        }
    }

    /** Signed LEB128 (up to `bits` wide), returned as a JS number; exact for values within 2^53. */
    signed(bits: 32 | 33 | 64): number {
        // Above 35 bits the intermediate sums would exceed 2^53, so decode those exactly as bigint.
        if (bits > 33) return Number(this.signedBig(bits));
        try {
            return readSignedLeb128(this, { maxBytes: Math.ceil(bits / 7) });
        } catch (error) {
            throw asWasmError(error, `s${bits} LEB128 too long`, 'after the last byte');
        }
    }

    signedBig(bits: number): bigint {
        try {
            return readSignedLeb128Big(this, { maxBytes: Math.ceil(bits / 7) });
        } catch (error) {
            throw asWasmError(error, `s${bits} LEB128 too long`, 'after the last byte');
        }
    }

    /** Skips a LEB128 integer of at most `maxBytes` bytes without decoding it. */
    skipLeb(maxBytes: number): void {
        try {
            skipLeb128(this, { maxBytes });
        } catch (error) {
            throw asWasmError(error, 'LEB128 too long', 'after the last byte');
        }
    }

    take(length: number): Uint8Array {
        if (this.pos + length > this.end) throw new WasmDecodeError('unexpected end of data', this.pos);
        const slice = this.bytes.subarray(this.pos, this.pos + length);
        this.pos += length;
        return slice;
    }

    skip(length: number): void {
        if (this.pos + length > this.end) throw new WasmDecodeError('unexpected end of data', this.pos);
        this.pos += length;
    }

    name(): string {
        return utf8.decode(this.take(this.u32()));
    }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The wasm spec's u32: at most 5 bytes (⌈32 / 7⌉), value below 2^32. */
const U32: UnsignedLeb128Bounds = { maxBytes: 5, maxValue: 0xffff_ffff };

/**
 * The shared reader's failures as wasm decode errors, with the messages and offsets they always
 * had: a u32 that is too long or too large is "out of range" at its last byte; a signed or skipped
 * integer that is too long is reported where the next byte would have been.
 */
function asWasmError(error: unknown, tooLong: string, reported: 'at the last byte' | 'after the last byte'): unknown {
    if (!(error instanceof Leb128Error)) return error;
    if (error.failure === 'truncated') return new WasmDecodeError('unexpected end of data', error.offset);
    return new WasmDecodeError(tooLong, reported === 'at the last byte' ? error.offset : error.offset + 1);
}

/** A binary we cannot decode (malformed, or using a feature we refuse to instrument). */
export class WasmDecodeError extends Error {
    constructor(
        message: string,
        readonly offset: number
    ) {
        super(`${message} (at byte offset ${offset})`);
        this.name = 'WasmDecodeError';
    }
}
