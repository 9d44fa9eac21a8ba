/**
 * Candid types of the bucket canister (docs/bucket-interface.md is the specification). Built by a
 * function of the IDL namespace so the canister (azle's @dfinity/candid) and clients (agent-js,
 * PicJS's @icp-sdk/core) each construct them with their own library.
 */
import { IDL as DefaultIdl } from '@dfinity/candid';
import { VARIANTS } from '@icp-private-assets/shared';

type Idl = typeof DefaultIdl;

/** Every Candid type of the bucket, built with the caller's IDL (canister, agents and PicJS each bring one). */
export function bucketTypes(IDL: Idl) {
    const Variant = IDL.Variant(Object.fromEntries(VARIANTS.map((variant) => [variant, IDL.Null])));

    const BucketConfigUpdate = IDL.Record({
        max_asset_size: IDL.Opt(IDL.Nat64),
        chunk_size: IDL.Opt(IDL.Nat32),
        stream_grace_seconds: IDL.Opt(IDL.Nat32),
        session_ttl_seconds: IDL.Opt(IDL.Nat32),
        capacity_bytes: IDL.Opt(IDL.Nat64)
    });
    const BucketArgs = IDL.Record({ auth_canister: IDL.Principal, config: IDL.Opt(BucketConfigUpdate) });
    const BucketConfig = IDL.Record({
        auth_canister: IDL.Principal,
        max_asset_size: IDL.Nat64,
        chunk_size: IDL.Nat32,
        stream_grace_seconds: IDL.Nat32,
        session_ttl_seconds: IDL.Nat32,
        capacity_bytes: IDL.Nat64
    });

    const KeyState = IDL.Variant({ active: IDL.Null, verify_only: IDL.Null });
    const KeyEntry = IDL.Record({ kid: IDL.Text, secret: IDL.Vec(IDL.Nat8), state: KeyState, not_after: IDL.Opt(IDL.Nat64) });
    const KeyringUpdate = IDL.Record({ version: IDL.Nat64, keys: IDL.Vec(KeyEntry) });
    const KeyInfo = IDL.Record({ kid: IDL.Text, state: KeyState, not_after: IDL.Opt(IDL.Nat64) });
    const KeyringStatus = IDL.Record({ version: IDL.Nat64, keys: IDL.Vec(KeyInfo) });
    const SetKeyringError = IDL.Variant({
        NotAuthorized: IDL.Null,
        StaleVersion: IDL.Record({ current: IDL.Nat64 }),
        Invalid: IDL.Text
    });
    const SetKeyringResult = IDL.Variant({ Ok: KeyringStatus, Err: SetKeyringError });

    const UploadError = IDL.Variant({
        BadGrant: IDL.Record({ code: IDL.Text, detail: IDL.Text }),
        InvalidRequest: IDL.Text,
        UnsupportedContentType: IDL.Record({ content_type: IDL.Text }),
        TooLarge: IDL.Record({ max: IDL.Nat64, size: IDL.Nat64 }),
        StorageFull: IDL.Record({ capacity: IDL.Nat64, used: IDL.Nat64 }),
        TooManyUploads: IDL.Record({ scope: IDL.Variant({ caller: IDL.Null, memory: IDL.Null }), limit: IDL.Nat32 }),
        UnknownSession: IDL.Null,
        ExpiredSession: IDL.Null,
        NotSessionOwner: IDL.Null,
        ChunkOutOfRange: IDL.Record({ index: IDL.Nat32, chunk_count: IDL.Nat32 }),
        ChunkSizeMismatch: IDL.Record({ index: IDL.Nat32, expected: IDL.Nat32, got: IDL.Nat32 }),
        ChunkConflict: IDL.Record({ index: IDL.Nat32 }),
        MissingChunk: IDL.Record({ index: IDL.Nat32 }),
        SizeMismatch: IDL.Record({ expected: IDL.Nat64, received: IDL.Nat64 })
    });
    const UploadBeginArgs = IDL.Record({
        grant: IDL.Text,
        memory_id: IDL.Text,
        variant: Variant,
        asset_id: IDL.Opt(IDL.Text),
        content_type: IDL.Text,
        total_size: IDL.Nat64,
        sha256: IDL.Vec(IDL.Nat8)
    });
    const UploadSession = IDL.Record({ upload_id: IDL.Text, chunk_size: IDL.Nat32, chunk_count: IDL.Nat32, expires_at: IDL.Nat64, resumed: IDL.Bool });
    const UploadStatus = IDL.Record({
        upload_id: IDL.Text,
        memory_id: IDL.Text,
        variant: Variant,
        asset_id: IDL.Opt(IDL.Text),
        content_type: IDL.Text,
        total_size: IDL.Nat64,
        sha256: IDL.Vec(IDL.Nat8),
        chunk_size: IDL.Nat32,
        chunk_count: IDL.Nat32,
        received_chunks: IDL.Vec(IDL.Nat32),
        received_bytes: IDL.Nat64,
        expires_at: IDL.Nat64
    });
    const UploadChunkArgs = IDL.Record({ upload_id: IDL.Text, index: IDL.Nat32, bytes: IDL.Vec(IDL.Nat8) });
    const UploadIdArgs = IDL.Record({ upload_id: IDL.Text });
    const AssetInfo = IDL.Record({
        memory_id: IDL.Text,
        variant: Variant,
        asset_id: IDL.Opt(IDL.Text),
        content_type: IDL.Text,
        size: IDL.Nat64,
        sha256: IDL.Vec(IDL.Nat8),
        etag: IDL.Text,
        chunk_size: IDL.Nat32,
        chunk_count: IDL.Nat32,
        created_at: IDL.Nat64
    });
    const UploadBeginResult = IDL.Variant({ Ok: UploadSession, Err: UploadError });
    const UploadChunkResult = IDL.Variant({ Ok: IDL.Record({ received_bytes: IDL.Nat64 }), Err: UploadError });
    const UploadCommitResult = IDL.Variant({ Ok: AssetInfo, Err: UploadError });
    const UploadAbortResult = IDL.Variant({ Ok: IDL.Null, Err: UploadError });
    const UploadStatusResult = IDL.Variant({ Ok: UploadStatus, Err: UploadError });

    const Revocation = IDL.Record({ memory_id: IDL.Text, not_before: IDL.Nat64 });
    const RevokeTokensError = IDL.Variant({ NotAuthorized: IDL.Null, Invalid: IDL.Text });
    const RevokeTokensResult = IDL.Variant({ Ok: IDL.Record({ active: IDL.Nat64 }), Err: RevokeTokensError });

    const DeleteError = IDL.Variant({
        NotAuthorized: IDL.Null,
        BadGrant: IDL.Record({ code: IDL.Text, detail: IDL.Text }),
        NotFound: IDL.Null,
        InvalidRequest: IDL.Text
    });
    const DeleteAssetArgs = IDL.Record({ memory_id: IDL.Text, variant: Variant, asset_id: IDL.Opt(IDL.Text), grant: IDL.Opt(IDL.Text) });
    const DeleteAssetResult = IDL.Variant({ Ok: IDL.Record({ freed_bytes: IDL.Nat64 }), Err: DeleteError });
    const DeleteMemoryArgs = IDL.Record({ memory_id: IDL.Text, grant: IDL.Opt(IDL.Text) });
    const DeleteMemoryResult = IDL.Variant({ Ok: IDL.Record({ deleted_assets: IDL.Nat32, freed_bytes: IDL.Nat64 }), Err: DeleteError });

    const AssetError = IDL.Variant({
        Token: IDL.Record({ code: IDL.Text, detail: IDL.Text, status: IDL.Nat16 }),
        NotFound: IDL.Null,
        InvalidRequest: IDL.Text,
        ChunkOutOfRange: IDL.Record({ chunk_count: IDL.Nat32 })
    });
    const AssetChunk = IDL.Record({
        bytes: IDL.Vec(IDL.Nat8),
        index: IDL.Nat32,
        chunk_count: IDL.Nat32,
        chunk_size: IDL.Nat32,
        size: IDL.Nat64,
        content_type: IDL.Text,
        etag: IDL.Text
    });
    const GetAssetChunkArgs = IDL.Record({ token: IDL.Text, memory_id: IDL.Text, variant: Variant, asset_id: IDL.Opt(IDL.Text), index: IDL.Nat32 });
    const GetAssetChunkResult = IDL.Variant({ Ok: AssetChunk, Err: AssetError });

    const AssetSummary = IDL.Record({
        variant: Variant,
        asset_id: IDL.Opt(IDL.Text),
        content_type: IDL.Text,
        size: IDL.Nat64,
        etag: IDL.Text,
        created_at: IDL.Nat64
    });
    const ListAssetsArgs = IDL.Record({ token: IDL.Text, memory_id: IDL.Text, variant: Variant });
    const ListAssetsResult = IDL.Variant({ Ok: IDL.Vec(AssetSummary), Err: AssetError });

    const BucketMetrics = IDL.Record({
        asset_count: IDL.Nat64,
        stored_bytes: IDL.Nat64,
        reserved_bytes: IDL.Nat64,
        capacity_bytes: IDL.Nat64,
        open_sessions: IDL.Nat64,
        keyring_version: IDL.Nat64,
        active_kid: IDL.Opt(IDL.Text),
        uploads_committed: IDL.Nat64,
        assets_deleted: IDL.Nat64,
        revocations: IDL.Nat64
    });

    // HTTP gateway interface; the streaming token is our own record (Azle's built-in one is empty).
    const HeaderField = IDL.Tuple(IDL.Text, IDL.Text);
    const StreamingToken = IDL.Record({
        memory_id: IDL.Text,
        variant: IDL.Text,
        asset_id: IDL.Text,
        chunk_index: IDL.Nat32,
        offset: IDL.Nat64,
        end: IDL.Nat64,
        issued_at: IDL.Nat64,
        access_token: IDL.Text,
        etag: IDL.Text,
        stream_mac: IDL.Vec(IDL.Nat8)
    });
    const StreamingCallbackResponse = IDL.Record({ body: IDL.Vec(IDL.Nat8), token: IDL.Opt(StreamingToken) });
    const StreamingStrategy = IDL.Variant({
        Callback: IDL.Record({ callback: IDL.Func([StreamingToken], [StreamingCallbackResponse], ['query']), token: StreamingToken })
    });
    const HttpRequest = IDL.Record({
        method: IDL.Text,
        url: IDL.Text,
        headers: IDL.Vec(HeaderField),
        body: IDL.Vec(IDL.Nat8),
        certificate_version: IDL.Opt(IDL.Nat16)
    });
    const HttpResponse = IDL.Record({
        status_code: IDL.Nat16,
        headers: IDL.Vec(HeaderField),
        body: IDL.Vec(IDL.Nat8),
        streaming_strategy: IDL.Opt(StreamingStrategy),
        upgrade: IDL.Opt(IDL.Bool)
    });
    return { Variant, BucketConfigUpdate, BucketArgs, BucketConfig, KeyState, KeyEntry, KeyringUpdate, KeyInfo, KeyringStatus, SetKeyringError, SetKeyringResult, UploadError, UploadBeginArgs, UploadSession, UploadChunkArgs, UploadIdArgs, AssetInfo, UploadBeginResult, UploadChunkResult, UploadCommitResult, UploadAbortResult, UploadStatus, UploadStatusResult, Revocation, RevokeTokensError, RevokeTokensResult, DeleteError, DeleteAssetArgs, DeleteAssetResult, DeleteMemoryArgs, DeleteMemoryResult, AssetError, AssetChunk, GetAssetChunkArgs, GetAssetChunkResult, AssetSummary, ListAssetsArgs, ListAssetsResult, BucketMetrics, StreamingToken, StreamingCallbackResponse, StreamingStrategy, HttpRequest, HttpResponse };
}

