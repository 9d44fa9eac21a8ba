/**
 * Sequential reader over a wasm binary: bytes, LEB128 integers and names. Positions are absolute
 * offsets into the underlying array so callers can copy untouched ranges verbatim.
 */
export class ByteReader {
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
        let result = 0;
        let shift = 0;
        for (;;) {
            const byte = this.u8();
            if (shift === 28 && byte > 0x0f) throw new WasmDecodeError('u32 LEB128 out of range', this.pos - 1);
            result += (byte & 0x7f) * 2 ** shift;
            if ((byte & 0x80) === 0) return result;
            shift += 7;
        }
    }

    /** Signed LEB128 (up to `bits` wide), returned as a JS number; exact for values within 2^53. */
    signed(bits: 32 | 33 | 64): number {
        // Above 35 bits the intermediate sums would exceed 2^53, so decode those exactly as bigint.
        if (bits > 33) return Number(this.signedBig(bits));
        let result = 0;
        let shift = 0;
        const maxBytes = Math.ceil(bits / 7);
        for (let i = 0; ; i++) {
            if (i >= maxBytes) throw new WasmDecodeError(`s${bits} LEB128 too long`, this.pos);
            const byte = this.u8();
            result += (byte & 0x7f) * 2 ** shift;
            shift += 7;
            if ((byte & 0x80) === 0) {
                if (byte & 0x40) result -= 2 ** shift;
                return result;
            }
        }
    }

    signedBig(bits: number): bigint {
        let result = 0n;
        let shift = 0n;
        const maxBytes = Math.ceil(bits / 7);
        for (let i = 0; ; i++) {
            if (i >= maxBytes) throw new WasmDecodeError(`s${bits} LEB128 too long`, this.pos);
            const byte = this.u8();
            result |= BigInt(byte & 0x7f) << shift;
            shift += 7n;
            if ((byte & 0x80) === 0) {
                if (byte & 0x40) result -= 1n << shift;
                return result;
            }
        }
    }

    /** Skips a LEB128 integer of at most `maxBytes` bytes without decoding it. */
    skipLeb(maxBytes: number): void {
        for (let i = 0; i < maxBytes; i++) {
            if ((this.u8() & 0x80) === 0) return;
        }
        throw new WasmDecodeError('LEB128 too long', this.pos);
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
