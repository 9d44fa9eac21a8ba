/**
 * A canister's stable memory: 64 KiB pages, grown explicitly, kept across upgrades. Writes made by
 * a message are undoable: the first write to each page in a message saves the page's old bytes,
 * so a trap (or a query) restores exactly what the message changed.
 */
import { contractViolation } from './canisterTrap';

export const WASM_PAGE_SIZE = 65_536;
/** 500 GiB, the IC's stable memory limit, in pages. */
export const MAX_STABLE_PAGES = (500n * 1024n * 1024n * 1024n) / BigInt(WASM_PAGE_SIZE);

export class StableMemory {
    #bytes: Uint8Array;
    #pages = 0;
    #undo: Map<number, Uint8Array> | undefined;
    #pagesAtStart = 0;
    /** 4 KiB pages written by the current message (the IC charges per newly dirtied page). */
    #dirty4k = new Set<number>();

    constructor(initial?: Uint8Array) {
        this.#bytes = new Uint8Array(0);
        if (initial && initial.length > 0) this.replace(initial);
    }

    get pages(): number {
        return this.#pages;
    }

    get byteLength(): number {
        return this.#pages * WASM_PAGE_SIZE;
    }

    /** Starts recording undo information for one message. */
    begin(): void {
        this.#undo = new Map();
        this.#pagesAtStart = this.#pages;
        this.#dirty4k.clear();
    }

    /** Counts the 4 KiB pages a write of [offset, offset + size) dirties for the first time in this message. */
    newlyDirtied(offset: bigint, size: bigint): number {
        if (size <= 0n) return 0;
        let fresh = 0;
        for (let page = offset / 4096n; page <= (offset + size - 1n) / 4096n; page++) {
            const key = Number(page);
            if (!this.#dirty4k.has(key)) {
                this.#dirty4k.add(key);
                fresh += 1;
            }
        }
        return fresh;
    }

    commit(): void {
        this.#undo = undefined;
    }

    rollback(): void {
        if (!this.#undo) return;
        for (const [page, saved] of this.#undo) this.#bytes.set(saved, page * WASM_PAGE_SIZE);
        if (this.#pages > this.#pagesAtStart) {
            this.#bytes.fill(0, this.#pagesAtStart * WASM_PAGE_SIZE, this.#pages * WASM_PAGE_SIZE);
            this.#pages = this.#pagesAtStart;
        }
        this.#undo = undefined;
    }

    /** Grows by `delta` pages; returns the old size, or -1 when the limit would be exceeded. */
    grow(delta: bigint): bigint {
        const old = BigInt(this.#pages);
        if (delta < 0n || old + delta > MAX_STABLE_PAGES) return -1n;
        const pages = this.#pages + Number(delta);
        this.#ensureCapacity(pages * WASM_PAGE_SIZE);
        this.#pages = pages;
        return old;
    }

    read(offset: bigint, size: bigint): Uint8Array {
        const { start, end } = this.#range(offset, size, 'read');
        return this.#bytes.subarray(start, end);
    }

    write(offset: bigint, data: Uint8Array): void {
        const { start, end } = this.#range(offset, BigInt(data.length), 'write');
        if (this.#undo) {
            for (let page = Math.floor(start / WASM_PAGE_SIZE); page * WASM_PAGE_SIZE < end; page++) {
                if (!this.#undo.has(page) && page < this.#pagesAtStart) {
                    this.#undo.set(page, this.#bytes.slice(page * WASM_PAGE_SIZE, (page + 1) * WASM_PAGE_SIZE));
                }
            }
        }
        this.#bytes.set(data, start);
    }

    /** A copy of the whole memory (for PocketIC's get_stable_memory). */
    snapshot(): Uint8Array {
        return this.#bytes.slice(0, this.byteLength);
    }

    /** Replaces the contents, rounding the size up to whole pages (PocketIC's set_stable_memory). */
    replace(data: Uint8Array): void {
        const pages = Math.ceil(data.length / WASM_PAGE_SIZE);
        this.#bytes = new Uint8Array(pages * WASM_PAGE_SIZE);
        this.#bytes.set(data);
        this.#pages = pages;
    }

    clear(): void {
        this.#bytes = new Uint8Array(0);
        this.#pages = 0;
    }

    #range(offset: bigint, size: bigint, what: string): { start: number; end: number } {
        // Numbers are exact below 2^53 and stable memory is far smaller; this runs on every
        // stable read and write, so avoid BigInt arithmetic.
        const start = Number(offset);
        const end = start + Number(size);
        if (offset < 0n || size < 0n || end > this.byteLength || !Number.isSafeInteger(end)) {
            throw contractViolation(`stable memory ${what} out of bounds (offset ${offset}, size ${size}, memory ${this.byteLength} bytes)`);
        }
        return { start, end };
    }

    #ensureCapacity(bytes: number): void {
        if (this.#bytes.length >= bytes) return;
        let capacity = Math.max(this.#bytes.length, WASM_PAGE_SIZE * 16);
        while (capacity < bytes) capacity *= 2;
        const grown = new Uint8Array(capacity);
        grown.set(this.#bytes);
        this.#bytes = grown;
    }
}