/** The service description for agents and PicJS actors. */
export const idlFactory = ({ IDL: idl }: { IDL: unknown }) => {
    const IDL = idl as Idl;
    const T = bucketTypes(IDL);
    return IDL.Service({
        get_config: IDL.Func([], [T.BucketConfig], ['query']),
        set_keyring: IDL.Func([T.KeyringUpdate], [T.SetKeyringResult], []),
        keyring_status: IDL.Func([], [T.KeyringStatus], ['query']),
        upload_begin: IDL.Func([T.UploadBeginArgs], [T.UploadBeginResult], []),
        upload_chunk: IDL.Func([T.UploadChunkArgs], [T.UploadChunkResult], []),
        upload_commit: IDL.Func([T.UploadIdArgs], [T.UploadCommitResult], []),
        upload_abort: IDL.Func([T.UploadIdArgs], [T.UploadAbortResult], []),
        upload_status: IDL.Func([T.UploadIdArgs], [T.UploadStatusResult], ['query']),
        revoke_tokens: IDL.Func([IDL.Vec(T.Revocation)], [T.RevokeTokensResult], []),
        delete_asset: IDL.Func([T.DeleteAssetArgs], [T.DeleteAssetResult], []),
        delete_memory: IDL.Func([T.DeleteMemoryArgs], [T.DeleteMemoryResult], []),
        http_request: IDL.Func([T.HttpRequest], [T.HttpResponse], ['query']),
        http_request_streaming_callback: IDL.Func([T.StreamingToken], [T.StreamingCallbackResponse], ['query']),
        get_asset_chunk: IDL.Func([T.GetAssetChunkArgs], [T.GetAssetChunkResult], ['query']),
        list_assets: IDL.Func([T.ListAssetsArgs], [T.ListAssetsResult], ['query']),
        metrics: IDL.Func([], [T.BucketMetrics], ['query'])
    });
};

/**
 * The install/upgrade argument types, typed as the caller's own IDL library's types (the canister's
 * @dfinity/candid and the scripts' @icp-sdk/core/candid are the same wire format, different classes).
 */
export function initArgs<T>({ IDL }: { IDL: { Type: abstract new (...args: never[]) => T } }): T[] {
    return [bucketTypes(IDL as unknown as Idl).BucketArgs as unknown as T];
}

/** The types as the canister itself uses them. */
export const C = bucketTypes(DefaultIdl);

export type { VariantValue } from '@icp-private-assets/shared';
