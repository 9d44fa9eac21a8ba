/**
 * Decoding of http_request's argument. @dfinity/candid's IDL.decode rebuilds the wire type table
 * and recomputes subtyping on every call (about 6.7M instructions in Azle for a bare request).
 * When the argument's type table is byte-identical to the standard encoding of HttpRequest (what
 * agent-js-based gateways send), the values are read directly here; any other table (another
 * encoder's order, extra fields) falls back to IDL.decode, so correctness never depends on it.
 */
import { CandidReader, inWireOrder, prefixMatcher, typeTablePrefix, utf8Text } from '@icp-private-assets/shared';
import type { HeaderField, HttpRequest } from './httpTypes';

const FIELD_ORDER = inWireOrder(['method', 'url', 'headers', 'body', 'certificate_version'] as const);

/**
 * `encodeWithIdl` is IDL.encode of [HttpRequest]; it is called once with an all-empty request to
 * learn the standard type table. `decodeWithIdl` is the fallback for any other encoding. When
 * `keepHeaders` (lower-case names) is given, only those headers are kept: a browser sends a
 * dozen the bucket never reads, and decoding their values is most of the decoding cost.
 */
export function createHttpRequestDecoder(
    encodeWithIdl: (value: object) => Uint8Array,
    decodeWithIdl: (bytes: Uint8Array) => HttpRequest,
    keepHeaders?: readonly string[]
): (argument: Uint8Array) => HttpRequest {
    const kept = keepHeaders && new Set(keepHeaders);
    // Converting bytes to text costs about 1,000 instructions per character inside Azle.
    const keptLengths = keepHeaders && new Set(keepHeaders.map((name) => name.length));
    const keep = (name: string) => kept === undefined || kept.has(name.toLowerCase());
    // Values of the sample: five empty fields, one zero byte each.
    const prefix = typeTablePrefix(encodeWithIdl({ method: '', url: '', headers: [], body: new Uint8Array(0), certificate_version: [] }), [0, 0, 0, 0, 0]);
    const matchesPrefix = prefixMatcher(prefix);
    return (argument) => {
        if (!matchesPrefix(argument)) {
            const decoded = decodeWithIdl(argument);
            return { method: decoded.method, url: decoded.url, headers: decoded.headers.filter(([name]) => keep(name)) };
        }
        const reader = new CandidReader(argument, prefix.length);
        let method = '';
        let url = '';
        const headers: HeaderField[] = [];
        for (const field of FIELD_ORDER) {
            if (field === 'method') method = reader.text();
            else if (field === 'url') url = reader.text();
            else if (field === 'headers') {
                const count = reader.count();
                for (let i = 0; i < count; i++) {
                    const nameBytes = reader.take(reader.leb());
                    const valueBytes = reader.take(reader.leb());
                    // A name of another length cannot be one of the kept (ASCII) names: skip it unread.
                    if (keptLengths !== undefined && !keptLengths.has(nameBytes.length)) continue;
                    const name = utf8Text(nameBytes);
                    if (keep(name)) headers.push([name, utf8Text(valueBytes)]);
                }
            } else if (field === 'body') reader.take(reader.leb());
            else if (reader.opt()) reader.take(2);
        }
        if (!reader.atEnd()) throw new Error('left-over bytes after HttpRequest');
        return { method, url, headers };
    };
}
