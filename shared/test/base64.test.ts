import { base64 as scureBase64, base64urlnopad as scureBase64Url } from '@scure/base';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64, Base64DecodeError, base64UrlNoPad } from '../src/index';

describe('base64 codecs', () => {
    it('encode exactly as Node and @scure/base do, and decode back', () => {
        fc.assert(
            fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
                const padded = base64.encode(bytes);
                const url = base64UrlNoPad.encode(bytes);
                expect(padded).toBe(Buffer.from(bytes).toString('base64'));
                expect(padded).toBe(scureBase64.encode(bytes));
                expect(url).toBe(Buffer.from(bytes).toString('base64url'));
                expect(url).toBe(scureBase64Url.encode(bytes));
                expect(base64.decode(padded)).toEqual(bytes);
                expect(base64UrlNoPad.decode(url)).toEqual(bytes);
            }),
            { numRuns: 1000 }
        );
    });

    it('accepts exactly the alphabet’s characters in every position of a group', () => {
        const standard = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
        const urlSafe = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
        for (let code = 0; code < 0x180; code++) {
            const c = String.fromCharCode(code);
            for (let position = 0; position < 4; position++) {
                const group = `${'AAAA'.slice(0, position)}${c}${'AAAA'.slice(position + 1)}`;
                const accepts = (decode: () => Uint8Array) => {
                    try {
                        decode();
                        return true;
                    } catch {
                        return false;
                    }
                };
                expect(accepts(() => base64UrlNoPad.decode(`${group}AAAA`))).toBe(urlSafe.includes(c));
                expect(accepts(() => base64.decode(`${group}AAAA`))).toBe(standard.includes(c));
                if (urlSafe.includes(c)) expect(base64UrlNoPad.decode(group)).toEqual(new Uint8Array(Buffer.from(group, 'base64url')));
            }
        }
    });

    it('accepts exactly what @scure/base accepts (strict, canonical) on random strings', () => {
        const same = (ours: () => Uint8Array, theirs: () => Uint8Array) => {
            let a: Uint8Array | 'error';
            let b: Uint8Array | 'error';
            try {
                a = ours();
            } catch {
                a = 'error';
            }
            try {
                b = theirs();
            } catch {
                b = 'error';
            }
            expect(a).toEqual(b);
        };
        fc.assert(
            fc.property(fc.string({ unit: fc.constantFrom(...'ABab09+/-_=Qw'.split('')), maxLength: 24 }), (text) => {
                same(() => base64.decode(text), () => scureBase64.decode(text));
                same(() => base64UrlNoPad.decode(text), () => scureBase64Url.decode(text));
            }),
            { numRuns: 3000 }
        );
    });

    it.each(['A', 'AB=', 'AB==A===', 'AR==', '====', 'AA=A', 'é'])('refuses %j as padded base64', (text) => {
        expect(() => base64.decode(text)).toThrow(Base64DecodeError);
    });

    it.each(['A', 'AR', 'AAR', 'AA==', 'A+', 'é'])('refuses %j as base64url', (text) => {
        expect(() => base64UrlNoPad.decode(text)).toThrow(Base64DecodeError);
    });
});

describe('base64 as ASCII bytes', () => {
    it('equals the string form, byte for byte', () => {
        fc.assert(
            fc.property(fc.uint8Array({ maxLength: 500 }), (bytes) => {
                expect(Buffer.from(base64.encodeAscii(bytes)).toString('latin1')).toBe(base64.encode(bytes));
            }),
            { numRuns: 500 }
        );
        // Every length around the 12-byte groups read as words, from unaligned views too.
        const source = Uint8Array.from({ length: 80 }, (_, i) => (i * 151 + 7) & 0xff);
        for (let start = 0; start < 4; start++) {
            for (let length = 0; length <= 60; length++) {
                const bytes = source.subarray(start, start + length);
                expect(Buffer.from(base64.encodeAscii(bytes)).toString('latin1')).toBe(Buffer.from(bytes).toString('base64'));
            }
        }
    });
});
