import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contentRange, parseRange, unsatisfiedContentRange } from '../src/index';

describe('parseRange', () => {
    it.each([
        ['bytes=0-499', 1000, { kind: 'partial', start: 0, end: 499 }],
        ['bytes=500-999', 1000, { kind: 'partial', start: 500, end: 999 }],
        ['bytes=500-', 1000, { kind: 'partial', start: 500, end: 999 }],
        ['bytes=-200', 1000, { kind: 'partial', start: 800, end: 999 }],
        ['bytes=-2000', 1000, { kind: 'partial', start: 0, end: 999 }],
        ['bytes=900-5000', 1000, { kind: 'partial', start: 900, end: 999 }],
        ['bytes=999-999', 1000, { kind: 'partial', start: 999, end: 999 }],
        ['BYTES=0-0', 1000, { kind: 'partial', start: 0, end: 0 }],
        ['bytes= 0-1 ,', 1000, { kind: 'partial', start: 0, end: 1 }],
        ['bytes=0-99999999999999999999', 10, { kind: 'partial', start: 0, end: 9 }]
    ])('%s of %d bytes → partial', (header, size, expected) => {
        expect(parseRange(header, size)).toEqual(expected);
    });

    it.each([
        ['bytes=1000-', 1000],
        ['bytes=1000-1001', 1000],
        ['bytes=-0', 1000],
        ['bytes=99999999999999999999-', 1000]
    ])('%s of %d bytes → unsatisfiable', (header, size) => {
        expect(parseRange(header, size)).toEqual({ kind: 'unsatisfiable' });
    });

    it.each([
        [undefined, 'absent'],
        [null, 'absent'],
        ['', 'malformed'],
        ['bytes', 'malformed'],
        ['bytes=', 'malformed'],
        ['bytes=abc', 'malformed'],
        ['bytes=5-1', 'malformed'],
        ['bytes=-', 'malformed'],
        ['bytes=1-2-3', 'malformed'],
        ['bytes=+1-2', 'malformed'],
        ['bytes=0x10-', 'malformed'],
        ['bytes=0-1,5-9', 'multiple'],
        ['items=0-1', 'unsupported_unit'],
        ['b y tes=0-1', 'malformed'],
        [`bytes=${'0'.repeat(300)}-`, 'malformed']
    ])('%j → ignored (%s)', (header, reason) => {
        expect(parseRange(header, 1000)).toEqual({ kind: 'ignore', reason });
    });

    it('ignores ranges on an empty representation', () => {
        expect(parseRange('bytes=0-', 0)).toEqual({ kind: 'ignore', reason: 'empty_representation' });
    });

    it('never throws, and partial ranges always lie inside the representation', () => {
        const headerArb = fc.oneof(
            fc.string({ maxLength: 60 }),
            fc.tuple(fc.option(fc.nat()), fc.option(fc.nat())).map(([a, b]) => `bytes=${a ?? ''}-${b ?? ''}`)
        );
        fc.assert(
            fc.property(headerArb, fc.nat({ max: 1_000_000 }), (header, size) => {
                const result = parseRange(header, size);
                if (result.kind === 'partial') {
                    expect(result.start).toBeGreaterThanOrEqual(0);
                    expect(result.end).toBeGreaterThanOrEqual(result.start);
                    expect(result.end).toBeLessThan(size);
                }
            }),
            { numRuns: 3000 }
        );
    });

    it('formats Content-Range values', () => {
        expect(contentRange(0, 499, 1000)).toBe('bytes 0-499/1000');
        expect(unsatisfiedContentRange(1000)).toBe('bytes */1000');
    });
});
