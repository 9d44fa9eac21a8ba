/**
 * The bucket hands long printable ASCII strings (stable-map keys, header values) to Azle's native
 * candidEncode. Checked here against didc, the same Rust Candid crate compiled to wasm.
 */
import { encode as didcEncode } from '@dfinity/didc';
import { hexToBytes } from '@noble/hashes/utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asciiCodec, candidTextAsciiEncoder, createAsciiCodec } from '@icp-private-assets/shared';

let calls = 0;
const candidEncode = (literal: string) => {
    calls += 1;
    return hexToBytes(didcEncode({ idl: 'service : {}', input: literal }));
};
const native = candidTextAsciiEncoder(candidEncode);
const codec = createAsciiCodec(native);

describe('native ASCII encoding through candidEncode', () => {
    it('gives exactly the loop’s bytes for any printable ASCII, quotes and backslashes included', () => {
        fc.assert(
            fc.property(fc.string({ unit: fc.constantFrom(...' !"#$%&\'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~'.split('')), maxLength: 300 }), (text) => {
                expect(codec.toBytes(text)).toEqual(asciiCodec.toBytes(text));
            }),
            { numRuns: 500 }
        );
        for (const length of [7, 8, 127, 128, 129, 16_383, 16_384, 16_385]) {
            const text = 'a"\\'.repeat(length).slice(0, length);
            expect(codec.toBytes(text)).toEqual(asciiCodec.toBytes(text));
        }
    });

    it('leaves short strings, control characters and anything non-ASCII to the loop (which refuses non-ASCII)', () => {
        const before = calls;
        expect(native('short')).toBeUndefined();
        expect(native('tab\there and more')).toBeUndefined();
        expect(native('caf\u00e9 au lait')).toBeUndefined();
        expect(calls).toBe(before);
        expect(codec.toBytes('tab\there and more')).toEqual(asciiCodec.toBytes('tab\there and more'));
        expect(() => codec.toBytes('caf\u00e9 au lait')).toThrow('non-ASCII');
    });

    it('refuses an encoder whose output is not the expected Candid text value', () => {
        expect(candidTextAsciiEncoder(() => new Uint8Array(3))('long enough text')).toBeUndefined();
        expect(candidTextAsciiEncoder((literal) => Uint8Array.from([0x44, 0x49, 0x44, 0x4c, 0, 1, 0x7a, 16, ...new TextEncoder().encode(literal.slice(2, -2))]))('long enough text')).toBeUndefined();
    });
});
