import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asciiCodec, asciiJson } from '../src/index';

describe('asciiJson', () => {
    it('produces ASCII that JSON.parse turns back into the same value, any text included', () => {
        fc.assert(
            fc.property(fc.jsonValue(), fc.string({ unit: 'grapheme', maxLength: 50 }), (value, title) => {
                const text = asciiJson({ value, title });
                expect(/^[\x00-\x7f]*$/.test(text)).toBe(true);
                expect(JSON.parse(asciiCodec.fromBytes(asciiCodec.toBytes(text)))).toEqual(JSON.parse(JSON.stringify({ value, title })));
            }),
            { numRuns: 500 }
        );
    });
});
