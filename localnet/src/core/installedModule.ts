/**
 * A canister's installed code: the running instance, the module hash, the methods it exports and
 * its public/private metadata sections. Owns the `ic0` import object, whose functions act on the
 * message currently being executed.
 */
import type { CanisterTrap } from './canisterTrap';
import type { CanisterState } from './canisterState';
import type { ModuleDescription } from './moduleValidation';
import type { MessageExecution } from './messageExecution';
import { createSystemApi } from './systemApi';
import { systemApiCharge } from '../wasm/systemApiCosts';
import { WasmCanister, type CompiledCanisterModule, type RunOutcome } from './wasmCanister';

export class InstalledModule {
    readonly runtime: WasmCanister;
    /** The message being executed, if any. */
    current: MessageExecution | undefined;

    constructor(
        canister: CanisterState,
        readonly compiled: CompiledCanisterModule,
        readonly description: ModuleDescription,
        /** sha256 of the module exactly as submitted (gzipped or not), as canister_status reports it. */
        readonly hash: Uint8Array
    ) {
        const ic0 = createSystemApi({
            execution: () => this.current,
            memory: () => this.runtime.guestMemory,
            stable: canister.stable,
            charge: (name, args, context) => this.runtime.charge(BigInt(systemApiCharge(name, args, context))),
            instructions: () => this.runtime.instructions
        });
        this.runtime = WasmCanister.instantiate(compiled, { ic0 } as WebAssembly.Imports);
    }

    run(entry: ExecutionEntry, limit: bigint): RunOutcome {
        switch (entry.kind) {
            case 'start':
                return this.runtime.runStart(limit);
            case 'export':
                return this.runtime.runExport(entry.name, limit);
            case 'callback':
                return this.runtime.runCallback(entry.fn, entry.env, limit);
        }
    }
}

export type ExecutionEntry =
    | { readonly kind: 'start' }
    | { readonly kind: 'export'; readonly name: string }
    | { readonly kind: 'callback'; readonly fn: number; readonly env: number };

export type { CanisterTrap };
