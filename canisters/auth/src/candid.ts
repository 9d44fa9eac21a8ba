/**
 * Candid types of the auth canister (docs/auth-interface.md is the specification), built from the
 * caller's IDL so the canister, agents and PicJS each use their own library.
 */
import { IDL as DefaultIdl } from '@dfinity/candid';
import { candidTyped, VARIANTS, type CandidValue } from '@icp-private-assets/shared';

type Idl = typeof DefaultIdl;

export function authTypes(IDL: Idl) {
    const { record, variant, vec, opt, nat, nat32, nat64, text, bool, blob, principal } = candidTyped(IDL);
    const unit = IDL.Null as DefaultIdl.Type<null>;
    const Role = variant({ viewer: unit, editor: unit, owner: unit });
    const Variant = variant(Object.fromEntries(VARIANTS.map((name) => [name, unit])) as Record<(typeof VARIANTS)[number], typeof unit>);
    const AuthError = variant({
        Anonymous: unit,
        NotAuthorized: unit,
        NotFound: unit,
        NotReady: unit,
        NoBucket: unit,
        InvalidRequest: text,
        CallFailed: text
    });
    const Memory = record({ id: text, owner: principal, bucket: principal, title: text, created_at: nat64, role: Role });
    const Grant = record({ principal, role: Role });
    const Result = <V>(ok: DefaultIdl.Type<V>) => variant({ Ok: ok, Err: AuthError });
    const Minted = record({ token: text, bucket: principal, expires_at: nat64, kid: text });
    const BucketStatus = variant({ active: unit, full: unit, draining: unit });
    const Bucket = record({
        canister_id: principal,
        status: BucketStatus,
        capacity_bytes: nat64,
        used_bytes: nat64,
        memory_count: nat64,
        registered_at: nat64,
        usage_refreshed_at: opt(nat64)
    });
    const Config = record({ default_ttl_seconds: nat32, max_ttl_seconds: nat32, upload_grant_ttl_seconds: nat32, skew_seconds: nat32 });
    const ConfigUpdate = record({
        default_ttl_seconds: opt(nat32),
        max_ttl_seconds: opt(nat32),
        upload_grant_ttl_seconds: opt(nat32),
        skew_seconds: opt(nat32)
    });
    const KeyInfo = record({ kid: text, state: variant({ active: unit, verify_only: unit }), created_at: nat64 });
    const BucketKeyStatus = record({
        canister_id: principal,
        acknowledged_version: nat64,
        acknowledged_kid: opt(text),
        last_push_at: opt(nat64),
        last_error: opt(text),
        failed_attempts: nat32,
        next_retry_at: opt(nat64),
        pending_revocations: nat32,
        revocation_error: opt(text)
    });
    const KeyStatus = record({ version: nat64, keys: vec(KeyInfo), buckets: vec(BucketKeyStatus) });
    const ImportedMemory = record({ owner: principal, title: text, bucket: opt(principal), grants: vec(Grant) });
    const FleetConfig = record({
        min_free_bytes: nat64,
        bucket_capacity_bytes: nat64,
        cycles_per_bucket: nat,
        max_buckets: nat32,
        operators: vec(principal),
        top_up_below_cycles: nat,
        top_up_cycles: nat,
        runway_warning_days: nat32
    });
    const FleetConfigUpdate = record({
        min_free_bytes: opt(nat64),
        bucket_capacity_bytes: opt(nat64),
        cycles_per_bucket: opt(nat),
        max_buckets: opt(nat32),
        operators: opt(vec(principal)),
        top_up_below_cycles: opt(nat),
        top_up_cycles: opt(nat),
        runway_warning_days: opt(nat32)
    });
    const WasmInfo = record({
        sha256: blob,
        size: nat64,
        chunk_count: nat32,
        state: variant({ uploading: unit, ready: unit, verified: unit, rejected: text })
    });
    const Provisioning = record({
        phase: variant({ idle: unit, creating: unit, installing: unit, registering: unit }),
        canister_id: opt(principal),
        attempts: nat32,
        last_error: opt(text),
        next_retry_at: opt(nat64),
        idle_reason: opt(text),
        provisioned_count: nat32,
        cycles_spent: nat,
        last_provisioned: opt(record({ canister_id: principal, at: nat64, took_nanos: nat64 }))
    });
    const BucketCycles = record({
        canister_id: principal,
        cycles: opt(nat),
        module_hash: opt(blob),
        idle_burn_per_day: opt(nat),
        memory_bytes: opt(nat),
        checked_at: opt(nat64),
        status_error: opt(text),
        topped_up: nat,
        last_top_up_at: opt(nat64),
        top_up_error: opt(text)
    });
    const Rollout = record({
        wasm_sha256: blob,
        pending: vec(principal),
        done: vec(principal),
        failed: opt(record({ canister_id: principal, error: text, at: nat64 })),
        started_at: nat64,
        finished_at: opt(nat64)
    });
    const FleetStatus = record({
        config: FleetConfig,
        wasm: opt(WasmInfo),
        provisioning: Provisioning,
        free_bytes: nat64,
        capacity_bytes: nat64,
        balance: nat,
        burn_per_day: opt(nat),
        runway_days: opt(nat64),
        buckets: vec(BucketCycles),
        rollout: opt(Rollout),
        warnings: vec(text)
    });
    return {
        Role,
        Variant,
        AuthError,
        Memory,
        Grant,
        Minted,
        Bucket,
        BucketStatus,
        Config,
        ConfigUpdate,
        KeyInfo,
        KeyStatus,
        ImportedMemory,
        FleetConfig,
        FleetConfigUpdate,
        WasmInfo,
        FleetStatus,
        FleetConfigResult: Result(FleetConfig),
        WasmInfoResult: Result(WasmInfo),
        FleetStatusResult: Result(FleetStatus),
        Rollout,
        RolloutResult: Result(Rollout),
        UnregisterBucketArgs: record({ canister_id: principal }),
        BeginBucketWasmArgs: record({ sha256: blob, size: nat64 }),
        BucketWasmChunkArgs: record({ index: nat32, bytes: blob }),
        UnitResult: Result(unit),
        MemoryResult: Result(Memory),
        MintedResult: Result(Minted),
        BucketResult: Result(Bucket),
        BucketsResult: Result(vec(Bucket)),
        ConfigResult: Result(Config),
        KeyStatusResult: Result(KeyStatus),
        AdminsResult: Result(vec(principal)),
        ImportResult: Result(vec(text)),
        DeleteResult: Result(record({ assets_deleted: opt(nat32) })),
        GetMemoryResult: Result(record({ memory: Memory, grants: vec(Grant), revocation_pending: bool })),
        RotateResult: Result(record({ kid: text, version: nat64, merged: bool })),
        CreateMemoryArgs: record({ title: text }),
        GrantArgs: record({ memory_id: text, principal, role: Role }),
        RevokeArgs: record({ memory_id: text, principal }),
        TransferArgs: record({ memory_id: text, new_owner: principal }),
        MemoryIdArgs: record({ memory_id: text }),
        ListArgs: record({ cursor: opt(text), limit: opt(nat32) }),
        ListResult: record({ memories: vec(Memory), next_cursor: opt(text) }),
        MintArgs: record({ memory_id: text, variants: vec(Variant), asset_ids: opt(vec(text)), ttl_seconds: opt(nat32) }),
        BatchMintArgs: record({ memory_ids: vec(text), variants: vec(Variant), ttl_seconds: opt(nat32) }),
        BatchMintResult: vec(record({ memory_id: text, result: Result(Minted) })),
        UploadGrantArgs: record({ memory_id: text, variants: vec(Variant), asset_ids: opt(vec(text)) }),
        DeleteGrantArgs: record({ memory_id: text, variants: opt(vec(Variant)), asset_ids: opt(vec(text)) }),
        RegisterBucketArgs: record({ canister_id: principal, capacity_bytes: nat64 }),
        SetBucketStatusArgs: record({ canister_id: principal, status: BucketStatus })
    };
}

