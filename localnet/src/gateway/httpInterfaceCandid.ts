/**
 * The canister HTTP interface of the HTTP Gateway Protocol in Candid, read and written straight
 * on the wire (candidWire.ts) rather than through a generic codec: response bodies stay views
 * of the reply, and the streaming token, whose type each canister chooses, is carried as a
 * ready-made Candid message (the reply's own type table plus the token's bytes), so the callback
 * gets back exactly what the canister sent.
 *
 * Independent of the types' definition (httpInterfaceIdl.ts) on purpose, for speed: it spells the
 * same types out as wire type tables. test/gateway/httpInterfaceCandid.test.ts holds the two
 * together by decoding what this writes, and reading what a Candid library writes, with them.
 */
import { Principal } from '@icp-sdk/core/principal';
import { CandidError, CandidReader, CandidWriter, Composite, labelId, Prim } from './candidWire';
import type { HeaderField } from './httpInterfaceIdl';

export interface CanisterHttpRequest {
    readonly method: string;
    /** Path and query, as in the request line. */
    readonly url: string;
    readonly headers: readonly HeaderField[];
    readonly body: Uint8Array;
}

export interface StreamingCallback {
    readonly canisterId: Principal;
    readonly method: string;
    /** The Candid argument for the callback: the token, with the canister's own type. */
    readonly token: Uint8Array;
}

export interface CanisterHttpResponse {
    readonly statusCode: number;
    readonly headers: HeaderField[];
    readonly body: Uint8Array;
    readonly upgrade: boolean;
    readonly streaming: StreamingCallback | undefined;
}

export interface StreamingCallbackResponse {
    readonly body: Uint8Array;
    /** The argument for the next call; undefined when the body is complete. */
    readonly nextToken: Uint8Array | undefined;
}

/** The response verification version the gateway asks for (certificate_version = opt 2). */
export const CERTIFICATE_VERSION = 2;

type RequestField = 'method' | 'url' | 'headers' | 'body' | 'certificate_version';

/** Type table indices of the request encoding below. */
const RequestType = { Record: 0, Headers: 1, HeaderField: 2, Blob: 3, OptNat16: 4 } as const;
const FIELD_TYPES: Record<RequestField, number> = {
    method: Prim.Text,
    url: Prim.Text,
    headers: RequestType.Headers,
    body: RequestType.Blob,
    certificate_version: RequestType.OptNat16
};

/**
 * HttpRequest (or, without certificate_version, HttpUpdateRequest) written directly: this runs
 * once per browser request, and a generic encoder costs more than the rest of the gateway's work.
 */
const sortedFields = (names: RequestField[]) => names.sort((a, b) => labelId(a) - labelId(b));
const REQUEST_FIELDS = sortedFields(Object.keys(FIELD_TYPES) as RequestField[]);
const UPDATE_REQUEST_FIELDS = REQUEST_FIELDS.filter((name) => name !== 'certificate_version');

function encodeRequestRecord(request: CanisterHttpRequest, withCertificateVersion: boolean): Uint8Array {
    const fields = withCertificateVersion ? REQUEST_FIELDS : UPDATE_REQUEST_FIELDS;
    const writer = new CandidWriter().leb(5);
    writer.sleb(Composite.Record).leb(fields.length);
    for (const name of fields) writer.leb(labelId(name)).sleb(FIELD_TYPES[name]);
    writer.sleb(Composite.Vec).sleb(RequestType.HeaderField);
    writer.sleb(Composite.Record).leb(2).leb(0).sleb(Prim.Text).leb(1).sleb(Prim.Text);
    writer.sleb(Composite.Vec).sleb(Prim.Nat8);
    writer.sleb(Composite.Opt).sleb(Prim.Nat16);
    writer.leb(1).sleb(RequestType.Record);
    for (const name of fields) {
        switch (name) {
            case 'method':
                writer.text(request.method);
                break;
            case 'url':
                writer.text(request.url);
                break;
            case 'headers':
                writer.leb(request.headers.length);
                for (const [headerName, value] of request.headers) writer.text(headerName).text(value);
                break;
            case 'body':
                writer.bytes(request.body);
                break;
            case 'certificate_version':
                writer.byte(1).byte(CERTIFICATE_VERSION & 0xff).byte(CERTIFICATE_VERSION >> 8);
                break;
        }
    }
    return writer.finish();
}

