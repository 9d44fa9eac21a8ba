import { describe, expect, it } from 'vitest';
import { isGridKey, moveInGrid } from '../../src/gallery/gridKeyboard';

describe('moveInGrid', () => {
    // 10 tiles in 4 columns:  0 1 2 3 / 4 5 6 7 / 8 9
    it('moves by one across and by a row up and down, staying inside the grid', () => {
        expect(moveInGrid(5, 'ArrowRight', 4, 10)).toBe(6);
        expect(moveInGrid(5, 'ArrowLeft', 4, 10)).toBe(4);
        expect(moveInGrid(5, 'ArrowUp', 4, 10)).toBe(1);
        expect(moveInGrid(5, 'ArrowDown', 4, 10)).toBe(9);
        expect(moveInGrid(6, 'ArrowDown', 4, 10)).toBe(6);
        expect(moveInGrid(1, 'ArrowUp', 4, 10)).toBe(1);
        expect(moveInGrid(0, 'ArrowLeft', 4, 10)).toBe(0);
        expect(moveInGrid(9, 'ArrowRight', 4, 10)).toBe(9);
        expect(moveInGrid(5, 'Home', 4, 10)).toBe(0);
        expect(moveInGrid(5, 'End', 4, 10)).toBe(9);
    });

    it('handles one column and an empty grid', () => {
        expect(moveInGrid(0, 'ArrowDown', 1, 3)).toBe(1);
        expect(moveInGrid(0, 'ArrowDown', 0, 3)).toBe(1);
        expect(moveInGrid(0, 'ArrowDown', 4, 0)).toBe(-1);
    });

    it('knows its keys', () => {
        expect(isGridKey('ArrowUp')).toBe(true);
        expect(isGridKey('Enter')).toBe(false);
    });
});
