/** What `instrumentModule` hands to the host: the rewritten binary and how to drive it. */
import type { ModuleExport, ModuleImport } from './moduleInfo';
import type { ValTypeName } from './valueTypes';

export type { ModuleExport, ModuleImport };

/** Names the instrumentation adds. Modules that already export a `__localnet_` name are rejected. */
export const ExportName = {
    prefix: '__localnet_',
    instructionCounter: '__localnet_instruction_counter',
    instructionLimit: '__localnet_instruction_limit',
    dirtyCache: '__localnet_dirty_cache',
    dirtyMarkTable: '__localnet_dirty_mark_table',
    memory: '__localnet_memory',
    table: '__localnet_table',
    start: '__localnet_start',
    global: (index: number): string => `__localnet_global_${index}`
} as const;

export interface InstrumentationExports {
    /** The canister's linear memory (its own export name if it had one). Undefined if it has no memory. */
    readonly memory: string | undefined;
    /** Table 0, through which the host calls reply/reject/cleanup callbacks. Undefined if there is no table. */
    readonly table: string | undefined;
    /** Mutable i64 global: instructions executed; the host zeroes it before each message. */
    readonly instructionCounter: string;
    /** Mutable i64 global: the module traps (`unreachable`) at a function entry or loop header once counter > limit. */
    readonly instructionLimit: string;
    /** Mutable i32 global: last 4 KiB page reported dirty; -1 forces the next store to report. */
    readonly dirtyCache: string;
    /** One-slot funcref table; slot 0 must hold the tracker's `mark` before any canister code runs. */
    readonly dirtyMarkTable: string;
    /** The former start function (the start section is removed, as the IC does with `canister_start`). */
    readonly start: string | undefined;
}

export interface MutableGlobalExport {
    readonly name: string;
    /** Index in the original module's global index space. */
    readonly index: number;
    readonly type: Exclude<ValTypeName, 'v128'>;
}

export interface InstrumentedModule {
    readonly bytes: Uint8Array<ArrayBuffer>;
    readonly exportNames: InstrumentationExports;
    /** Every mutable global of the original module, exported for snapshot/restore. */
    readonly mutableGlobals: readonly MutableGlobalExport[];
    /** The original module's imports (the instrumented module imports exactly the same). */
    readonly imports: readonly ModuleImport[];
    /** The original module's exports (all still present, under the same names). */
    readonly exports: readonly ModuleExport[];
    /** Names of the custom sections, all kept verbatim. */
    readonly customSections: readonly string[];
}
