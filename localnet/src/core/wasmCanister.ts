/**
 * One instantiated canister module with transactional linear memory.
 *
 * The host keeps a committed copy of memory. Every message starts from it; afterwards the pages
 * the message wrote (reported by the instrumentation) are either copied into the committed copy
 * (commit) or copied back from it (rollback), so the cost follows the pages touched, not the heap
 * size. Mutable globals are snapshotted the same way. A rollback after memory.grow re-instantiates
 * the module, because wasm memory cannot shrink.
 */
import { DirtyPageTracker, PAGE_SIZE } from '../wasm/dirtyPageTracker';
import { InstrumentedInstance, type GlobalSnapshot } from '../wasm/instrumentedInstance';
import type { InstrumentedModule } from '../wasm/instrumentedModule';
import { CanisterTrap, instructionLimitExceeded } from './canisterTrap';
import { createGuestMemory, type GuestMemory } from './guestMemory';

export interface CompiledCanisterModule {
    readonly module: WebAssembly.Module;
    readonly instrumented: InstrumentedModule;
}

export interface RunOutcome {
    readonly trap?: CanisterTrap;
    readonly instructions: bigint;
}

const TRAP_WORDING: [RegExp, string][] = [
    [/unreachable/i, 'unreachable'],
    [/memory access out of bounds|out of bounds memory access/i, 'heap out of bounds'],
    [/divide by zero|division by zero/i, 'integer division by 0'],
    [/integer overflow|unrepresentable/i, 'integer overflow'],
    [/table index is out of bounds|table out of bounds/i, 'table out of bounds'],
    [/null function|signature mismatch|function signature/i, 'function invocation does not match its signature'],
    [/Maximum call stack size exceeded|stack overflow/i, 'stack overflow']
];

export class WasmCanister {
    #instance: InstrumentedInstance;
    #tracker: DirtyPageTracker;
    #committed: Uint8Array;
    #committedGlobals: GlobalSnapshot;
    #guest: GuestMemory;
    /** The limit of the message running now (also in the instrumented global; kept here for charge()). */
    #limit = 0n;

    private constructor(
        private readonly compiled: CompiledCanisterModule,
        private readonly imports: WebAssembly.Imports
    ) {
        this.#tracker = new DirtyPageTracker();
        this.#instance = this.#instantiate();
        this.#committed = this.#liveBytes().slice();
        this.#committedGlobals = this.#instance.snapshotGlobals();
        this.#guest = this.#createGuest();
    }

    /** Instantiates (data segments applied, start function not yet run) and takes the first snapshot. */
    static instantiate(compiled: CompiledCanisterModule, imports: WebAssembly.Imports): WasmCanister {
        return new WasmCanister(compiled, imports);
    }

    get guestMemory(): GuestMemory {
        return this.#guest;
    }

    get instructions(): bigint {
        return this.#instance.instructions;
    }

    /** Size of linear memory in bytes (committed state). */
    get memorySize(): number {
        return this.#committed.length;
    }

    hasExport(name: string): boolean {
        return typeof this.#instance.instance.exports[name] === 'function';
    }

    /** Adds host-side costs (system API) to the counter; traps past the limit. */
    charge(instructions: bigint): void {
        if (this.#instance.addInstructions(instructions) > this.#limit) throw instructionLimitExceeded(this.#limit);
    }

    runStart(limit: bigint): RunOutcome {
        return this.#run(limit, () => this.#instance.runStart());
    }

    runExport(name: string, limit: bigint): RunOutcome {
        const fn = this.#instance.instance.exports[name];
        if (typeof fn !== 'function') throw new Error(`no exported function ${name}`);
        return this.#run(limit, () => (fn as () => void)());
    }

    /** Calls a reply/reject/cleanup callback through table 0, as the IC does. */
    runCallback(tableIndex: number, env: number, limit: bigint): RunOutcome {
        return this.#run(limit, () => {
            const table = this.#instance.table;
            if (!table) throw new CanisterTrap('Canister trapped: callback called but the module has no table');
            if (tableIndex >= table.length) throw new CanisterTrap('Canister trapped: table out of bounds');
            const fn = table.get(tableIndex) as ((env: number) => void) | null;
            if (!fn) throw new CanisterTrap('Canister trapped: callback is a null table entry');
            fn(env);
        });
    }

    /** Makes the current memory and globals the committed state. */
    commit(): void {
        const live = this.#liveBytes();
        const pages = this.#tracker.takeDirtyPages();
        if (live.length > this.#committed.length) {
            const grown = new Uint8Array(live.length);
            grown.set(this.#committed);
            grown.set(live.subarray(this.#committed.length), this.#committed.length);
            this.#committed = grown;
        }
        copyPages(pages, live, this.#committed);
        this.#committedGlobals = this.#instance.snapshotGlobals();
    }

    /** Returns memory and globals to the committed state. */
    rollback(): void {
        const pages = this.#tracker.takeDirtyPages();
        if (this.#liveBytes().length > this.#committed.length) {
            this.#instance = this.#instantiate();
            const memory = this.#instance.memory!;
            const missing = this.#committed.length - memory.buffer.byteLength;
            if (missing > 0) memory.grow(missing / 65_536);
            new Uint8Array(memory.buffer).set(this.#committed);
            this.#guest = this.#createGuest();
        } else {
            copyPages(pages, this.#committed, this.#liveBytes());
        }
        this.#instance.restoreGlobals(this.#committedGlobals);
    }

    #run(limit: bigint, body: () => void): RunOutcome {
        this.#instance.instructions = 0n;
        this.#instance.instructionLimit = limit;
        this.#limit = limit;
        this.#tracker.resetCache();
        try {
            body();
            return { instructions: this.#instance.instructions };
        } catch (error) {
            return { trap: this.#classify(error, limit), instructions: this.#instance.instructions };
        }
    }

    #classify(error: unknown, limit: bigint): CanisterTrap {
        if (this.#instance.limitExceeded) return instructionLimitExceeded(limit);
        if (error instanceof CanisterTrap) return error;
        const message = error instanceof Error ? error.message : String(error);
        if (error instanceof WebAssembly.RuntimeError || error instanceof RangeError) {
            const wording = TRAP_WORDING.find(([pattern]) => pattern.test(message))?.[1] ?? message;
            return new CanisterTrap(`Canister trapped: ${wording}`);
        }
        // An exception from host code is a localnet bug; report it as a trap rather than crash.
        return new CanisterTrap(`Canister trapped: localnet host error: ${message}`);
    }

    #instantiate(): InstrumentedInstance {
        const instance = new WebAssembly.Instance(this.compiled.module, this.imports);
        const instrumented = new InstrumentedInstance(instance, this.compiled.instrumented);
        this.#tracker.attach(instance, this.compiled.instrumented.exportNames);
        return instrumented;
    }

    #liveBytes(): Uint8Array {
        const memory = this.#instance.memory;
        return memory ? new Uint8Array(memory.buffer) : new Uint8Array(0);
    }

    #createGuest(): GuestMemory {
        // A module without memory gets a zero-sized one: every access is out of bounds, as specified.
        const memory = this.#instance.memory ?? new WebAssembly.Memory({ initial: 0 });
        return createGuestMemory(memory, (address, length) => this.#tracker.markRange(address, length));
    }
}

function copyPages(pages: Uint32Array, from: Uint8Array, to: Uint8Array): void {
    const limit = Math.min(from.length, to.length);
    for (const page of pages) {
        const start = page * PAGE_SIZE;
        if (start >= limit) continue;
        to.set(from.subarray(start, Math.min(start + PAGE_SIZE, limit)), start);
    }
}
