/**
 * The gateway's own Candid reading and writing of the HTTP interface (httpInterfaceCandid.ts, wire
 * type tables written by hand), checked against localnet's one definition of the types
 * (httpInterfaceIdl.ts) encoded and decoded by @icp-sdk/core's Candid: every shape canisters produce
 * decodes, tokens of any type travel back byte for byte, and malformed replies fail with a reason
 * instead of a wrong body.
 */
import { IDL } from '@icp-sdk/core/candid';
import { Principal } from '@icp-sdk/core/principal';
import { describe, expect, it } from 'vitest';
import { CandidError, labelId } from '../../src/gateway/candidWire';
import { httpInterfaceIdl } from '../../src/gateway/httpInterfaceIdl';
import { encodeUnsignedLeb128 } from '../../src/leb128';
import {
    decodeHttpResponse,
    decodeStreamingCallbackResponse,
    encodeHttpRequest,
    encodeHttpUpdateRequest
} from '../../src/gateway/httpInterfaceCandid';

const canister = Principal.fromText('rrkah-fqaaa-aaaaa-aaaaq-cai');

function responseIdl(token: IDL.Type, callbackReturnsOpt = false) {
    const types = httpInterfaceIdl(IDL, token, { callbackReturnsOpt });
    return { Response: types.HttpResponse, CallbackResponse: types.StreamingCallbackHttpResponse };
}
const { HeaderField, HttpRequest, HttpUpdateRequest } = httpInterfaceIdl(IDL, IDL.Nat);

const encode = (types: IDL.Type[], values: unknown[]) => new Uint8Array(IDL.encode(types, values));

describe('HttpRequest encoding', () => {
    const request = {
        method: 'GET',
        url: '/asset/m1/preview?token=a%20b&x=ü',
        headers: [
            ['host', 'x.localhost:4943'],
            ['range', 'bytes=0-99'],
            ['accept', 'a'],
            ['accept', 'b']
        ] as [string, string][],
        body: new Uint8Array(70_000).map((_, i) => i & 0xff)
    };

    it('is the HttpRequest record with certificate_version = opt 2', () => {
        const [decoded] = IDL.decode([HttpRequest], encodeHttpRequest(request)) as unknown as [Record<string, unknown>];
        expect(decoded).toEqual({ ...request, certificate_version: [2] });
    });

    it('is the HttpUpdateRequest record (no certificate_version) for http_request_update', () => {
        const [decoded] = IDL.decode([HttpUpdateRequest], encodeHttpUpdateRequest(request)) as unknown as [Record<string, unknown>];
        expect(decoded).toEqual(request);
        const Strict = IDL.Record({ certificate_version: IDL.Opt(IDL.Nat16) });
        expect(IDL.decode([Strict], encodeHttpUpdateRequest(request))).toEqual([{ certificate_version: [] }]);
    });
});

