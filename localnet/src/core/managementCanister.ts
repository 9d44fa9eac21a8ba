/**
 * The management canister (aaaaa-aa): canister lifecycle, code installation (plain and chunked),
 * settings, status, cycles and raw_rand. Every method that manages a canister checks that the
 * caller is one of its controllers, as the IC does.
 */
import { IDL } from '@icp-sdk/core/candid';
import { Principal } from '@icp-sdk/core/principal';
import { sha256 } from '@noble/hashes/sha256';
import { randomBytes } from 'node:crypto';
import { installCode, uninstallCode, type InstallMode } from './canisterInstaller';
import { defaultSettings, type CanisterSettings, type CanisterState } from './canisterState';
import type { NetworkFacts } from './executor';
import { ErrorCode, reject, type Reject } from './icErrors';
import { RejectCode, type CallOutcome, type EffectivePrincipal } from './localIc';
import {
    CanisterIdRecord,
    CanisterStatusResult,
    ChunkHash,
    CreateCanisterArgs,
    InstallChunkedCodeArgs,
    InstallCodeArgs,
    ProvisionalCreateCanisterArgs,
    ProvisionalTopUpArgs,
    UpdateSettingsArgs,
    UploadChunkArgs,
    type CanisterIdArg,
    type CanisterSettingsArg,
    type InstallChunkedCodeArg,
    type InstallCodeArg,
    type InstallModeArg,
    type ProvisionalCreateArg
} from './managementTypes';

export const MANAGEMENT_CANISTER_ID = Principal.managementCanister();
export const MAX_CONTROLLERS = 10;
export const MAX_CHUNK_BYTES = 1024 * 1024;
export const MAX_CHUNKS = 10_000;

export interface ManagementCall {
    readonly caller: Principal;
    readonly method: string;
    readonly arg: Uint8Array;
    readonly cycles: bigint;
    /** True for ingress messages (users), false for canister callers. */
    readonly fromUser: boolean;
    readonly effectivePrincipal?: EffectivePrincipal;
}

/** What the management canister needs from the network it belongs to. */
export interface ManagementHost {
    facts(): NetworkFacts;
    canister(id: Principal): CanisterState | undefined;
    createCanister(options: {
        settings: CanisterSettings;
        cycles: bigint;
        specifiedId?: Principal;
        effectivePrincipal?: EffectivePrincipal;
    }): CanisterState | Reject;
    deleteCanister(canister: CanisterState): void;
    /** Closes every open call context of the canister with a reject (uninstall, reinstall). */
    rejectOpenCallContexts(canister: CanisterState, message: string): void;
    /** Calls `done` once the canister has stopped (or `false` if it was started again meanwhile). */
    whenStopped(canister: CanisterState, done: (stopped: boolean) => void): void;
}

export type Respond = (outcome: CallOutcome, refund: bigint) => void;

type Handler = (call: ManagementCall, respond: Respond) => CallOutcome | 'deferred';

const EMPTY_REPLY = new Uint8Array(IDL.encode([], []));

function reply(types: IDL.Type[], values: unknown[]): CallOutcome {
    return { kind: 'reply', bytes: new Uint8Array(IDL.encode(types, values)) };
}

function toBytes(value: Uint8Array | number[]): Uint8Array {
    return value instanceof Uint8Array ? value : Uint8Array.from(value);
}

