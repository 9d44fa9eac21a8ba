/**
 * Host side of dirty-page tracking for one canister instance. The instrumented canister reports
 * every linear-memory write through its `__localnet_dirty_mark_table` into this tracker's own wasm
 * instance (see trackerModule.ts); the host adds its own writes with `markRange` and collects the
 * pages to roll back or commit with `takeDirtyPages`.
 */
import type { InstrumentationExports } from './instrumentedModule';
import { LIST_OFFSET, trackerModuleBytes } from './trackerModule';

export { PAGE_SIZE } from './pages';

let compiledTracker: WebAssembly.Module | undefined;

const MAX_U32 = 0xffff_ffff;

export class DirtyPageTracker {
    private readonly mark: (address: number, length: number) => void;
    private readonly count: WebAssembly.Global;
    private readonly memory: WebAssembly.Memory;
    private cache: WebAssembly.Global | undefined;

    constructor() {
        compiledTracker ??= new WebAssembly.Module(trackerModuleBytes());
        const exports = new WebAssembly.Instance(compiledTracker).exports;
        this.mark = exports.mark as (address: number, length: number) => void;
        this.count = exports.count as WebAssembly.Global;
        this.memory = exports.memory as WebAssembly.Memory;
    }

    /**
     * Connects an instance of an instrumented module: installs `mark` in its dirty table and resets
     * its page cache. Must happen before any of its code runs (the table slot starts out null, so
     * an unattached instance traps on its first memory write).
     */
    attach(instance: WebAssembly.Instance, names: Pick<InstrumentationExports, 'dirtyMarkTable' | 'dirtyCache'>): void {
        const table = instance.exports[names.dirtyMarkTable];
        const cache = instance.exports[names.dirtyCache];
        if (!(table instanceof WebAssembly.Table) || !(cache instanceof WebAssembly.Global)) {
            throw new Error('instance is not an instrumented module (dirty-tracking exports missing)');
        }
        table.set(0, this.mark);
        this.cache = cache;
        this.resetCache();
    }

    /** Records a write the host made into canister memory (e.g. copying call arguments). */
    markRange(address: number, length: number): void {
        if (!Number.isInteger(address) || !Number.isInteger(length) || address < 0 || length < 0) {
            throw new RangeError(`invalid range [${address}, +${length})`);
        }
        if (length === 0) return;
        if (address > MAX_U32 || length > MAX_U32) throw new RangeError(`range beyond 4 GiB: [${address}, +${length})`);
        this.mark(address, length);
    }

    /** Number of distinct pages recorded since the last `takeDirtyPages`. */
    get pendingCount(): number {
        return this.count.value as number;
    }

    /**
     * Returns the dirty page indices (ascending; page i covers bytes [i * PAGE_SIZE, (i + 1) * PAGE_SIZE))
     * and clears the record. May include pages past the end of memory if a write trapped out of bounds.
     * Also resets the canister's page cache, which would otherwise skip the now-cleared page.
     */
    takeDirtyPages(): Uint32Array {
        const count = this.count.value as number;
        const pages = new Uint32Array(this.memory.buffer, LIST_OFFSET, count).slice();
        const bitmap = new Uint8Array(this.memory.buffer);
        for (let i = 0; i < count; i++) bitmap[pages[i]! >>> 3] = 0;
        this.count.value = 0;
        this.resetCache();
        return pages.sort();
    }

    /** Forgets the cached page so the next write reports again. The host calls this at the start of each message. */
    resetCache(): void {
        if (this.cache) this.cache.value = -1;
    }
}
