/** Shared helpers for the wasm instrumentation tests: WAT compilation and paired instantiation. */
import wabtInit from 'wabt';
import { DirtyPageTracker } from '../../src/wasm/dirtyPageTracker';
import { instrumentModule, type InstrumentedModule } from '../../src/wasm/instrument';
import { InstrumentedInstance } from '../../src/wasm/instrumentedInstance';

type Wabt = Awaited<ReturnType<typeof wabtInit>>;
let wabt: Promise<Wabt> | undefined;

export type Features = Parameters<Wabt['parseWat']>[2];

const DEFAULT_FEATURES: NonNullable<Features> = {
    bulk_memory: true,
    reference_types: true,
    multi_value: true,
    sign_extension: true,
    sat_float_to_int: true,
    simd: true,
    tail_call: true,
    mutable_globals: true
};

export async function wat(text: string, features: Features = {}): Promise<Uint8Array<ArrayBuffer>> {
    wabt ??= wabtInit();
    const module = (await wabt).parseWat('test.wat', text, { ...DEFAULT_FEATURES, ...features });
    try {
        module.resolveNames();
        module.validate();
        return new Uint8Array(module.toBinary({}).buffer);
    } finally {
        module.destroy();
    }
}

/** Assembles without validating (for binaries the validator would reject anyway). */
export async function watUnchecked(text: string, features: Features = {}): Promise<Uint8Array<ArrayBuffer>> {
    wabt ??= wabtInit();
    const module = (await wabt).parseWat('test.wat', text, { ...DEFAULT_FEATURES, ...features });
    try {
        module.resolveNames();
        return new Uint8Array(module.toBinary({}).buffer);
    } finally {
        module.destroy();
    }
}

export interface Harness {
    readonly module: InstrumentedModule;
    readonly instrumented: InstrumentedInstance;
    readonly tracker: DirtyPageTracker;
    /** An uninstrumented instance of the same module, for comparisons. */
    readonly plain: WebAssembly.Instance;
    /** Calls an export of the instrumented instance. */
    call(name: string, ...args: unknown[]): unknown;
    memory(): Uint8Array;
}

/** Instruments, instantiates and attaches a tracker, following the host steps in docs/metering.md. */
export function instantiate(bytes: Uint8Array<ArrayBuffer>, imports: WebAssembly.Imports = {}): Harness {
    const module = instrumentModule(bytes);
    const instance = new WebAssembly.Instance(new WebAssembly.Module(module.bytes), imports);
    const tracker = new DirtyPageTracker();
    tracker.attach(instance, module.exportNames);
    const instrumented = new InstrumentedInstance(instance, module);
    instrumented.runStart();
    const plain = new WebAssembly.Instance(new WebAssembly.Module(bytes), imports);
    return {
        module,
        instrumented,
        tracker,
        plain,
        call: (name, ...args) => (instance.exports[name] as (...a: unknown[]) => unknown)(...args),
        memory: () => new Uint8Array(instrumented.memory!.buffer)
    };
}

/** Runs `name(...args)` from a zeroed counter and returns the instructions it was charged. */
export function countInstructions(h: Harness, name: string, ...args: unknown[]): bigint {
    h.instrumented.instructions = 0n;
    h.call(name, ...args);
    return h.instrumented.instructions;
}

export const AZLE_TEMPLATES = new URL('../../../node_modules/azle/dist/canister_templates/', import.meta.url);