function hex(bytes: Uint8Array): string {
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export class ManagementCanister {
    readonly #handlers: Record<string, Handler>;

    constructor(private readonly host: ManagementHost) {
        this.#handlers = {
            create_canister: (c) => this.#create(c, false),
            provisional_create_canister_with_cycles: (c) => this.#create(c, true),
            install_code: (c) => this.#installCode(c),
            install_chunked_code: (c) => this.#installChunkedCode(c),
            uninstall_code: (c) => this.#uninstallCode(c),
            upload_chunk: (c) => this.#uploadChunk(c),
            stored_chunks: (c) => this.#storedChunks(c),
            clear_chunk_store: (c) => this.#clearChunkStore(c),
            update_settings: (c) => this.#updateSettings(c),
            canister_status: (c) => this.#canisterStatus(c),
            start_canister: (c) => this.#startCanister(c),
            stop_canister: (c, respond) => this.#stopCanister(c, respond),
            delete_canister: (c) => this.#deleteCanister(c),
            deposit_cycles: (c) => this.#depositCycles(c),
            provisional_top_up_canister: (c) => this.#topUp(c),
            raw_rand: (c) => this.#rawRand(c)
        };
    }

    /**
     * Handles one call. Returns the outcome, or 'deferred' when `respond` will be called later
     * (stop_canister waits for the canister to stop). Refunds: unaccepted cycles go back to callers.
     */
    handle(call: ManagementCall, respond: Respond): void {
        const handler = this.#handlers[call.method];
        if (!handler) {
            const unsupported = /^(ecdsa|sign_with|schnorr|http_request|bitcoin|vetkd|node_metrics|fetch_canister_logs|take_canister_snapshot|load_canister_snapshot|list_canister_snapshots|delete_canister_snapshot|canister_info|subnet_info)/.test(call.method);
            respond(
                reject(
                    RejectCode.DestinationInvalid,
                    ErrorCode.UnknownManagementMessage,
                    unsupported
                        ? `Management canister method ${call.method} is not emulated by localnet (see localnet/README.md).`
                        : `Management canister has no method '${call.method}'`
                ),
                call.cycles
            );
            return;
        }
        let outcome: CallOutcome | 'deferred';
        try {
            outcome = handler(call, respond);
        } catch (error) {
            if (error instanceof CandidError) {
                outcome = reject(RejectCode.CanisterReject, ErrorCode.InvalidManagementPayload, `Error decoding candid: ${error.message}`);
            } else {
                throw error;
            }
        }
        if (outcome !== 'deferred') respond(outcome, outcome.kind === 'reject' ? call.cycles : this.#refund(call));
    }

    /** Cycles a successful call did not consume (only deposits and creations take cycles). */
    #refund(call: ManagementCall): bigint {
        return call.method === 'deposit_cycles' || call.method === 'create_canister' ? 0n : call.cycles;
    }

    #decode<T>(types: IDL.Type[], arg: Uint8Array): T {
        try {
            // IDL.decode ignores a view's byteOffset: decode a copy.
            const values = IDL.decode(types, arg.slice());
            return values[0] as T;
        } catch (error) {
            throw new CandidError((error as Error).message);
        }
    }

    /** The target canister, if it exists and the caller controls it. */
    #controlled(call: ManagementCall, id: Principal): CanisterState | Reject {
        const canister = this.host.canister(id);
        if (!canister) {
            return reject(RejectCode.DestinationInvalid, ErrorCode.CanisterNotFound, `Canister ${id.toText()} not found`);
        }
        if (!canister.isController(call.caller)) {
            return reject(
                RejectCode.CanisterError,
                ErrorCode.CanisterInvalidController,
                `Only controllers of canister ${id.toText()} can call ic00 method ${call.method}`
            );
        }
        return canister;
    }

    #create(call: ManagementCall, provisional: boolean): CallOutcome {
        if (!provisional && call.fromUser) {
            return reject(RejectCode.CanisterReject, ErrorCode.CanisterRejectedMessage, 'create_canister can only be called by other canisters, not via ingress messages.');
        }
        const arg = this.#decode<ProvisionalCreateArg>([provisional ? ProvisionalCreateCanisterArgs : CreateCanisterArgs], call.arg);
        const settings = defaultSettings([call.caller]);
        const problem = applySettings(settings, arg.settings[0]);
        if (problem) return problem;
        const cycles = provisional ? (arg.amount?.[0] ?? 1_000_000_000_000_000n) : call.cycles;
        const created = this.host.createCanister({
            settings,
            cycles,
            ...(arg.specified_id?.[0] ? { specifiedId: arg.specified_id[0] } : {}),
            ...(call.effectivePrincipal ? { effectivePrincipal: call.effectivePrincipal } : {})
        });
        if ('kind' in created) return created;
        return reply([IDL.Record({ canister_id: IDL.Principal })], [{ canister_id: created.id }]);
    }

    #installCode(call: ManagementCall): CallOutcome {
        const arg = this.#decode<InstallCodeArg>([InstallCodeArgs], call.arg);
        const canister = this.#controlled(call, arg.canister_id);
        if ('kind' in canister) return canister;
        return this.#install(call, canister, arg.mode, toBytes(arg.wasm_module), toBytes(arg.arg));
    }

    #installChunkedCode(call: ManagementCall): CallOutcome {
        const arg = this.#decode<InstallChunkedCodeArg>([InstallChunkedCodeArgs], call.arg);
        const target = this.#controlled(call, arg.target_canister);
        if ('kind' in target) return target;
        const store = arg.store_canister[0] ? this.#controlled(call, arg.store_canister[0]) : target;
        if ('kind' in store) return store;
        const parts: Uint8Array[] = [];
        for (const { hash } of arg.chunk_hashes_list) {
            const chunk = store.chunkStore.get(hex(toBytes(hash)));
            if (!chunk) {
                return reject(RejectCode.CanisterError, ErrorCode.CanisterInvalidWasm, `Chunk with hash ${hex(toBytes(hash))} was not found in the chunk store of canister ${store.id.toText()}.`);
            }
            parts.push(chunk);
        }
        const wasm = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
        let offset = 0;
        for (const part of parts) {
            wasm.set(part, offset);
            offset += part.length;
        }
        if (hex(sha256(wasm)) !== hex(toBytes(arg.wasm_module_hash))) {
            return reject(RejectCode.CanisterError, ErrorCode.CanisterInvalidWasm, `Wasm module hash ${hex(sha256(wasm))} does not match the expected hash ${hex(toBytes(arg.wasm_module_hash))}.`);
        }
        return this.#install(call, target, arg.mode, wasm, toBytes(arg.arg));
    }

    #install(call: ManagementCall, canister: CanisterState, modeArg: InstallModeArg, wasm: Uint8Array, initArg: Uint8Array): CallOutcome {
        let mode: InstallMode;
        if ('install' in modeArg) mode = { kind: 'install' };
        else if ('reinstall' in modeArg) mode = { kind: 'reinstall' };
        else {
            const options = modeArg.upgrade[0];
            mode = {
                kind: 'upgrade',
                skipPreUpgrade: options?.skip_pre_upgrade[0] ?? false,
                keepWasmMemory: options?.wasm_memory_persistence[0] !== undefined && 'keep' in options.wasm_memory_persistence[0]
            };
        }
        const result = installCode(canister, mode, wasm, initArg, call.caller, this.host.facts());
        if ('kind' in result) return result;
        if (mode.kind === 'reinstall') this.host.rejectOpenCallContexts(canister, `Canister ${canister.id.toText()} has been reinstalled.`);
        return { kind: 'reply', bytes: EMPTY_REPLY };
    }

    #uninstallCode(call: ManagementCall): CallOutcome {
        const canister = this.#controlled(call, this.#decode<CanisterIdArg>([CanisterIdRecord], call.arg).canister_id);
        if ('kind' in canister) return canister;
        uninstallCode(canister);
        this.host.rejectOpenCallContexts(canister, `Canister ${canister.id.toText()} has been uninstalled.`);
        return { kind: 'reply', bytes: EMPTY_REPLY };
    }

    #uploadChunk(call: ManagementCall): CallOutcome {
        const arg = this.#decode<{ canister_id: Principal; chunk: Uint8Array | number[] }>([UploadChunkArgs], call.arg);
        const canister = this.#controlled(call, arg.canister_id);
        if ('kind' in canister) return canister;
        const chunk = toBytes(arg.chunk);
        if (chunk.length > MAX_CHUNK_BYTES) {
            return reject(RejectCode.CanisterReject, ErrorCode.InvalidManagementPayload, `Wasm chunk size ${chunk.length} exceeds the maximum of ${MAX_CHUNK_BYTES} bytes.`);
        }
        const hash = sha256(chunk);
        if (!canister.chunkStore.has(hex(hash)) && canister.chunkStore.size >= MAX_CHUNKS) {
            return reject(RejectCode.CanisterReject, ErrorCode.InvalidManagementPayload, `Wasm chunk store of ${canister.id.toText()} is full.`);
        }
        canister.chunkStore.set(hex(hash), chunk);
        return reply([ChunkHash], [{ hash }]);
    }

    #storedChunks(call: ManagementCall): CallOutcome {
        const canister = this.#controlled(call, this.#decode<CanisterIdArg>([CanisterIdRecord], call.arg).canister_id);
        if ('kind' in canister) return canister;
        const hashes = [...canister.chunkStore.keys()].map((h) => ({ hash: Uint8Array.from(Buffer.from(h, 'hex')) }));
        return reply([IDL.Vec(ChunkHash)], [hashes]);
    }

    #clearChunkStore(call: ManagementCall): CallOutcome {
        const canister = this.#controlled(call, this.#decode<CanisterIdArg>([CanisterIdRecord], call.arg).canister_id);
        if ('kind' in canister) return canister;
        canister.chunkStore.clear();
        return { kind: 'reply', bytes: EMPTY_REPLY };
    }

    #updateSettings(call: ManagementCall): CallOutcome {
        const arg = this.#decode<{ canister_id: Principal; settings: CanisterSettingsArg }>([UpdateSettingsArgs], call.arg);
        const canister = this.#controlled(call, arg.canister_id);
        if ('kind' in canister) return canister;
        const updated: CanisterSettings = { ...canister.settings, environmentVariables: new Map(canister.settings.environmentVariables) };
        const problem = applySettings(updated, arg.settings);
        if (problem) return problem;
        canister.settings = updated;
        canister.version += 1n;
        return { kind: 'reply', bytes: EMPTY_REPLY };
    }

    #canisterStatus(call: ManagementCall): CallOutcome {
        const id = this.#decode<CanisterIdArg>([CanisterIdRecord], call.arg).canister_id;
        const canister = this.host.canister(id);
        // A canister may always ask for its own status.
        const self = canister && call.caller.toText() === canister.id.toText() ? canister : undefined;
        const target = self ?? this.#controlled(call, id);
        if ('kind' in target) return target;
        const s = target.settings;
        const heap = BigInt(target.module?.runtime.memorySize ?? 0);
        const chunkBytes = [...target.chunkStore.values()].reduce((n, c) => n + BigInt(c.length), 0n);
        return reply(
            [CanisterStatusResult],
            [
                {
                    status: { [target.status]: null },
                    ready_for_migration: false,
                    version: target.version,
                    settings: {
                        controllers: s.controllers,
                        compute_allocation: s.computeAllocation,
                        memory_allocation: s.memoryAllocation,
                        freezing_threshold: s.freezingThreshold,
                        reserved_cycles_limit: s.reservedCyclesLimit,
                        log_visibility: s.logVisibility,
                        snapshot_visibility: { controllers: null },
                        log_memory_limit: 4096n,
                        wasm_memory_limit: s.wasmMemoryLimit,
                        wasm_memory_threshold: s.wasmMemoryThreshold,
                        environment_variables: [...s.environmentVariables].map(([name, value]) => ({ name, value }))
                    },
                    module_hash: target.module ? [target.module.hash] : [],
                    memory_size: target.memorySize,
                    memory_metrics: {
                        wasm_memory_size: heap,
                        stable_memory_size: BigInt(target.stable.byteLength),
                        global_memory_size: 0n,
                        wasm_binary_size: 0n,
                        custom_sections_size: 0n,
                        canister_history_size: 0n,
                        wasm_chunk_store_size: chunkBytes,
                        snapshots_size: 0n
                    },
                    cycles: target.cycles,
                    reserved_cycles: 0n,
                    idle_cycles_burned_per_day: 0n,
                    query_stats: { num_calls_total: 0n, num_instructions_total: 0n, request_payload_bytes_total: 0n, response_payload_bytes_total: 0n }
                }
            ]
        );
    }

    #startCanister(call: ManagementCall): CallOutcome {
        const canister = this.#controlled(call, this.#decode<CanisterIdArg>([CanisterIdRecord], call.arg).canister_id);
        if ('kind' in canister) return canister;
        if (canister.status === 'stopping') {
            // Pending stop_canister calls fail: the canister was started again.
            for (const waiter of canister.stopWaiters.splice(0)) waiter(false);
        }
        canister.status = 'running';
        return { kind: 'reply', bytes: EMPTY_REPLY };
    }

    #stopCanister(call: ManagementCall, respond: Respond): CallOutcome | 'deferred' {
        const canister = this.#controlled(call, this.#decode<CanisterIdArg>([CanisterIdRecord], call.arg).canister_id);
        if ('kind' in canister) return canister;
        if (canister.status === 'stopped') return { kind: 'reply', bytes: EMPTY_REPLY };
        canister.status = 'stopping';
        this.host.whenStopped(canister, (stopped) =>
            respond(
                stopped
                    ? { kind: 'reply', bytes: EMPTY_REPLY }
                    : reject(RejectCode.CanisterError, 'IC0511', `Canister ${canister.id.toText()} was started again while stopping.`),
                call.cycles
            )
        );
        return 'deferred';
    }

    #deleteCanister(call: ManagementCall): CallOutcome {
        const canister = this.#controlled(call, this.#decode<CanisterIdArg>([CanisterIdRecord], call.arg).canister_id);
        if ('kind' in canister) return canister;
        if (canister.status !== 'stopped') {
            return reject(RejectCode.CanisterError, ErrorCode.CanisterNotStopped, `Canister ${canister.id.toText()} must be stopped before it is deleted.`);
        }
        this.host.deleteCanister(canister);
        return { kind: 'reply', bytes: EMPTY_REPLY };
    }

    #depositCycles(call: ManagementCall): CallOutcome {
        const id = this.#decode<CanisterIdArg>([CanisterIdRecord], call.arg).canister_id;
        const canister = this.host.canister(id);
        if (!canister) return reject(RejectCode.DestinationInvalid, ErrorCode.CanisterNotFound, `Canister ${id.toText()} not found`);
        canister.cycles += call.cycles;
        return { kind: 'reply', bytes: EMPTY_REPLY };
    }

    #topUp(call: ManagementCall): CallOutcome {
        const arg = this.#decode<{ canister_id: Principal; amount: bigint }>([ProvisionalTopUpArgs], call.arg);
        const canister = this.host.canister(arg.canister_id);
        if (!canister) return reject(RejectCode.DestinationInvalid, ErrorCode.CanisterNotFound, `Canister ${arg.canister_id.toText()} not found`);
        canister.cycles += arg.amount;
        return { kind: 'reply', bytes: EMPTY_REPLY };
    }

    #rawRand(call: ManagementCall): CallOutcome {
        if (call.fromUser) {
            return reject(RejectCode.CanisterReject, ErrorCode.CanisterRejectedMessage, 'raw_rand can only be called by canisters, not via ingress messages.');
        }
        return reply([IDL.Vec(IDL.Nat8)], [new Uint8Array(randomBytes(32))]);
    }
}

