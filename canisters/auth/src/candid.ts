/**
 * Candid types of the auth canister (docs/auth-interface.md is the specification), built from the
 * caller's IDL so the canister, agents and PicJS each use their own library.
 */
import { IDL as DefaultIdl } from '@dfinity/candid';
import { VARIANTS } from '@icp-private-assets/shared';

type Idl = typeof DefaultIdl;

export function authTypes(IDL: Idl) {
    const Role = IDL.Variant({ viewer: IDL.Null, editor: IDL.Null, owner: IDL.Null });
    const Variant = IDL.Variant(Object.fromEntries(VARIANTS.map((variant) => [variant, IDL.Null])));
    const AuthError = IDL.Variant({
        Anonymous: IDL.Null,
        NotAuthorized: IDL.Null,
        NotFound: IDL.Null,
        NotReady: IDL.Null,
        NoBucket: IDL.Null,
        InvalidRequest: IDL.Text,
        CallFailed: IDL.Text
    });
    const Memory = IDL.Record({
        id: IDL.Text,
        owner: IDL.Principal,
        bucket: IDL.Principal,
        title: IDL.Text,
        created_at: IDL.Nat64,
        role: Role
    });
    const Grant = IDL.Record({ principal: IDL.Principal, role: Role });
    const Result = (ok: DefaultIdl.Type) => IDL.Variant({ Ok: ok, Err: AuthError });
    const Minted = IDL.Record({ token: IDL.Text, bucket: IDL.Principal, expires_at: IDL.Nat64, kid: IDL.Text });
    const BucketStatus = IDL.Variant({ active: IDL.Null, full: IDL.Null, draining: IDL.Null });
    const Bucket = IDL.Record({
        canister_id: IDL.Principal,
        status: BucketStatus,
        capacity_bytes: IDL.Nat64,
        used_bytes: IDL.Nat64,
        memory_count: IDL.Nat64,
        registered_at: IDL.Nat64,
        usage_refreshed_at: IDL.Opt(IDL.Nat64)
    });
    const Config = IDL.Record({
        default_ttl_seconds: IDL.Nat32,
        max_ttl_seconds: IDL.Nat32,
        upload_grant_ttl_seconds: IDL.Nat32,
        skew_seconds: IDL.Nat32
    });
    const ConfigUpdate = IDL.Record({
        default_ttl_seconds: IDL.Opt(IDL.Nat32),
        max_ttl_seconds: IDL.Opt(IDL.Nat32),
        upload_grant_ttl_seconds: IDL.Opt(IDL.Nat32),
        skew_seconds: IDL.Opt(IDL.Nat32)
    });
    const KeyInfo = IDL.Record({ kid: IDL.Text, state: IDL.Variant({ active: IDL.Null, verify_only: IDL.Null }), created_at: IDL.Nat64 });
    const BucketKeyStatus = IDL.Record({
        canister_id: IDL.Principal,
        acknowledged_version: IDL.Nat64,
        acknowledged_kid: IDL.Opt(IDL.Text),
        last_push_at: IDL.Opt(IDL.Nat64),
        last_error: IDL.Opt(IDL.Text),
        failed_attempts: IDL.Nat32,
        next_retry_at: IDL.Opt(IDL.Nat64),
        pending_revocations: IDL.Nat32,
        revocation_error: IDL.Opt(IDL.Text)
    });
    const KeyStatus = IDL.Record({ version: IDL.Nat64, keys: IDL.Vec(KeyInfo), buckets: IDL.Vec(BucketKeyStatus) });
    const ImportedMemory = IDL.Record({ owner: IDL.Principal, title: IDL.Text, bucket: IDL.Opt(IDL.Principal), grants: IDL.Vec(Grant) });
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
        KeyStatus,
        ImportedMemory,
        UnitResult: Result(IDL.Null),
        MemoryResult: Result(Memory),
        MintedResult: Result(Minted),
        BucketResult: Result(Bucket),
        BucketsResult: Result(IDL.Vec(Bucket)),
        ConfigResult: Result(Config),
        KeyStatusResult: Result(KeyStatus),
        AdminsResult: Result(IDL.Vec(IDL.Principal)),
        ImportResult: Result(IDL.Vec(IDL.Text)),
        DeleteResult: Result(IDL.Record({ assets_deleted: IDL.Opt(IDL.Nat32) })),
        GetMemoryResult: Result(IDL.Record({ memory: Memory, grants: IDL.Vec(Grant), revocation_pending: IDL.Bool })),
        RotateResult: Result(IDL.Record({ kid: IDL.Text, version: IDL.Nat64, merged: IDL.Bool })),
        CreateMemoryArgs: IDL.Record({ title: IDL.Text }),
        GrantArgs: IDL.Record({ memory_id: IDL.Text, principal: IDL.Principal, role: Role }),
        RevokeArgs: IDL.Record({ memory_id: IDL.Text, principal: IDL.Principal }),
        TransferArgs: IDL.Record({ memory_id: IDL.Text, new_owner: IDL.Principal }),
        MemoryIdArgs: IDL.Record({ memory_id: IDL.Text }),
        ListArgs: IDL.Record({ cursor: IDL.Opt(IDL.Text), limit: IDL.Opt(IDL.Nat32) }),
        ListResult: IDL.Record({ memories: IDL.Vec(Memory), next_cursor: IDL.Opt(IDL.Text) }),
        MintArgs: IDL.Record({ memory_id: IDL.Text, variants: IDL.Vec(Variant), asset_ids: IDL.Opt(IDL.Vec(IDL.Text)), ttl_seconds: IDL.Opt(IDL.Nat32) }),
        BatchMintArgs: IDL.Record({ memory_ids: IDL.Vec(IDL.Text), variants: IDL.Vec(Variant), ttl_seconds: IDL.Opt(IDL.Nat32) }),
        BatchMintResult: IDL.Vec(IDL.Record({ memory_id: IDL.Text, result: Result(Minted) })),
        UploadGrantArgs: IDL.Record({ memory_id: IDL.Text, variants: IDL.Vec(Variant), asset_ids: IDL.Opt(IDL.Vec(IDL.Text)) }),
        DeleteGrantArgs: IDL.Record({ memory_id: IDL.Text, variants: IDL.Opt(IDL.Vec(Variant)), asset_ids: IDL.Opt(IDL.Vec(IDL.Text)) }),
        RegisterBucketArgs: IDL.Record({ canister_id: IDL.Principal, capacity_bytes: IDL.Nat64 }),
        SetBucketStatusArgs: IDL.Record({ canister_id: IDL.Principal, status: BucketStatus })
    };
}

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
        import_memories: IDL.Func([IDL.Vec(T.ImportedMemory)], [T.ImportResult], [])
    });
};

export const C = authTypes(DefaultIdl);

export type RoleValue = { viewer: null } | { editor: null } | { owner: null };
export type { VariantValue } from '@icp-private-assets/shared';
export type AuthErrorValue =
    | { Anonymous: null }
    | { NotAuthorized: null }
    | { NotFound: null }
    | { NotReady: null }
    | { NoBucket: null }
    | { InvalidRequest: string }
    | { CallFailed: string };
