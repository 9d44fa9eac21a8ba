/**
 * Typed access to the handles an instrumented instance exports: the instruction counter and
 * limit, memory, table 0 and the mutable globals (for snapshot/restore around messages).
 */
import type { InstrumentedModule } from './instrumentedModule';

/** Values of the module's mutable globals, in `InstrumentedModule.mutableGlobals` order. */
export type GlobalSnapshot = readonly unknown[];

export class InstrumentedInstance {
    private readonly counter: WebAssembly.Global;
    private readonly limit: WebAssembly.Global;
    private readonly globals: readonly WebAssembly.Global[];

    constructor(
        readonly instance: WebAssembly.Instance,
        readonly module: InstrumentedModule
    ) {
        const names = module.exportNames;
        this.counter = exported(instance, names.instructionCounter, WebAssembly.Global);
        this.limit = exported(instance, names.instructionLimit, WebAssembly.Global);
        this.globals = module.mutableGlobals.map((g) => exported(instance, g.name, WebAssembly.Global));
    }

    /** Instructions counted since the host last set the counter (IC `performance_counter(0)` semantics). */
    get instructions(): bigint {
        return this.counter.value as bigint;
    }

    set instructions(value: bigint) {
        this.counter.value = value;
    }

    /** Adds to the counter and returns the new total: one read and one write of the global. */
    addInstructions(amount: bigint): bigint {
        const total = (this.counter.value as bigint) + amount;
        this.counter.value = total;
        return total;
    }

    get instructionLimit(): bigint {
        return this.limit.value as bigint;
    }

    set instructionLimit(value: bigint) {
        this.limit.value = value;
    }

    /** True after a trap caused by the limit check (or any trap once the budget was overrun). */
    get limitExceeded(): boolean {
        return this.instructions > this.instructionLimit;
    }

    get memory(): WebAssembly.Memory | undefined {
        const name = this.module.exportNames.memory;
        return name === undefined ? undefined : exported(this.instance, name, WebAssembly.Memory);
    }

    get table(): WebAssembly.Table | undefined {
        const name = this.module.exportNames.table;
        return name === undefined ? undefined : exported(this.instance, name, WebAssembly.Table);
    }

    snapshotGlobals(): GlobalSnapshot {
        return this.globals.map((g) => g.value as unknown);
    }

    restoreGlobals(snapshot: GlobalSnapshot): void {
        if (snapshot.length !== this.globals.length) throw new Error('global snapshot does not match this module');
        this.globals.forEach((g, i) => {
            g.value = snapshot[i];
        });
    }

    /** Runs the module's former start function, if it had one (the host meters it as part of install). */
    runStart(): void {
        const name = this.module.exportNames.start;
        if (name !== undefined) (this.instance.exports[name] as () => void)();
    }
}

function exported<T>(
    instance: WebAssembly.Instance,
    name: string,
    type: abstract new (...args: never[]) => T
): T {
    const value = instance.exports[name];
    if (!(value instanceof type)) throw new Error(`instance has no ${type.name} export "${name}"`);
    return value;
}
