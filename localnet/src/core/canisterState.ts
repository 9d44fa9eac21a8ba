/**
 * Everything the network knows about one canister: settings, status, cycles, the installed
 * module and its memories, certified data, timer, chunk store, and open call contexts.
 */
import type { Principal } from '@icp-sdk/core/principal';
import type { CallContext, Callback } from './callContext';
import type { InstalledModule } from './installedModule';
import { StableMemory } from './stableMemory';

export type CanisterStatus = 'running' | 'stopping' | 'stopped';

export type LogVisibility = { controllers: null } | { public: null } | { allowed_viewers: Principal[] };

export interface CanisterSettings {
    controllers: Principal[];
    computeAllocation: bigint;
    memoryAllocation: bigint;
    freezingThreshold: bigint;
    reservedCyclesLimit: bigint;
    logVisibility: LogVisibility;
    wasmMemoryLimit: bigint;
    wasmMemoryThreshold: bigint;
    environmentVariables: Map<string, string>;
}

export function defaultSettings(controllers: Principal[]): CanisterSettings {
    return {
        controllers,
        computeAllocation: 0n,
        memoryAllocation: 0n,
        freezingThreshold: 2_592_000n,
        reservedCyclesLimit: 5_000_000_000_000n,
        logVisibility: { controllers: null },
        wasmMemoryLimit: 3n * 1024n * 1024n * 1024n,
        wasmMemoryThreshold: 0n,
        environmentVariables: new Map()
    };
}

export class CanisterState {
    status: CanisterStatus = 'running';
    module: InstalledModule | undefined;
    readonly stable = new StableMemory();
    certifiedData: Uint8Array = new Uint8Array(0);
    globalTimer = 0n;
    /** Incremented by every successful install, upgrade, uninstall and settings change. */
    version = 0n;
    readonly chunkStore = new Map<string, Uint8Array>();
    readonly callContexts = new Map<number, CallContext>();
    readonly callbacks = new Map<number, Callback>();
    /** Replies to stop_canister calls, sent once the canister has stopped. */
    readonly stopWaiters: ((stopped: boolean) => void)[] = [];
    deleted = false;
    /** A transaction over the memories is open (see executor.ts). */
    inTransaction = false;

    constructor(
        readonly id: Principal,
        public settings: CanisterSettings,
        public cycles: bigint,
        readonly subnetId: Principal
    ) {}

    isController(principal: Principal): boolean {
        const text = principal.toText();
        return this.settings.controllers.some((c) => c.toText() === text);
    }

    /** The IC's notion of memory size: heap + stable memory + chunk store. */
    get memorySize(): bigint {
        let size = BigInt(this.module?.runtime.memorySize ?? 0) + BigInt(this.stable.byteLength);
        for (const chunk of this.chunkStore.values()) size += BigInt(chunk.length);
        return size;
    }
}
