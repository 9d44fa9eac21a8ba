import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IMAGE_VARIANTS, VARIANT_WIDTH, variantForWidth, variantsUpTo } from '../../src/images/variantForWidth';

describe('variantForWidth', () => {
    it('picks the smallest variant at least as wide as asked', () => {
        expect(variantForWidth(16)).toBe('thumbnail');
        expect(variantForWidth(480)).toBe('thumbnail');
        expect(variantForWidth(481)).toBe('preview');
        expect(variantForWidth(1280)).toBe('preview');
        expect(variantForWidth(1281)).toBe('original');
        expect(variantForWidth(3840)).toBe('original');
    });

    it('never goes above the largest variant the view allows', () => {
        expect(variantForWidth(3840, 'preview')).toBe('preview');
        expect(variantForWidth(3840, 'thumbnail')).toBe('thumbnail');
        expect(variantForWidth(100, 'preview')).toBe('thumbnail');
    });

    it('treats widths that are not numbers as small', () => {
        expect(variantForWidth(Number.NaN)).toBe('thumbnail');
        expect(variantForWidth(0)).toBe('thumbnail');
    });

    it('is monotonic in the width and capped (property)', () => {
        fc.assert(
            fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 10_000 }), fc.constantFrom(...IMAGE_VARIANTS), (a, b, largest) => {
                const [small, large] = a <= b ? [a, b] : [b, a];
                const rank = (w: number) => IMAGE_VARIANTS.indexOf(variantForWidth(w, largest));
                expect(rank(small)).toBeLessThanOrEqual(rank(large));
                expect(rank(large)).toBeLessThanOrEqual(IMAGE_VARIANTS.indexOf(largest));
                // Wide enough: a variant other than the original is chosen only when it covers the width.
                const chosen = variantForWidth(small, largest);
                if (chosen !== 'original' && chosen === variantForWidth(small)) expect(VARIANT_WIDTH[chosen]).toBeGreaterThanOrEqual(small);
            })
        );
    });

    it('lists the variants a view may load', () => {
        expect(variantsUpTo('thumbnail')).toEqual(['thumbnail']);
        expect(variantsUpTo('preview')).toEqual(['thumbnail', 'preview']);
        expect(variantsUpTo('original')).toEqual(['thumbnail', 'preview', 'original']);
    });
});
