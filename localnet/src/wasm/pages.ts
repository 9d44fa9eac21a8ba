/** Granularity of dirty-page tracking and rollback: the IC's OS page size (4 KiB), not the 64 KiB wasm page. */
export const PAGE_SIZE = 4096;
export const PAGE_SHIFT = 12;

/** Pages in a full 4 GiB wasm32 memory: every page index is below this. */
export const MAX_PAGES = 2 ** (32 - PAGE_SHIFT);
