/** Arrow-key movement in a grid of `count` tiles laid out in `columns` columns. */
export type GridKey = 'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown' | 'Home' | 'End';

export function isGridKey(key: string): key is GridKey {
    return ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End'].includes(key);
}

export function moveInGrid(index: number, key: GridKey, columns: number, count: number): number {
    if (count <= 0) return -1;
    const cols = Math.max(1, Math.floor(columns));
    const clamp = (i: number) => Math.min(count - 1, Math.max(0, i));
    switch (key) {
        case 'ArrowLeft':
            return clamp(index - 1);
        case 'ArrowRight':
            return clamp(index + 1);
        case 'ArrowUp':
            return index - cols >= 0 ? index - cols : index;
        case 'ArrowDown':
            return index + cols < count ? index + cols : index;
        case 'Home':
            return 0;
        case 'End':
            return count - 1;
    }
}
