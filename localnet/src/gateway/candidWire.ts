/**
 * A Candid message reader that works on the wire types alone (the message's own type table):
 * values are skipped or read in place, blobs come back as views of the message (no copy), and any
 * value can be cut out together with the type table to form a new message. The gateway needs all
 * three: HttpResponse bodies of megabytes decoded in microseconds, and streaming tokens of a type
 * only the canister knows passed back byte for byte (what ic-utils achieves with IDLValue).
 */

import {
    Leb128Error,
    readSignedLeb128,
    readUnsignedLeb128,
    skipLeb128,
    type ByteCursor,
    type SignedLeb128Bounds,
    type UnsignedLeb128Bounds
} from '../leb128';

/** Primitive type codes (negative in the wire format). */
export const Prim = {
    Null: -1,
    Bool: -2,
    Nat: -3,
    Int: -4,
    Nat8: -5,
    Nat16: -6,
    Nat32: -7,
    Nat64: -8,
    Int8: -9,
    Int16: -10,
    Int32: -11,
    Int64: -12,
    Float32: -13,
    Float64: -14,
    Text: -15,
    Reserved: -16,
    Empty: -17,
    Principal: -24
} as const;

export const Composite = { Opt: -18, Vec: -19, Record: -20, Variant: -21, Func: -22, Service: -23 } as const;

export type TableEntry =
    | { readonly kind: 'opt' | 'vec'; readonly inner: number }
    | { readonly kind: 'record' | 'variant'; readonly fields: readonly { readonly id: number; readonly type: number }[] }
    | { readonly kind: 'func'; readonly annotations: readonly number[] }
    | { readonly kind: 'service' };

export type WireType = { readonly kind: 'prim'; readonly code: number } | TableEntry;

export class CandidError extends Error {
    override name = 'CandidError';
}

const MAGIC = [0x44, 0x49, 0x44, 0x4c]; // "DIDL"
/** Deeper values than this are refused rather than risking the stack. */
const MAX_DEPTH = 200;
const textDecoder = new TextDecoder('utf-8', { fatal: true });
const textEncoder = new TextEncoder();

/** The field id of a record or variant label (the Candid label hash). */
export function labelId(label: string): number {
    let hash = 0;
    for (const byte of textEncoder.encode(label)) hash = (hash * 223 + byte) >>> 0;
    return hash;
}

export class CandidReader implements ByteCursor {
    pos = 0;
    readonly end: number;
    readonly table: TableEntry[] = [];
    readonly argTypes: number[] = [];
    /** The bytes of the type table, from its length prefix to its end. */
    readonly tableBytes: Uint8Array;

    constructor(readonly bytes: Uint8Array) {
        this.end = bytes.length;
        if (bytes.length < 4 || MAGIC.some((byte, i) => bytes[i] !== byte)) throw new CandidError('not a Candid message (no DIDL magic)');
        this.pos = 4;
        const tableCount = this.leb();
        for (let i = 0; i < tableCount; i++) this.table.push(this.tableEntry(tableCount));
        this.tableBytes = bytes.subarray(4, this.pos);
        const argCount = this.leb();
        for (let i = 0; i < argCount; i++) this.argTypes.push(this.typeRef(tableCount));
    }

    typeOf(type: number): WireType {
        if (type < 0) return { kind: 'prim', code: type };
        const entry = this.table[type];
        if (!entry) throw new CandidError(`type index ${type} out of range`);
        return entry;
    }

    /** A new message whose single argument is the value of `type` at bytes [start, end) of this one. */
    extractValue(type: number, start: number, end: number): Uint8Array {
        const argHeader = [...lebBytes(1), ...slebBytes(type)];
        const out = new Uint8Array(4 + this.tableBytes.length + argHeader.length + (end - start));
        out.set(MAGIC, 0);
        out.set(this.tableBytes, 4);
        out.set(argHeader, 4 + this.tableBytes.length);
        out.set(this.bytes.subarray(start, end), 4 + this.tableBytes.length + argHeader.length);
        return out;
    }

