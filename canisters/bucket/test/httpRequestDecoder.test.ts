import { IDL } from '@dfinity/candid';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { C } from '../src/candid';
import { createHttpRequestDecoder } from '../src/httpRequestDecoder';
import type { HttpRequest } from '../src/httpTypes';

let fallbacks = 0;
const decodeWithIdl = (bytes: Uint8Array): HttpRequest => {
    fallbacks += 1;
    const [value] = IDL.decode([C.HttpRequest], bytes) as unknown as [HttpRequest];
    return { method: value.method, url: value.url, headers: value.headers };
};
const decode = createHttpRequestDecoder((value) => new Uint8Array(IDL.encode([C.HttpRequest], [value])), decodeWithIdl);

describe('HttpRequest decoder', () => {
    it('reads the standard encoding directly, exactly as IDL.decode does', () => {
        fc.assert(
            fc.property(
                fc.string({ maxLength: 10 }),
                fc.string({ unit: 'grapheme', maxLength: 300 }),
                fc.array(fc.tuple(fc.string({ maxLength: 20 }), fc.string({ unit: 'grapheme', maxLength: 80 })), { maxLength: 10 }),
                fc.uint8Array({ maxLength: 200 }),
                fc.option(fc.integer({ min: 0, max: 65535 }), { nil: undefined }),
                (method, url, headers, body, version) => {
                    const bytes = new Uint8Array(
                        IDL.encode([C.HttpRequest], [{ method, url, headers, body, certificate_version: version === undefined ? [] : [version] }])
                    );
                    const before = fallbacks;
                    expect(decode(bytes)).toEqual({ method, url, headers });
                    expect(fallbacks).toBe(before);
                }
            ),
            { numRuns: 500 }
        );
    });

    it('keeps exactly the asked-for headers, any case, and skips the others unread', () => {
        const kept = ['range', 'if-none-match', 'authorization', 'sec-fetch-dest', 'service-worker'];
        const decodeKept = createHttpRequestDecoder((value) => new Uint8Array(IDL.encode([C.HttpRequest], [value])), decodeWithIdl, kept);
        const name = fc.oneof(fc.constantFrom(...kept, 'Range', 'AUTHORIZATION', 'Sec-Fetch-Mode', 'user-agent', 'ranges', 'rang'), fc.string({ maxLength: 16 }));
        fc.assert(
            fc.property(fc.array(fc.tuple(name, fc.string({ unit: 'grapheme', maxLength: 40 })), { maxLength: 12 }), (headers) => {
                const bytes = new Uint8Array(IDL.encode([C.HttpRequest], [{ method: 'GET', url: '/', headers, body: [], certificate_version: [] }]));
                expect(decodeKept(bytes).headers).toEqual(headers.filter(([n]) => kept.includes(n.toLowerCase())));
            }),
            { numRuns: 500 }
        );
    });

    it('falls back to IDL.decode for other encodings of the same request', () => {
        // A gateway whose HttpRequest has an extra field encodes a different type table.
        const Extended = IDL.Record({
            method: IDL.Text,
            url: IDL.Text,
            headers: IDL.Vec(IDL.Tuple(IDL.Text, IDL.Text)),
            body: IDL.Vec(IDL.Nat8),
            certificate_version: IDL.Opt(IDL.Nat16),
            extra: IDL.Text
        });
        const bytes = new Uint8Array(IDL.encode([Extended], [{ method: 'GET', url: '/x', headers: [['a', 'b']], body: [], certificate_version: [2], extra: 'z' }]));
        const before = fallbacks;
        expect(decode(bytes)).toEqual({ method: 'GET', url: '/x', headers: [['a', 'b']] });
        expect(fallbacks).toBe(before + 1);
    });

    it('refuses truncated or padded arguments of the standard encoding', () => {
        const bytes = new Uint8Array(IDL.encode([C.HttpRequest], [{ method: 'GET', url: '/a', headers: [], body: [], certificate_version: [] }]));
        expect(() => decode(bytes.subarray(0, bytes.length - 1))).toThrow();
        expect(() => decode(Uint8Array.from([...bytes, 0]))).toThrow();
    });
});