describe('HttpResponse decoding', () => {
    it('reads an inline response; the body is a view of the reply, not a copy', () => {
        const { Response } = responseIdl(IDL.Nat);
        const body = new Uint8Array(3_000_000).fill(7);
        const bytes = encode([Response], [{ status_code: 206, headers: [['a', 'b'], ['a', 'c']], body, upgrade: [], streaming_strategy: [] }]);
        const decoded = decodeHttpResponse(bytes);
        expect(decoded).toMatchObject({ statusCode: 206, headers: [['a', 'b'], ['a', 'c']], upgrade: false, streaming: undefined });
        expect(Buffer.from(decoded.body).equals(Buffer.from(body))).toBe(true);
        expect(decoded.body.buffer).toBe(bytes.buffer);
    });

    it('accepts records without upgrade and streaming_strategy, and ignores unknown fields', () => {
        const Minimal = IDL.Record({ status_code: IDL.Nat16, headers: IDL.Vec(HeaderField), body: IDL.Vec(IDL.Nat8), extra: IDL.Vec(IDL.Text) });
        const decoded = decodeHttpResponse(encode([Minimal], [{ status_code: 404, headers: [], body: new Uint8Array([1]), extra: ['x', 'y'] }]));
        expect(decoded).toMatchObject({ statusCode: 404, upgrade: false, streaming: undefined });
        expect(decoded.body).toEqual(new Uint8Array([1]));
    });

    it('reads upgrade = opt true', () => {
        const { Response } = responseIdl(IDL.Nat);
        const decoded = decodeHttpResponse(encode([Response], [{ status_code: 200, headers: [], body: new Uint8Array(), upgrade: [true], streaming_strategy: [] }]));
        expect(decoded.upgrade).toBe(true);
    });

    const tokenCases: [string, IDL.Type, unknown][] = [
        ['a record (the asset canister token)', IDL.Record({ key: IDL.Text, index: IDL.Nat, content_encoding: IDL.Text, sha256: IDL.Opt(IDL.Vec(IDL.Nat8)) }), { key: '/a.jpg', index: 3n, content_encoding: 'identity', sha256: [new Uint8Array(32).fill(9)] }],
        ['a nat', IDL.Nat, 12_345_678_901_234_567_890n],
        ['a text', IDL.Text, 'chunk-7'],
        ['a variant', IDL.Variant({ Next: IDL.Nat32, Done: IDL.Null }), { Next: 4 }],
        ['a principal', IDL.Principal, canister]
    ];

    it.each(tokenCases)('passes a token that is %s back byte for byte', (_, Token, value) => {
        const { Response } = responseIdl(Token);
        const bytes = encode([Response], [
            { status_code: 200, headers: [], body: new Uint8Array([1]), upgrade: [], streaming_strategy: [{ Callback: { callback: [canister, 'next_chunk'], token: value } }] }
        ]);
        const { streaming } = decodeHttpResponse(bytes);
        expect(streaming?.canisterId.toText()).toBe(canister.toText());
        expect(streaming?.method).toBe('next_chunk');
        expect(IDL.decode([Token], streaming!.token)).toEqual([value]);
    });

    it('passes a recursive token type back', () => {
        const List = IDL.Rec();
        List.fill(IDL.Opt(IDL.Record({ head: IDL.Nat8, tail: List })));
        const value = [{ head: 1, tail: [{ head: 2, tail: [] }] }];
        const { Response } = responseIdl(List);
        const bytes = encode([Response], [
            { status_code: 200, headers: [], body: new Uint8Array(), upgrade: [], streaming_strategy: [{ Callback: { callback: [canister, 'cb'], token: value } }] }
        ]);
        expect(IDL.decode([List], decodeHttpResponse(bytes).streaming!.token)).toEqual([value]);
    });

    it('fails with a reason on malformed replies', () => {
        const { Response } = responseIdl(IDL.Nat);
        const good = encode([Response], [{ status_code: 200, headers: [['a', 'b']], body: new Uint8Array(10), upgrade: [], streaming_strategy: [] }]);
        expect(() => decodeHttpResponse(good.subarray(0, good.length - 3))).toThrow(CandidError);
        expect(() => decodeHttpResponse(new Uint8Array([1, 2, 3, 4, 5]))).toThrow(/DIDL/);
        const WrongStatus = IDL.Record({ status_code: IDL.Nat, headers: IDL.Vec(HeaderField), body: IDL.Vec(IDL.Nat8) });
        expect(() => decodeHttpResponse(encode([WrongStatus], [{ status_code: 200n, headers: [], body: new Uint8Array() }]))).toThrow(/status_code/);
        const NoBody = IDL.Record({ status_code: IDL.Nat16, headers: IDL.Vec(HeaderField) });
        expect(() => decodeHttpResponse(encode([NoBody], [{ status_code: 200, headers: [] }]))).toThrow(/body/);
        expect(() => decodeHttpResponse(encode([IDL.Text], ['hello']))).toThrow(/not a record/);
    });

    it('computes Candid label ids like @icp-sdk/core', () => {
        const Probe = IDL.Record({ streaming_strategy: IDL.Nat8, Callback: IDL.Nat8 });
        const wire = encode([Probe], [{ streaming_strategy: 1, Callback: 2 }]);
        // Both ids appear in the type table as LEB128; recompute them the same way.
        const leb = (n: number) => Buffer.from(encodeUnsignedLeb128(n));
        expect(Buffer.from(wire).includes(leb(labelId('streaming_strategy')))).toBe(true);
        expect(Buffer.from(wire).includes(leb(labelId('Callback')))).toBe(true);
    });
});

describe('streaming callback replies', () => {
    const Token = IDL.Record({ index: IDL.Nat });

    it('reads the body and the next token', () => {
        const { CallbackResponse } = responseIdl(Token);
        const reply = decodeStreamingCallbackResponse(encode([CallbackResponse], [{ body: new Uint8Array([5, 6]), token: [{ index: 2n }] }]));
        expect(reply.body).toEqual(new Uint8Array([5, 6]));
        expect(IDL.decode([Token], reply.nextToken!)).toEqual([{ index: 2n }]);
    });

    it('ends the stream when the token is none', () => {
        const { CallbackResponse } = responseIdl(Token);
        expect(decodeStreamingCallbackResponse(encode([CallbackResponse], [{ body: new Uint8Array([1]), token: [] }])).nextToken).toBeUndefined();
    });

    it('also reads the opt-wrapped reply some libraries declare (Azle, Motoko examples)', () => {
        const { CallbackResponse } = responseIdl(Token, true);
        const wrapped = decodeStreamingCallbackResponse(encode([IDL.Opt(CallbackResponse)], [[{ body: new Uint8Array([3]), token: [{ index: 9n }] }]]));
        expect(wrapped.body).toEqual(new Uint8Array([3]));
        expect(IDL.decode([Token], wrapped.nextToken!)).toEqual([{ index: 9n }]);
        const none = decodeStreamingCallbackResponse(encode([IDL.Opt(CallbackResponse)], [[]]));
        expect(none).toEqual({ body: new Uint8Array(0), nextToken: undefined });
    });
});
