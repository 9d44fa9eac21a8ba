/**
 * The canister side of the HTTP Gateway Protocol in Candid (`http_request`, `http_request_update`
 * and the streaming callback, as in the protocol specification's service): localnet's one
 * definition of these types. The test canister (test/canisters/http), the test actors, the
 * scripted canister and the check of the gateway's own wire codec (httpInterfaceCandid.ts, which
 * reads and writes these types by hand for speed) all build them from here.
 *
 * Built from an `IDL` namespace rather than importing one, so that every Candid library in play can
 * use it: @icp-sdk/core's in tests, Azle's own in the canister. This module imports nothing, which
 * keeps it bundleable into a canister. The streaming token's type is each canister's choice, so it
 * is a parameter.
 */

/** The IDL constructors the interface needs; every Candid library's `IDL` namespace has them. */
export interface CandidConstructors<T> {
    readonly Text: T;
    readonly Nat8: T;
    readonly Nat16: T;
    readonly Bool: T;
    Vec(element: T): T;
    Opt(inner: T): T;
    Tuple(...items: T[]): T;
    Record(fields: Record<string, T>): T;
    Variant(fields: Record<string, T>): T;
    Func(args: T[], results: T[], annotations: string[]): T;
}

export interface HttpInterfaceOptions {
    /**
     * Declare the callback as returning `opt StreamingCallbackHttpResponse`, as Azle's and several
     * other libraries' interfaces do, instead of the specification's plain record.
     */
    readonly callbackReturnsOpt?: boolean;
}

export function httpInterfaceIdl<T>(IDL: CandidConstructors<T>, token: T, options: HttpInterfaceOptions = {}) {
    const HeaderField = IDL.Tuple(IDL.Text, IDL.Text);
    const Blob = IDL.Vec(IDL.Nat8);
    const HttpUpdateRequest = IDL.Record({ method: IDL.Text, url: IDL.Text, headers: IDL.Vec(HeaderField), body: Blob });
    const HttpRequest = IDL.Record({
        method: IDL.Text,
        url: IDL.Text,
        headers: IDL.Vec(HeaderField),
        body: Blob,
        certificate_version: IDL.Opt(IDL.Nat16)
    });
    const StreamingCallbackHttpResponse = IDL.Record({ body: Blob, token: IDL.Opt(token) });
    /** What the callback returns: the specification's record, or the opt-wrapped variant. */
    const StreamingCallbackReply = options.callbackReturnsOpt ? IDL.Opt(StreamingCallbackHttpResponse) : StreamingCallbackHttpResponse;
    const StreamingStrategy = IDL.Variant({
        Callback: IDL.Record({ callback: IDL.Func([token], [StreamingCallbackReply], ['query']), token })
    });
    const HttpResponse = IDL.Record({
        status_code: IDL.Nat16,
        headers: IDL.Vec(HeaderField),
        body: Blob,
        upgrade: IDL.Opt(IDL.Bool),
        streaming_strategy: IDL.Opt(StreamingStrategy)
    });
    return {
        HeaderField,
        HttpRequest,
        HttpUpdateRequest,
        HttpResponse,
        StreamingStrategy,
        StreamingCallbackHttpResponse,
        StreamingCallbackReply,
        /** The service's methods; a canister names its callback itself (`http_streaming_callback` here). */
        methods: {
            http_request: IDL.Func([HttpRequest], [HttpResponse], ['query']),
            http_request_update: IDL.Func([HttpUpdateRequest], [HttpResponse], []),
            http_streaming_callback: IDL.Func([token], [StreamingCallbackReply], ['query'])
        }
    };
}

/** The same types as JavaScript values (the Candid libraries' mapping: opt as [] | [x]). */
export type HeaderField = [string, string];

export interface HttpUpdateRequest {
    method: string;
    url: string;
    headers: HeaderField[];
    body: Uint8Array;
}

export interface HttpRequest extends HttpUpdateRequest {
    certificate_version: [] | [number];
}

export interface StreamingCallbackHttpResponse<Token> {
    body: Uint8Array;
    token: [] | [Token];
}

export interface StreamingStrategy<Token, Principal> {
    Callback: { callback: [Principal, string]; token: Token };
}

export interface HttpResponse<Token = unknown, Principal = unknown> {
    status_code: number;
    headers: HeaderField[];
    body: Uint8Array;
    upgrade: [] | [boolean];
    streaming_strategy: [] | [StreamingStrategy<Token, Principal>];
}
