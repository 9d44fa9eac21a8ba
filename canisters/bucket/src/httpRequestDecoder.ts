/**
 * Decoding of http_request's argument. @dfinity/candid's IDL.decode rebuilds the wire type table
 * and recomputes subtyping on every call (about 6.7M instructions in Azle for a bare request).
 * When the argument's type table is byte-identical to the standard encoding of HttpRequest (what
 * agent-js-based gateways send), the values are read directly here; any other table (another
 * encoder's order, extra fields) falls back to IDL.decode, so correctness never depends on it.
 */
import type { HeaderField, HttpRequest } from './httpTypes';

const FIELDS = ['method', 'url', 'headers', 'body', 'certificate_version'] as const;

function fieldId(name: string): number {
    let hash = 0;
    for (let i = 0; i < name.length; i++) hash = (Math.imul(hash, 223) + name.charCodeAt(i)) >>> 0;
    return hash;
}

const FIELD_ORDER = [...FIELDS].sort((a, b) => fieldId(a) - fieldId(b));

class Reader {
    offset = 0;
    constructor(readonly bytes: Uint8Array) {}
    leb(): number {
        let value = 0;
        let scale = 1;
        for (;;) {
            if (this.offset >= this.bytes.length) throw new Error('truncated');
            const byte = this.bytes[this.offset++]!;
            value += (byte & 0x7f) * scale;
            if (byte < 0x80) return value;
            scale *= 128;
            if (scale > 2 ** 49) throw new Error('length too large');
        }
    }
    take(length: number): Uint8Array {
        if (this.offset + length > this.bytes.length) throw new Error('truncated');
        const slice = this.bytes.subarray(this.offset, this.offset + length);
        this.offset += length;
        return slice;
    }
    text(): string {
        const bytes = this.take(this.leb());
        for (let i = 0; i < bytes.length; i++) {
            if (bytes[i]! > 0x7f) return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        }
        let text = '';
        for (let i = 0; i < bytes.length; i += 4096) text += String.fromCharCode.apply(null, Array.from(bytes.subarray(i, i + 4096)));
        return text;
    }
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
    if (bytes.length < prefix.length) return false;
    for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
    return true;
}

/**
 * `encodeWithIdl` is IDL.encode of [HttpRequest]; it is called once with an all-empty request to
 * learn the standard type table. `decodeWithIdl` is the fallback for any other encoding.
 */
export function createHttpRequestDecoder(
    encodeWithIdl: (value: object) => Uint8Array,
    decodeWithIdl: (bytes: Uint8Array) => HttpRequest
): (argument: Uint8Array) => HttpRequest {
    const sample = encodeWithIdl({ method: '', url: '', headers: [], body: new Uint8Array(0), certificate_version: [] });
    // Values of the sample: five empty fields, one zero byte each.
    if (sample.length < 5 || sample.subarray(sample.length - 5).some((b) => b !== 0)) {
        throw new Error('unexpected HttpRequest encoding: cannot derive its type table');
    }
    const prefix = sample.slice(0, sample.length - 5);
    return (argument) => {
        if (!startsWith(argument, prefix)) return decodeWithIdl(argument);
        const reader = new Reader(argument);
        reader.offset = prefix.length;
        let method = '';
        let url = '';
        const headers: HeaderField[] = [];
        for (const field of FIELD_ORDER) {
            if (field === 'method') method = reader.text();
            else if (field === 'url') url = reader.text();
            else if (field === 'headers') {
                const count = reader.leb();
                for (let i = 0; i < count; i++) headers.push([reader.text(), reader.text()]);
            } else if (field === 'body') reader.take(reader.leb());
            else {
                const present = reader.take(1)[0];
                if (present === 1) reader.take(2);
                else if (present !== 0) throw new Error('invalid opt tag');
            }
        }
        if (reader.offset !== argument.length) throw new Error('left-over bytes after HttpRequest');
        return { method, url, headers };
    };
}