    byte(): number {
        if (this.pos >= this.bytes.length) throw new CandidError('unexpected end of message');
        return this.bytes[this.pos++]!;
    }

    take(length: number): Uint8Array {
        if (length > this.bytes.length - this.pos) throw new CandidError('unexpected end of message');
        const view = this.bytes.subarray(this.pos, this.pos + length);
        this.pos += length;
        return view;
    }

    /** Unsigned LEB128 as a number (lengths, counts, hashes: always below 2^53 in practice). */
    leb(): number {
        try {
            return readUnsignedLeb128(this, UNSIGNED);
        } catch (error) {
            throw asCandidError(error, 'LEB128 value too large');
        }
    }

    sleb(): number {
        try {
            return readSignedLeb128(this, SIGNED);
        } catch (error) {
            throw asCandidError(error, 'SLEB128 value too large');
        }
    }

    text(): string {
        try {
            return textDecoder.decode(this.take(this.leb()));
        } catch (error) {
            if (error instanceof CandidError) throw error;
            throw new CandidError('text is not valid UTF-8');
        }
    }

    /** Skips one value of `type`. */
    skip(type: number, depth = 0): void {
        if (depth > MAX_DEPTH) throw new CandidError('value nested too deeply');
        const wire = this.typeOf(type);
        switch (wire.kind) {
            case 'prim':
                return this.skipPrimitive(wire.code);
            case 'opt':
                if (this.byte() === 1) this.skip(wire.inner, depth + 1);
                return;
            case 'vec': {
                const count = this.leb();
                const inner = this.typeOf(wire.inner);
                const width = inner.kind === 'prim' ? fixedWidth(inner.code) : undefined;
                if (width !== undefined) {
                    this.take(count * width);
                    return;
                }
                for (let i = 0; i < count; i++) this.skip(wire.inner, depth + 1);
                return;
            }
            case 'record':
                for (const field of wire.fields) this.skip(field.type, depth + 1);
                return;
            case 'variant': {
                const index = this.leb();
                const field = wire.fields[index];
                if (!field) throw new CandidError(`variant index ${index} out of range`);
                this.skip(field.type, depth + 1);
                return;
            }
            case 'func':
                if (this.byte() !== 1) throw new CandidError('opaque func references are not supported');
                this.principal();
                this.take(this.leb());
                return;
            case 'service':
                this.principal();
                return;
        }
    }

    /** A transparent principal reference: its raw bytes. */
    principal(): Uint8Array {
        if (this.byte() !== 1) throw new CandidError('opaque principal references are not supported');
        return this.take(this.leb());
    }

    private skipPrimitive(code: number): void {
        const width = fixedWidth(code);
        if (width !== undefined) {
            this.take(width);
            return;
        }
        switch (code) {
            case Prim.Null:
            case Prim.Reserved:
                return;
            case Prim.Nat:
            case Prim.Int:
                try {
                    skipLeb128(this, ANY_INTEGER);
                } catch (error) {
                    throw asCandidError(error, 'nat or int too long');
                }
                return;
            case Prim.Text:
                this.take(this.leb());
                return;
            case Prim.Principal:
                this.principal();
                return;
            case Prim.Empty:
                throw new CandidError('a value of type empty cannot exist');
            default:
                throw new CandidError(`unknown primitive type ${code}`);
        }
    }

    private typeRef(tableCount: number): number {
        const type = this.sleb();
        if (type >= tableCount || (type < 0 && !isPrimitive(type))) throw new CandidError(`invalid type reference ${type}`);
        return type;
    }

