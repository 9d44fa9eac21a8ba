import { IDL } from '@dfinity/candid';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asciiCodec, skipCertification } from '@icp-private-assets/shared';
import { BASE_HEADERS, baseHeaders, CONSTANT_HEADER_STRINGS } from '../src/responseHeaders';
import { C } from '../src/candid';
import { createHttpResponseEncoder } from '../src/httpResponseEncoder';
import type { StreamingToken } from '../src/httpTypes';
import { createStreamingReplyEncoder, createStreamingTokenDecoder } from '../src/streamingTokenCodec';
import { Principal } from '@dfinity/principal';

const encodeWithIdl = (value: object) => new Uint8Array(IDL.encode([C.HttpResponse], [value]));
const encode = createHttpResponseEncoder(encodeWithIdl);

describe('HttpResponse encoder', () => {
    it('produces exactly the bytes IDL.encode produces, for any inline response', () => {
        fc.assert(
            fc.property(
                fc.integer({ min: 100, max: 599 }),
                fc.array(fc.tuple(fc.string({ maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 200 })), { maxLength: 12 }),
                fc.uint8Array({ maxLength: 5000 }),
                (status, headers, body) => {
                    const value = { status_code: status, headers, body, streaming_strategy: [], upgrade: [] };
                    expect(encode(value)).toEqual(encodeWithIdl(value));
                }
            ),
            { numRuns: 500 }
        );
    });

    it('writes constant header pairs (found by identity) and constant strings exactly as IDL.encode does', () => {
        const certification = skipCertification('');
        const withConstants = createHttpResponseEncoder(encodeWithIdl, CONSTANT_HEADER_STRINGS, [...BASE_HEADERS, certification.expressionHeader]);
        fc.assert(
            fc.property(fc.array(fc.tuple(fc.constantFrom(...CONSTANT_HEADER_STRINGS, 'X-Other'), fc.string({ maxLength: 40 })), { maxLength: 5 }), fc.uint8Array({ maxLength: 600 }), (own, certificate) => {
                const headers = [...own, ...baseHeaders(certification.headerBytes(certificate))];
                const asText = headers.map(([name, value]) => [name, typeof value === 'string' ? value : Buffer.from(value).toString('latin1')]);
                const value = { status_code: 200, headers, body: new Uint8Array(3), streaming_strategy: [], upgrade: [] };
                expect(withConstants(value)).toEqual(encodeWithIdl({ ...value, headers: asText }));
            }),
            { numRuns: 200 }
        );
        // An equal pair that is another object is encoded the ordinary way, with the same bytes.
        const copy = BASE_HEADERS.map(([name, value]) => [name, value] as const);
        const value = { status_code: 200, headers: copy, body: new Uint8Array(0) };
        expect(withConstants(value)).toEqual(encodeWithIdl({ ...value, streaming_strategy: [], upgrade: [] }));
    });

    it('decodes back with IDL.decode, large bodies included', () => {
        const body = new Uint8Array(300_000).map((_, i) => i & 0xff);
        const [decoded] = IDL.decode([C.HttpResponse], encode({ status_code: 206, headers: [['Content-Range', 'bytes 0-1/2']], body })) as unknown as [
            { status_code: number; headers: [string, string][]; body: Uint8Array }
        ];
        expect(decoded.status_code).toBe(206);
        expect(decoded.headers).toEqual([['Content-Range', 'bytes 0-1/2']]);
        expect(new Uint8Array(decoded.body)).toEqual(body);
    });
});

const streamingToken = fc.record({
    memory_id: fc.string({ maxLength: 64 }),
    variant: fc.constantFrom('thumbnail', 'preview', 'original', 'x'),
    asset_id: fc.string({ maxLength: 64 }),
    chunk_index: fc.nat({ max: 0xffffffff }),
    offset: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
    end: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
    issued_at: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
    access_token: fc.string({ maxLength: 400 }),
    etag: fc.string({ maxLength: 64 }),
    stream_mac: fc.uint8Array({ maxLength: 40 })
}).map((token) => ({ ...token }) as StreamingToken); // a plain object: IDL.encode calls hasOwnProperty

describe('streamed responses and the streaming callback', () => {
    const canister = Principal.fromText('rrkah-fqaaa-aaaaa-aaaaq-cai');

    it('encodes a streamed HttpResponse (callback reference and token) exactly as IDL.encode does', () => {
        fc.assert(
            fc.property(streamingToken, fc.uint8Array({ maxLength: 3000 }), (token, body) => {
                const headers: [string, string][] = [['Content-Type', 'video/mp4']];
                const expected = encodeWithIdl({
                    status_code: 200,
                    headers,
                    body,
                    streaming_strategy: [{ Callback: { callback: [canister, 'http_request_streaming_callback'], token } }],
                    upgrade: []
                });
                const actual = encode({ status_code: 200, headers, body, streaming: { canister: canister.toUint8Array(), method: 'http_request_streaming_callback', token } });
                expect(actual).toEqual(expected);
            }),
            { numRuns: 200 }
        );
    });

    it('encodes the callback reply exactly as IDL.encode does, with and without a next token', () => {
        const encodeReplyWithIdl = (value: object) => new Uint8Array(IDL.encode([C.StreamingCallbackResponse], [value]));
        const encodeReply = createStreamingReplyEncoder(encodeReplyWithIdl);
        fc.assert(
            fc.property(fc.option(streamingToken, { nil: undefined }), fc.uint8Array({ maxLength: 3000 }), (token, body) => {
                expect(encodeReply(body, token)).toEqual(encodeReplyWithIdl({ body, token: token ? [token] : [] }));
            }),
            { numRuns: 200 }
        );
    });

    it('decodes a callback argument as IDL.decode does, falling back for other encodings', () => {
        const encodeToken = (token: StreamingToken) => new Uint8Array(IDL.encode([C.StreamingToken], [token]));
        let fallbacks = 0;
        const decode = createStreamingTokenDecoder(encodeToken, (bytes) => {
            fallbacks += 1;
            return (IDL.decode([C.StreamingToken], bytes) as unknown as [StreamingToken])[0];
        });
        fc.assert(
            fc.property(streamingToken, (token) => {
                expect(decode(encodeToken(token))).toEqual(token);
            }),
            { numRuns: 200 }
        );
        expect(fallbacks).toBe(0);
        const argument = encodeToken({ memory_id: 'm', variant: 'original', asset_id: '', chunk_index: 1, offset: 5n, end: 9n, issued_at: 1n, access_token: 't', etag: 'e', stream_mac: Uint8Array.of(1) });
        expect(() => decode(argument.subarray(0, argument.length - 1))).toThrow();
        expect(() => decode(Uint8Array.from([...argument, 0]))).toThrow();
    });
});

describe('ASCII codec for stored strings', () => {
    it('round-trips ASCII and refuses anything else', () => {
        fc.assert(
            fc.property(fc.string({ unit: fc.integer({ min: 0, max: 127 }).map((c) => String.fromCharCode(c)), maxLength: 10_000 }), (text) => {
                expect(asciiCodec.fromBytes(asciiCodec.toBytes(text))).toBe(text);
            }),
            { numRuns: 200 }
        );
        expect(() => asciiCodec.toBytes('é')).toThrow(/non-ASCII/);
    });
});