class CandidError extends Error {}

/** Applies the optional fields of a settings record; returns a reject if one is invalid. */
function applySettings(settings: CanisterSettings, arg: CanisterSettingsArg | undefined): Reject | undefined {
    if (!arg) return undefined;
    const invalid = (message: string): Reject => reject(RejectCode.CanisterReject, ErrorCode.InvalidManagementPayload, message);
    if (arg.controllers[0]) {
        if (arg.controllers[0].length > MAX_CONTROLLERS) return invalid(`Invalid settings: at most ${MAX_CONTROLLERS} controllers are allowed.`);
        settings.controllers = [...arg.controllers[0]];
    }
    if (arg.compute_allocation[0] !== undefined) {
        if (arg.compute_allocation[0] > 100n) return invalid('Invalid settings: compute_allocation must be between 0 and 100.');
        settings.computeAllocation = arg.compute_allocation[0];
    }
    if (arg.memory_allocation[0] !== undefined) settings.memoryAllocation = arg.memory_allocation[0];
    if (arg.freezing_threshold[0] !== undefined) settings.freezingThreshold = arg.freezing_threshold[0];
    if (arg.reserved_cycles_limit[0] !== undefined) settings.reservedCyclesLimit = arg.reserved_cycles_limit[0];
    if (arg.log_visibility[0] !== undefined) settings.logVisibility = arg.log_visibility[0];
    if (arg.wasm_memory_limit[0] !== undefined) settings.wasmMemoryLimit = arg.wasm_memory_limit[0];
    if (arg.wasm_memory_threshold[0] !== undefined) settings.wasmMemoryThreshold = arg.wasm_memory_threshold[0];
    if (arg.environment_variables[0]) {
        settings.environmentVariables = new Map(arg.environment_variables[0].map((v) => [v.name, v.value]));
    }
    return undefined;
}
