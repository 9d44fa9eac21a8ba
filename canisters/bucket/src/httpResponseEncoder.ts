/**
 * Candid encoding of HttpResponse values without @dfinity/candid's per-call cost. IDL.encode
 * rebuilds the type table on every call (about 27M instructions in Azle for this type), encodes
 * header text through the slow TextEncoder polyfill and walks a body byte by byte; a 64 KB
 * response cost 48M instructions to encode. The type table never changes, so it is taken once
 * from IDL.encode and only the values are written here, streamed responses (a callback reference
 * and a token) included. Tests check byte-for-byte equality with IDL.encode.
 */
import { CandidWriter, inWireOrder, type NativeAsciiEncoder } from '@icp-private-assets/shared';
import type { ResponseHeaderField, StreamingToken } from './httpTypes';
import { streamingTokenSize, writeStreamingToken } from './streamingTokenCodec';

export interface StreamingCallback {
    /** The canister's principal, as bytes, and its callback method. */
    readonly canister: Uint8Array;
    readonly method: string;
    readonly token: StreamingToken;
}

export interface InlineHttpResponse {
    readonly status_code: number;
    readonly headers: readonly ResponseHeaderField[];
    readonly body: Uint8Array;
    /** A `Callback` streaming strategy (the rest of the body comes through `method`). */
    readonly streaming?: StreamingCallback;
}

const FIELD_ORDER = inWireOrder(['body', 'headers', 'status_code', 'streaming_strategy', 'upgrade'] as const);
const CALLBACK_FIELDS = inWireOrder(['callback', 'token'] as const);

/** The value of `opt variant { Callback : record { callback : func …; token : StreamingToken } }` with a value. */
function streamingStrategyBytes(streaming: StreamingCallback): Uint8Array {
    const writer = new CandidWriter(undefined, streaming.canister.length + streaming.method.length + streamingTokenSize(streaming.token) + 16);
    writer.byte(1).leb(0); // Some, variant index 0 (Callback: the only case)
    for (const field of CALLBACK_FIELDS) {
        // A public func reference: 1, the service (1, its principal bytes), the method name.
        if (field === 'callback') writer.byte(1).byte(1).leb(streaming.canister.length).raw(streaming.canister).text(streaming.method);
        else writeStreamingToken(writer, streaming.token);
    }
    return writer.finish();
}

function lebLength(value: number): number {
    let n = 1;
    while (value >= 0x80) {
        value = Math.floor(value / 128);
        n += 1;
    }
    return n;
}

function writeLeb(out: Uint8Array, offset: number, value: number): number {
    while (value >= 0x80) {
        out[offset++] = (value & 0x7f) | 0x80;
        value = Math.floor(value / 128);
    }
    out[offset++] = value;
    return offset;
}

/** UTF-8 bytes of a header string; ASCII (the usual case) without the TextEncoder polyfill. */
function utf8(text: string): Uint8Array {
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (code > 0x7f) return new TextEncoder().encode(text);
        bytes[i] = code;
    }
    return bytes;
}

/** One header's Candid value: leb(name length) ‖ name ‖ leb(value length) ‖ value. */
function encodedPair(name: Uint8Array, value: Uint8Array): Uint8Array {
    const out = new Uint8Array(lebLength(name.length) + name.length + lebLength(value.length) + value.length);
    let offset = writeLeb(out, 0, name.length);
    out.set(name, offset);
    offset = writeLeb(out, offset + name.length, value.length);
    out.set(value, offset);
    return out;
}

/**
 * Builds an encoder from `encodeWithIdl` (IDL.encode of [HttpResponse]), called once here with an
 * all-empty value to learn the type table: its value part is the six bytes written below for
 * empty body, no headers, status 0 and the two `none` options. `constantHeaders` are header pairs
 * every response shares by identity (their encoding is kept and found without hashing strings);
 * `constantStrings` are names and values whose bytes are kept; `native` (inside Azle) turns the
 * other long printable values (ETags, certificates) into bytes without a JavaScript loop.
 */
export function createHttpResponseEncoder(
    encodeWithIdl: (value: object) => Uint8Array,
    constantStrings: readonly string[] = [],
    constantHeaders: readonly ResponseHeaderField[] = [],
    native?: NativeAsciiEncoder
): (response: InlineHttpResponse) => Uint8Array {
    const constants = new Map(constantStrings.map((text) => [text, utf8(text)] as const));
    const bytesOf = (value: string | Uint8Array): Uint8Array => (typeof value === 'string' ? (constants.get(value) ?? native?.(value) ?? utf8(value)) : value);
    const pairs = new Map(constantHeaders.map((header) => [header, encodedPair(bytesOf(header[0]), bytesOf(header[1]))] as const));
    const empty = encodeWithIdl({ status_code: 0, headers: [], body: new Uint8Array(0), streaming_strategy: [], upgrade: [] });
    const prefix = empty.subarray(0, empty.length - 6);
    if (empty.length < 6 || empty.subarray(empty.length - 6).some((b) => b !== 0)) {
        throw new Error('unexpected HttpResponse encoding: cannot derive its type table');
    }
    return (response) => {
        const headers = response.headers.map((header) => pairs.get(header) ?? encodedPair(bytesOf(header[0]), bytesOf(header[1])));
        const strategy = response.streaming ? streamingStrategyBytes(response.streaming) : undefined;
        let size = prefix.length;
        for (const field of FIELD_ORDER) {
            if (field === 'body') size += lebLength(response.body.length) + response.body.length;
            else if (field === 'headers') {
                size += lebLength(headers.length);
                for (const header of headers) size += header.length;
            } else if (field === 'status_code') size += 2;
            else if (field === 'streaming_strategy') size += strategy?.length ?? 1;
            else size += 1;
        }
        const out = new Uint8Array(size);
        out.set(prefix, 0);
        let offset = prefix.length;
        for (const field of FIELD_ORDER) {
            if (field === 'body') {
                offset = writeLeb(out, offset, response.body.length);
                out.set(response.body, offset);
                offset += response.body.length;
            } else if (field === 'headers') {
                offset = writeLeb(out, offset, headers.length);
                for (const header of headers) {
                    out.set(header, offset);
                    offset += header.length;
                }
            } else if (field === 'status_code') {
                out[offset++] = response.status_code & 0xff;
                out[offset++] = response.status_code >> 8;
            } else if (field === 'streaming_strategy' && strategy) {
                out.set(strategy, offset);
                offset += strategy.length;
            } else {
                out[offset++] = 0; // streaming_strategy / upgrade: none
            }
        }
        return out;
    };
}
