/**
 * The parts of the management canister's interface the fleet calls, typed. Only the fields it
 * reads are declared: Candid decoding skips the others, so newer replicas (and localnet) that
 * return more fields in canister_status still decode.
 */
import type { IDL as DefaultIdl } from '@dfinity/candid';
import { candidTyped } from '@icp-private-assets/shared';

export function managementTypes(IDL: typeof DefaultIdl) {
    const { record, variant, vec, opt, nat, nat64, blob, principal } = candidTyped(IDL);
    const unit = IDL.Null as DefaultIdl.Type<null>;
    const CanisterSettings = record({ controllers: opt(vec(principal)) });
    const ChunkHash = record({ hash: blob });
    return {
        CreateCanisterArgs: record({ settings: opt(CanisterSettings), sender_canister_version: opt(nat64) }),
        CreateCanisterResult: record({ canister_id: principal }),
        UploadChunkArgs: record({ canister_id: principal, chunk: blob }),
        ChunkHash,
        InstallChunkedCodeArgs: record({
            mode: variant({ install: unit, reinstall: unit, upgrade: opt(record({})) }),
            target_canister: principal,
            store_canister: opt(principal),
            chunk_hashes_list: vec(ChunkHash),
            wasm_module_hash: blob,
            arg: blob,
            sender_canister_version: opt(nat64)
        }),
        CanisterIdArgs: record({ canister_id: principal }),
        CanisterStatusResult: record({
            status: variant({ running: unit, stopping: unit, stopped: unit }),
            module_hash: opt(blob),
            memory_size: nat,
            cycles: nat,
            idle_cycles_burned_per_day: nat
        })
    };
}
