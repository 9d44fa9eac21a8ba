/**
 * Pieces for hand-written Candid encoders and decoders of hot canister methods.
 *
 * Inside Azle, @dfinity/candid's IDL.encode and IDL.decode rebuild the type table and check
 * subtyping on every call: 5–30M instructions for small messages, more than the work the method
 * does. A type's table never changes, so a canister can take it once from IDL.encode (at install,
 * when heap changes persist) and write or read only the values. Decoders built on this accept an
 * argument only when its table is byte-identical to the canonical one and fall back to IDL.decode
 * otherwise, so correctness never depends on the fast path. See the Candid specification, "Binary
 * format".
 */

/** Candid field id: (sum of utf8[i] * 223^(k-i)) mod 2^32. */
export function candidFieldId(name: string): number {
    let hash = 0;
    for (let i = 0; i < name.length; i++) hash = (Math.imul(hash, 223) + name.charCodeAt(i)) >>> 0;
    return hash;
}

/** Record fields or variant tags in wire order (by field id). */
export function inWireOrder<T extends string>(names: readonly T[]): T[] {
    return [...names].sort((a, b) => candidFieldId(a) - candidFieldId(b));
}

export class CandidDecodeError extends Error {
    override name = 'CandidDecodeError';
}

/**
 * The part of an IDL.encode result before the values ("DIDL", type table, argument types), given
 * the encoding of a value whose own bytes are known: `valueBytes` must be what ends `encoded`.
 */
export function typeTablePrefix(encoded: Uint8Array, valueBytes: readonly number[]): Uint8Array {
    const start = encoded.length - valueBytes.length;
    if (start < 4 || valueBytes.some((b, i) => encoded[start + i] !== b)) {
        throw new Error('unexpected Candid encoding: cannot find where the values start');
    }
    return encoded.slice(0, start);
}

/** Bytes as a string of the same length, one char per byte (Latin-1): built and compared in C. */
function byteString(bytes: Uint8Array): string {
    let text = '';
    for (let i = 0; i < bytes.length; i += 4096) text += String.fromCharCode.apply(null, bytes.subarray(i, i + 4096) as unknown as number[]);
    return text;
}

/**
 * `(bytes) => whether bytes begin with prefix`. Inside Azle each typed-array read costs about
 * 1,000 instructions, so a byte loop over a 50-byte type table costs ~100K; the prefix is kept as
 * a string and compared with one native conversion and one string comparison.
 */
export function prefixMatcher(prefix: Uint8Array): (bytes: Uint8Array) => boolean {
    const expected = byteString(prefix);
    return (bytes) => bytes.length >= prefix.length && byteString(bytes.subarray(0, prefix.length)) === expected;
}

/**
 * UTF-8 bytes as a string. In QuickJS a per-byte JavaScript loop costs thousands of instructions
 * per byte; String.fromCharCode.apply and Math.max.apply over the typed array run in C (about 270
 * instructions per byte each inside Azle, where a regular-expression scan costs about 590).
 * Non-ASCII input goes through TextDecoder (strict).
 */
export function utf8Text(bytes: Uint8Array): string {
    let text = '';
    let highest = 0;
    for (let i = 0; i < bytes.length; i += 4096) {
        const part = bytes.subarray(i, i + 4096) as unknown as number[];
        text += String.fromCharCode.apply(null, part);
        highest = Math.max(highest, Math.max.apply(null, part));
    }
    if (highest < 0x80) return text;
    try {
        return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
        throw new CandidDecodeError('text is not UTF-8');
    }
}

/** Reads Candid values; every read checks bounds and throws CandidDecodeError on bad input. */
export class CandidReader {
    offset: number;

    constructor(
        readonly bytes: Uint8Array,
        offset = 0
    ) {
        this.offset = offset;
    }

    get remaining(): number {
        return this.bytes.length - this.offset;
    }

    byte(): number {
        if (this.offset >= this.bytes.length) throw new CandidDecodeError('truncated');
        return this.bytes[this.offset++]!;
    }

    /** Unsigned LEB128 up to 2^49 (lengths and counts). */
    leb(): number {
        let value = 0;
        let scale = 1;
        for (;;) {
            const byte = this.byte();
            value += (byte & 0x7f) * scale;
            if (byte < 0x80) return value;
            scale *= 128;
            if (scale > 2 ** 49) throw new CandidDecodeError('number too large');
        }
    }

