/**
 * Candid types of the management canister (aaaaa-aa), as in the interface specification's
 * ic.did. Records list every field the spec defines; Candid's subtyping lets callers that send
 * fewer optional fields (PicJS, agents, canisters) decode fine.
 */
import { IDL } from '@icp-sdk/core/candid';
import type { Principal } from '@icp-sdk/core/principal';

const EnvironmentVariable = IDL.Record({ name: IDL.Text, value: IDL.Text });
const Visibility = IDL.Variant({ controllers: IDL.Null, public: IDL.Null, allowed_viewers: IDL.Vec(IDL.Principal) });

export const CanisterSettingsIdl = IDL.Record({
    controllers: IDL.Opt(IDL.Vec(IDL.Principal)),
    compute_allocation: IDL.Opt(IDL.Nat),
    memory_allocation: IDL.Opt(IDL.Nat),
    freezing_threshold: IDL.Opt(IDL.Nat),
    reserved_cycles_limit: IDL.Opt(IDL.Nat),
    log_visibility: IDL.Opt(Visibility),
    snapshot_visibility: IDL.Opt(Visibility),
    log_memory_limit: IDL.Opt(IDL.Nat),
    wasm_memory_limit: IDL.Opt(IDL.Nat),
    wasm_memory_threshold: IDL.Opt(IDL.Nat),
    environment_variables: IDL.Opt(IDL.Vec(EnvironmentVariable))
});

export interface CanisterSettingsArg {
    controllers: [] | [Principal[]];
    compute_allocation: [] | [bigint];
    memory_allocation: [] | [bigint];
    freezing_threshold: [] | [bigint];
    reserved_cycles_limit: [] | [bigint];
    log_visibility: [] | [{ controllers: null } | { public: null } | { allowed_viewers: Principal[] }];
    snapshot_visibility: [] | [unknown];
    log_memory_limit: [] | [bigint];
    wasm_memory_limit: [] | [bigint];
    wasm_memory_threshold: [] | [bigint];
    environment_variables: [] | [{ name: string; value: string }[]];
}

export const CanisterIdRecord = IDL.Record({ canister_id: IDL.Principal });
export interface CanisterIdArg {
    canister_id: Principal;
}

export const CreateCanisterArgs = IDL.Record({
    settings: IDL.Opt(CanisterSettingsIdl),
    sender_canister_version: IDL.Opt(IDL.Nat64)
});
export const ProvisionalCreateCanisterArgs = IDL.Record({
    amount: IDL.Opt(IDL.Nat),
    settings: IDL.Opt(CanisterSettingsIdl),
    specified_id: IDL.Opt(IDL.Principal),
    sender_canister_version: IDL.Opt(IDL.Nat64)
});
export interface ProvisionalCreateArg {
    amount?: [] | [bigint];
    settings: [] | [CanisterSettingsArg];
    specified_id?: [] | [Principal];
}

const UpgradeOptions = IDL.Record({
    skip_pre_upgrade: IDL.Opt(IDL.Bool),
    wasm_memory_persistence: IDL.Opt(IDL.Variant({ keep: IDL.Null, replace: IDL.Null }))
});
export const InstallModeIdl = IDL.Variant({ install: IDL.Null, reinstall: IDL.Null, upgrade: IDL.Opt(UpgradeOptions) });
export type InstallModeArg =
    | { install: null }
    | { reinstall: null }
    | { upgrade: [] | [{ skip_pre_upgrade: [] | [boolean]; wasm_memory_persistence: [] | [{ keep: null } | { replace: null }] }] };

export const InstallCodeArgs = IDL.Record({
    mode: InstallModeIdl,
    canister_id: IDL.Principal,
    wasm_module: IDL.Vec(IDL.Nat8),
    arg: IDL.Vec(IDL.Nat8),
    sender_canister_version: IDL.Opt(IDL.Nat64)
});
export interface InstallCodeArg {
    mode: InstallModeArg;
    canister_id: Principal;
    wasm_module: Uint8Array | number[];
    arg: Uint8Array | number[];
}

export const ChunkHash = IDL.Record({ hash: IDL.Vec(IDL.Nat8) });
export const UploadChunkArgs = IDL.Record({ canister_id: IDL.Principal, chunk: IDL.Vec(IDL.Nat8) });
export const InstallChunkedCodeArgs = IDL.Record({
    mode: InstallModeIdl,
    target_canister: IDL.Principal,
    store_canister: IDL.Opt(IDL.Principal),
    chunk_hashes_list: IDL.Vec(ChunkHash),
    wasm_module_hash: IDL.Vec(IDL.Nat8),
    arg: IDL.Vec(IDL.Nat8),
    sender_canister_version: IDL.Opt(IDL.Nat64)
});
export interface InstallChunkedCodeArg {
    mode: InstallModeArg;
    target_canister: Principal;
    store_canister: [] | [Principal];
    chunk_hashes_list: { hash: Uint8Array | number[] }[];
    wasm_module_hash: Uint8Array | number[];
    arg: Uint8Array | number[];
}

export const UpdateSettingsArgs = IDL.Record({
    canister_id: IDL.Principal,
    settings: CanisterSettingsIdl,
    sender_canister_version: IDL.Opt(IDL.Nat64)
});

export const ProvisionalTopUpArgs = IDL.Record({ canister_id: IDL.Principal, amount: IDL.Nat });

const DefiniteSettings = IDL.Record({
    controllers: IDL.Vec(IDL.Principal),
    compute_allocation: IDL.Nat,
    memory_allocation: IDL.Nat,
    freezing_threshold: IDL.Nat,
    reserved_cycles_limit: IDL.Nat,
    log_visibility: Visibility,
    snapshot_visibility: Visibility,
    log_memory_limit: IDL.Nat,
    wasm_memory_limit: IDL.Nat,
    wasm_memory_threshold: IDL.Nat,
    environment_variables: IDL.Vec(EnvironmentVariable)
});

export const CanisterStatusResult = IDL.Record({
    status: IDL.Variant({ running: IDL.Null, stopping: IDL.Null, stopped: IDL.Null }),
    ready_for_migration: IDL.Bool,
    version: IDL.Nat64,
    settings: DefiniteSettings,
    module_hash: IDL.Opt(IDL.Vec(IDL.Nat8)),
    memory_size: IDL.Nat,
    memory_metrics: IDL.Record({
        wasm_memory_size: IDL.Nat,
        stable_memory_size: IDL.Nat,
        global_memory_size: IDL.Nat,
        wasm_binary_size: IDL.Nat,
        custom_sections_size: IDL.Nat,
        canister_history_size: IDL.Nat,
        wasm_chunk_store_size: IDL.Nat,
        snapshots_size: IDL.Nat
    }),
    cycles: IDL.Nat,
    reserved_cycles: IDL.Nat,
    idle_cycles_burned_per_day: IDL.Nat,
    query_stats: IDL.Record({
        num_calls_total: IDL.Nat,
        num_instructions_total: IDL.Nat,
        request_payload_bytes_total: IDL.Nat,
        response_payload_bytes_total: IDL.Nat
    })
});