/** The Candid types by name, and the JavaScript value of each: `Value<'GrantArgs'>`. */
export type AuthTypes = ReturnType<typeof authTypes>;
export type Value<K extends keyof AuthTypes> = CandidValue<AuthTypes[K]>;

export const idlFactory = ({ IDL: idl }: { IDL: unknown }) => {
    const IDL = idl as Idl;
    const T = authTypes(IDL);
    return IDL.Service({
        create_memory: IDL.Func([T.CreateMemoryArgs], [T.MemoryResult], []),
        grant: IDL.Func([T.GrantArgs], [T.UnitResult], []),
        revoke: IDL.Func([T.RevokeArgs], [T.UnitResult], []),
        transfer_ownership: IDL.Func([T.TransferArgs], [T.UnitResult], []),
        delete_memory: IDL.Func([T.MemoryIdArgs], [T.DeleteResult], []),
        get_memory: IDL.Func([T.MemoryIdArgs], [T.GetMemoryResult], ['query']),
        is_admin: IDL.Func([], [IDL.Bool], ['query']),
        list_memories: IDL.Func([T.ListArgs], [T.ListResult], ['query']),
        mint_http_token: IDL.Func([T.MintArgs], [T.MintedResult], ['query']),
        mint_http_tokens: IDL.Func([T.BatchMintArgs], [T.BatchMintResult], ['query']),
        mint_upload_grant: IDL.Func([T.UploadGrantArgs], [T.MintedResult], ['query']),
        mint_delete_grant: IDL.Func([T.DeleteGrantArgs], [T.MintedResult], ['query']),
        register_bucket: IDL.Func([T.RegisterBucketArgs], [T.BucketResult], []),
        set_bucket_status: IDL.Func([T.SetBucketStatusArgs], [T.BucketResult], []),
        list_buckets: IDL.Func([], [T.BucketsResult], ['query']),
        add_admin: IDL.Func([IDL.Principal], [T.UnitResult], []),
        remove_admin: IDL.Func([IDL.Principal], [T.UnitResult], []),
        list_admins: IDL.Func([], [T.AdminsResult], ['query']),
        get_config: IDL.Func([], [T.Config], ['query']),
        set_config: IDL.Func([T.ConfigUpdate], [T.ConfigResult], []),
        rotate_keys: IDL.Func([], [T.RotateResult], []),
        key_status: IDL.Func([], [T.KeyStatusResult], ['query']),
        import_memories: IDL.Func([IDL.Vec(T.ImportedMemory)], [T.ImportResult], []),
        set_fleet_config: IDL.Func([T.FleetConfigUpdate], [T.FleetConfigResult], []),
        begin_bucket_wasm: IDL.Func([T.BeginBucketWasmArgs], [T.UnitResult], []),
        put_bucket_wasm_chunk: IDL.Func([T.BucketWasmChunkArgs], [T.UnitResult], []),
        commit_bucket_wasm: IDL.Func([], [T.WasmInfoResult], []),
        fleet_status: IDL.Func([], [T.FleetStatusResult], ['query']),
        upgrade_buckets: IDL.Func([], [T.RolloutResult], []),
        unregister_bucket: IDL.Func([T.UnregisterBucketArgs], [T.UnitResult], [])
    });
};

export const C = authTypes(DefaultIdl);

export type RoleValue = Value<'Role'>;
export type { VariantValue } from '@icp-private-assets/shared';
export type AuthErrorValue = Value<'AuthError'>;