    /** A count of items that each take at least one byte: bounded by what is left. */
    count(): number {
        const n = this.leb();
        if (n > this.remaining) throw new CandidDecodeError('count exceeds the message');
        return n;
    }

    take(length: number): Uint8Array {
        if (length > this.remaining) throw new CandidDecodeError('truncated');
        const slice = this.bytes.subarray(this.offset, this.offset + length);
        this.offset += length;
        return slice;
    }

    /** `text`: UTF-8, decoded without the TextDecoder polyfill when ASCII. */
    text(): string {
        return utf8Text(this.take(this.leb()));
    }

    /** `opt` tag: false for none, true for some. */
    opt(): boolean {
        const tag = this.byte();
        if (tag > 1) throw new CandidDecodeError('invalid opt tag');
        return tag === 1;
    }

    nat32(): number {
        const b = this.take(4);
        return (b[0]! | (b[1]! << 8) | (b[2]! << 16)) + b[3]! * 0x1000000;
    }

    /** A variant's tag index, checked against the number of tags. */
    tag(tags: number): number {
        const index = this.leb();
        if (index >= tags) throw new CandidDecodeError('unknown variant tag');
        return index;
    }

    atEnd(): boolean {
        return this.offset === this.bytes.length;
    }
}

/** Writes Candid values into a growing buffer. */
export class CandidWriter {
    #bytes: Uint8Array;
    #length = 0;

    constructor(prefix?: Uint8Array, capacity = 256) {
        this.#bytes = new Uint8Array(Math.max(capacity, prefix?.length ?? 0));
        if (prefix) this.raw(prefix);
    }

    #reserve(extra: number): void {
        if (this.#length + extra <= this.#bytes.length) return;
        const grown = new Uint8Array(Math.max(this.#bytes.length * 2, this.#length + extra));
        grown.set(this.#bytes.subarray(0, this.#length));
        this.#bytes = grown;
    }

    raw(bytes: Uint8Array): this {
        this.#reserve(bytes.length);
        this.#bytes.set(bytes, this.#length);
        this.#length += bytes.length;
        return this;
    }

    byte(value: number): this {
        this.#reserve(1);
        this.#bytes[this.#length++] = value;
        return this;
    }

    leb(value: number): this {
        this.#reserve(10);
        while (value >= 0x80) {
            this.#bytes[this.#length++] = (value & 0x7f) | 0x80;
            value = Math.floor(value / 128);
        }
        this.#bytes[this.#length++] = value;
        return this;
    }

    /** `text`, ASCII written directly (the TextEncoder polyfill only for other characters). */
    text(value: string): this {
        for (let i = 0; i < value.length; i++) {
            if (value.charCodeAt(i) > 0x7f) {
                const utf8 = new TextEncoder().encode(value);
                return this.leb(utf8.length).raw(utf8);
            }
        }
        this.leb(value.length);
        this.#reserve(value.length);
        for (let i = 0; i < value.length; i++) this.#bytes[this.#length++] = value.charCodeAt(i);
        return this;
    }

    /** `principal` from its raw bytes (the id form, not a func/service reference). */
    principal(bytes: Uint8Array): this {
        return this.byte(1).leb(bytes.length).raw(bytes);
    }

    /** `nat64` from a safe non-negative integer. */
    nat64(value: number): this {
        this.#reserve(8);
        const low = value % 0x1_0000_0000;
        const high = Math.floor(value / 0x1_0000_0000);
        for (const word of [low, high]) {
            this.#bytes[this.#length++] = word & 0xff;
            this.#bytes[this.#length++] = (word >>> 8) & 0xff;
            this.#bytes[this.#length++] = (word >>> 16) & 0xff;
            this.#bytes[this.#length++] = (word >>> 24) & 0xff;
        }
        return this;
    }

    /** The bytes written; without a copy when they fill the buffer (size the writer exactly for large values). */
    finish(): Uint8Array {
        return this.#length === this.#bytes.length ? this.#bytes : this.#bytes.slice(0, this.#length);
    }
}
