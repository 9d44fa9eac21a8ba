/**
 * Growable output buffer with the LEB128 encodings wasm needs. Sizes that are only known after
 * their content is written (section and function-body lengths) use a reserved, padded 5-byte
 * LEB128 slot that is patched afterwards, so content is never copied twice.
 */
export class ByteWriter {
    private buffer: Uint8Array<ArrayBuffer>;
    length = 0;

    constructor(initialCapacity = 1024) {
        this.buffer = new Uint8Array(initialCapacity);
    }

    private ensure(extra: number): void {
        const needed = this.length + extra;
        if (needed <= this.buffer.length) return;
        let capacity = this.buffer.length * 2;
        while (capacity < needed) capacity *= 2;
        const grown = new Uint8Array(capacity);
        grown.set(this.buffer.subarray(0, this.length));
        this.buffer = grown;
    }

    u8(byte: number): void {
        if (this.length >= this.buffer.length) this.ensure(1);
        this.buffer[this.length++] = byte;
    }

    u32(value: number): void {
        this.ensure(5);
        let v = value >>> 0;
        for (;;) {
            const byte = v & 0x7f;
            v >>>= 7;
            if (v === 0) {
                this.buffer[this.length++] = byte;
                return;
            }
            this.buffer[this.length++] = byte | 0x80;
        }
    }

    /** Signed LEB128 of an integer-valued JS number (exact within ±2^53); valid for i32 and i64 immediates. */
    signed(value: number): void {
        if (!Number.isInteger(value)) throw new RangeError(`not an integer: ${value}`);
        this.ensure(10);
        let v = value;
        for (;;) {
            // Euclidean remainder keeps the 7-bit group correct for negative values.
            const byte = ((v % 128) + 128) % 128;
            v = (v - byte) / 128;
            const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
            if (done) {
                this.buffer[this.length++] = byte;
                return;
            }
            this.buffer[this.length++] = byte | 0x80;
        }
    }

    /** Signed LEB128 of a bigint, for i64 constants beyond 2^53. */
    signedBig(value: bigint): void {
        this.ensure(10);
        let v = value;
        for (;;) {
            const byte = Number(v & 0x7fn);
            v >>= 7n;
            const done = (v === 0n && (byte & 0x40) === 0) || (v === -1n && (byte & 0x40) !== 0);
            if (done) {
                this.buffer[this.length++] = byte;
                return;
            }
            this.buffer[this.length++] = byte | 0x80;
        }
    }

    bytes(data: ArrayLike<number>): void {
        this.ensure(data.length);
        this.buffer.set(data, this.length);
        this.length += data.length;
    }

    /** Copies `source[start, end)` verbatim. */
    copy(source: Uint8Array, start: number, end: number): void {
        const n = end - start;
        if (n <= 0) return;
        this.ensure(n);
        if (n < 16) {
            for (let i = 0; i < n; i++) this.buffer[this.length + i] = source[start + i]!;
        } else {
            this.buffer.set(source.subarray(start, end), this.length);
        }
        this.length += n;
    }

    name(text: string): void {
        const encoded = new TextEncoder().encode(text);
        this.u32(encoded.length);
        this.bytes(encoded);
    }

    /** Reserves a 5-byte u32 slot to be filled by `patchU32`. Returns its position. */
    reserveU32(): number {
        this.ensure(5);
        const at = this.length;
        this.length += 5;
        return at;
    }

    /** Fills a reserved slot with a padded (non-minimal, still valid) 5-byte LEB128. */
    patchU32(at: number, value: number): void {
        let v = value >>> 0;
        for (let i = 0; i < 4; i++) {
            this.buffer[at + i] = (v & 0x7f) | 0x80;
            v >>>= 7;
        }
        this.buffer[at + 4] = v & 0x7f;
    }

    /** Patches the slot with the number of bytes written after it. */
    patchLengthSince(at: number): void {
        this.patchU32(at, this.length - at - 5);
    }

    toBytes(): Uint8Array<ArrayBuffer> {
        return this.buffer.slice(0, this.length);
    }
}

/** Encodes one unsigned LEB128 value on its own (for precomputed instruction templates). */
export function encodeU32(value: number): Uint8Array<ArrayBuffer> {
    const w = new ByteWriter(5);
    w.u32(value);
    return w.toBytes();
}