export function encodeHttpRequest(request: CanisterHttpRequest): Uint8Array {
    return encodeRequestRecord(request, true);
}

/** `http_request_update` takes the same record without certificate_version. */
export function encodeHttpUpdateRequest(request: CanisterHttpRequest): Uint8Array {
    return encodeRequestRecord(request, false);
}

const Field = {
    statusCode: labelId('status_code'),
    headers: labelId('headers'),
    body: labelId('body'),
    upgrade: labelId('upgrade'),
    streamingStrategy: labelId('streaming_strategy'),
    Callback: labelId('Callback'),
    callback: labelId('callback'),
    token: labelId('token')
};

function describeType(reader: CandidReader, type: number): string {
    const wire = reader.typeOf(type);
    return wire.kind === 'prim' ? `primitive ${wire.code}` : wire.kind;
}

function expectPrim(reader: CandidReader, type: number, code: number, what: string): void {
    const wire = reader.typeOf(type);
    if (wire.kind !== 'prim' || wire.code !== code) throw new CandidError(`${what} has type ${describeType(reader, type)}`);
}

function recordFields(reader: CandidReader, type: number, what: string) {
    const wire = reader.typeOf(type);
    if (wire.kind !== 'record') throw new CandidError(`${what} is not a record but ${describeType(reader, type)}`);
    return wire.fields;
}

function readNat16(reader: CandidReader, type: number, what: string): number {
    expectPrim(reader, type, Prim.Nat16, what);
    const [low, high] = reader.take(2);
    return low! | (high! << 8);
}

function readText(reader: CandidReader, type: number, what: string): string {
    expectPrim(reader, type, Prim.Text, what);
    return reader.text();
}

function readBlob(reader: CandidReader, type: number, what: string): Uint8Array {
    const wire = reader.typeOf(type);
    const element = wire.kind === 'vec' ? reader.typeOf(wire.inner) : undefined;
    if (!element || element.kind !== 'prim' || element.code !== Prim.Nat8) throw new CandidError(`${what} is not a blob`);
    return reader.take(reader.leb());
}

/** An `opt T` field: undefined for none (also for null/reserved wire types, as Candid subtyping allows). */
function readOpt<T>(reader: CandidReader, type: number, what: string, read: (inner: number) => T): T | undefined {
    const wire = reader.typeOf(type);
    if (wire.kind === 'prim' && (wire.code === Prim.Null || wire.code === Prim.Reserved)) return undefined;
    if (wire.kind !== 'opt') throw new CandidError(`${what} is not an opt but ${describeType(reader, type)}`);
    const flag = reader.byte();
    if (flag === 0) return undefined;
    if (flag !== 1) throw new CandidError(`${what}: invalid opt flag ${flag}`);
    return read(wire.inner);
}

function readHeaders(reader: CandidReader, type: number): HeaderField[] {
    const wire = reader.typeOf(type);
    if (wire.kind !== 'vec') throw new CandidError('headers is not a vec');
    const fields = recordFields(reader, wire.inner, 'a header field');
    const headers: HeaderField[] = [];
    for (let count = reader.leb(); count > 0; count--) {
        let name: string | undefined;
        let value: string | undefined;
        for (const field of fields) {
            if (field.id === 0) name = readText(reader, field.type, 'a header name');
            else if (field.id === 1) value = readText(reader, field.type, 'a header value');
            else reader.skip(field.type);
        }
        if (name === undefined || value === undefined) throw new CandidError('a header field is not a (text, text) tuple');
        headers.push([name, value]);
    }
    return headers;
}

