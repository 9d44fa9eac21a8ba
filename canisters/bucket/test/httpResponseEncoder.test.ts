import { IDL } from '@dfinity/candid';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asciiCodec } from '@icp-private-assets/shared';
import { C } from '../src/candid';
import { createHttpResponseEncoder } from '../src/httpResponseEncoder';

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