    private tableEntry(tableCount: number): TableEntry {
        const code = this.sleb();
        switch (code) {
            case Composite.Opt:
                return { kind: 'opt', inner: this.typeRef(tableCount) };
            case Composite.Vec:
                return { kind: 'vec', inner: this.typeRef(tableCount) };
            case Composite.Record:
            case Composite.Variant: {
                const fields: { id: number; type: number }[] = [];
                const count = this.leb();
                for (let i = 0; i < count; i++) {
                    const id = this.leb();
                    if (fields.length > 0 && fields[fields.length - 1]!.id >= id) throw new CandidError('field ids not strictly increasing');
                    fields.push({ id, type: this.typeRef(tableCount) });
                }
                return { kind: code === Composite.Record ? 'record' : 'variant', fields };
            }
            case Composite.Func: {
                for (let n = this.leb(); n > 0; n--) this.typeRef(tableCount);
                for (let n = this.leb(); n > 0; n--) this.typeRef(tableCount);
                const annotations: number[] = [];
                for (let n = this.leb(); n > 0; n--) annotations.push(this.byte());
                return { kind: 'func', annotations };
            }
            case Composite.Service:
                for (let n = this.leb(); n > 0; n--) {
                    this.take(this.leb());
                    this.typeRef(tableCount);
                }
                return { kind: 'service' };
            default:
                throw new CandidError(`unknown type constructor ${code} in the type table`);
        }
    }
}

/**
 * The bounds this reader always had: up to 9 bytes unsigned and 8 signed (a value scale of at most
 * 2^56), no value check. Candid allows any nat here, but lengths, counts and label ids that large
 * cannot occur in a message that fits in memory.
 */
const UNSIGNED: UnsignedLeb128Bounds = { maxBytes: 9, maxValue: Infinity };
const SIGNED: SignedLeb128Bounds = { maxBytes: 8 };
/** nat and int values: any length. */
const ANY_INTEGER: SignedLeb128Bounds = { maxBytes: Infinity };

function asCandidError(error: unknown, tooLong: string): unknown {
    if (!(error instanceof Leb128Error)) return error;
    return new CandidError(error.failure === 'truncated' ? 'unexpected end of message' : tooLong);
}

function isPrimitive(code: number): boolean {
    return (code <= -1 && code >= -17) || code === Prim.Principal;
}

function fixedWidth(code: number): number | undefined {
    switch (code) {
        case Prim.Bool:
        case Prim.Nat8:
        case Prim.Int8:
            return 1;
        case Prim.Nat16:
        case Prim.Int16:
            return 2;
        case Prim.Nat32:
        case Prim.Int32:
        case Prim.Float32:
            return 4;
        case Prim.Nat64:
        case Prim.Int64:
        case Prim.Float64:
            return 8;
        default:
            return undefined;
    }
}

/**
 * Builds a Candid message byte by byte; the caller writes the type table and the values in the
 * order the wire format requires (record fields by ascending label id).
 */
export class CandidWriter {
    readonly #parts: Uint8Array[] = [Uint8Array.from(MAGIC)];
    #small: number[] = [];

    leb(value: number): this {
        this.#small.push(...lebBytes(value));
        return this;
    }

    sleb(value: number): this {
        this.#small.push(...slebBytes(value));
        return this;
    }

    byte(value: number): this {
        this.#small.push(value & 0xff);
        return this;
    }

    bytes(value: Uint8Array): this {
        this.leb(value.length);
        this.#flush();
        this.#parts.push(value);
        return this;
    }

    text(value: string): this {
        return this.bytes(textEncoder.encode(value));
    }

    finish(): Uint8Array {
        this.#flush();
        let length = 0;
        for (const part of this.#parts) length += part.length;
        const out = new Uint8Array(length);
        let offset = 0;
        for (const part of this.#parts) {
            out.set(part, offset);
            offset += part.length;
        }
        return out;
    }

    #flush(): void {
        if (this.#small.length === 0) return;
        this.#parts.push(Uint8Array.from(this.#small));
        this.#small = [];
    }
}

function lebBytes(value: number): number[] {
    const out: number[] = [];
    do {
        let byte = value % 128;
        value = Math.floor(value / 128);
        if (value > 0) byte |= 0x80;
        out.push(byte);
    } while (value > 0);
    return out;
}

function slebBytes(value: number): number[] {
    const out: number[] = [];
    for (;;) {
        const byte = ((value % 128) + 128) % 128;
        value = Math.floor(value / 128);
        const done = (value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0);
        out.push(done ? byte : byte | 0x80);
        if (done) return out;
    }
}