function readCallbackRecord(reader: CandidReader, type: number): StreamingCallback {
    let target: { canisterId: Principal; method: string } | undefined;
    let token: Uint8Array | undefined;
    for (const field of recordFields(reader, type, 'the Callback strategy')) {
        if (field.id === Field.callback) {
            if (reader.typeOf(field.type).kind !== 'func') throw new CandidError('Callback.callback is not a func');
            if (reader.byte() !== 1) throw new CandidError('Callback.callback is an opaque reference');
            const canisterId = Principal.fromUint8Array(new Uint8Array(reader.principal()));
            target = { canisterId, method: reader.text() };
        } else if (field.id === Field.token) {
            const start = reader.pos;
            reader.skip(field.type);
            token = reader.extractValue(field.type, start, reader.pos);
        } else {
            reader.skip(field.type);
        }
    }
    if (!target || !token) throw new CandidError('the Callback strategy needs the fields callback and token');
    return { ...target, token };
}

function readStreamingStrategy(reader: CandidReader, type: number): StreamingCallback {
    const wire = reader.typeOf(type);
    if (wire.kind !== 'variant') throw new CandidError('streaming_strategy is not a variant');
    const index = reader.leb();
    const chosen = wire.fields[index];
    if (!chosen) throw new CandidError(`streaming_strategy: variant index ${index} out of range`);
    if (chosen.id !== Field.Callback) throw new CandidError('streaming_strategy: only the Callback strategy is defined');
    return readCallbackRecord(reader, chosen.type);
}

function firstArgument(reader: CandidReader): number {
    const type = reader.argTypes[0];
    if (type === undefined) throw new CandidError('the reply has no value');
    return type;
}

export function decodeHttpResponse(bytes: Uint8Array): CanisterHttpResponse {
    const reader = new CandidReader(bytes);
    let statusCode: number | undefined;
    let headers: HeaderField[] | undefined;
    let body: Uint8Array | undefined;
    let upgrade = false;
    let streaming: StreamingCallback | undefined;
    for (const field of recordFields(reader, firstArgument(reader), 'HttpResponse')) {
        switch (field.id) {
            case Field.statusCode:
                statusCode = readNat16(reader, field.type, 'status_code');
                break;
            case Field.headers:
                headers = readHeaders(reader, field.type);
                break;
            case Field.body:
                body = readBlob(reader, field.type, 'body');
                break;
            case Field.upgrade:
                upgrade = readOpt(reader, field.type, 'upgrade', (inner) => {
                    expectPrim(reader, inner, Prim.Bool, 'upgrade');
                    return reader.byte() === 1;
                }) === true;
                break;
            case Field.streamingStrategy:
                streaming = readOpt(reader, field.type, 'streaming_strategy', (inner) => readStreamingStrategy(reader, inner));
                break;
            default:
                reader.skip(field.type);
        }
    }
    if (statusCode === undefined || headers === undefined || body === undefined) {
        throw new CandidError('HttpResponse needs the fields status_code, headers and body');
    }
    return { statusCode, headers, body, upgrade, streaming };
}

/**
 * A callback's reply: `StreamingCallbackHttpResponse` as the specification says, or
 * `opt StreamingCallbackHttpResponse` as Azle's and several other libraries' interfaces declare
 * it (none ends the body).
 */
export function decodeStreamingCallbackResponse(bytes: Uint8Array): StreamingCallbackResponse {
    const reader = new CandidReader(bytes);
    const type = firstArgument(reader);
    const readRecord = (recordType: number): StreamingCallbackResponse => {
        let body: Uint8Array | undefined;
        let nextToken: Uint8Array | undefined;
        for (const field of recordFields(reader, recordType, 'StreamingCallbackHttpResponse')) {
            if (field.id === Field.body) body = readBlob(reader, field.type, 'body');
            else if (field.id === Field.token) {
                nextToken = readOpt(reader, field.type, 'token', (inner) => {
                    const start = reader.pos;
                    reader.skip(inner);
                    return reader.extractValue(inner, start, reader.pos);
                });
            } else reader.skip(field.type);
        }
        if (body === undefined) throw new CandidError('StreamingCallbackHttpResponse needs a body');
        return { body, nextToken };
    };
    if (reader.typeOf(type).kind === 'opt') {
        return readOpt(reader, type, 'the callback reply', readRecord) ?? { body: new Uint8Array(0), nextToken: undefined };
    }
    return readRecord(type);
}
