/**
 * The asset bucket canister (Azle adapter). State lives in stable B-tree maps; the logic lives in
 * the pure modules next to this file. This class only converts between Candid values and those
 * modules, checks callers, and keeps heap caches (keyring, config) that are rebuilt by every
 * update that changes them and after an upgrade.
 */
import {
    candidEncode,
    canisterSelf,
    certifiedDataSet,
    dataCertificate,
    IDL,
    init,
    msgArgData,
    msgCaller,
    msgReject,
    msgReply,
    postUpgrade,
    Principal,
    query,
    setTimerInterval,
    StableBTreeMap,
    time,
    trap,
    update
} from 'azle';
import { hexToBytes } from '@noble/hashes/utils';
import { Keyring, skipCertification, TOKEN_ERROR_HTTP, variantName, variantValue, verifyToken, type KeyringEntry, type TokenErrorCode, type Variant, type VariantValue } from '@icp-private-assets/shared';
import { candidTextAsciiEncoder, createAsciiCodec } from '@icp-private-assets/shared';
import { createGetAssetChunkDecoder, createGetAssetChunkReplyEncoder, type GetAssetChunkArgs } from './assetChunkCodec';
import { assetChunk } from './assetChunkQuery';
import { listAssets } from './assetListing';
import { handleHttpRequest, handleStreamingCallback, REQUEST_HEADERS_READ, type HttpContext } from './assetHttp';
import { AssetStore, type AssetRecord } from './assetStore';
import { applyConfigUpdate, type BucketConfig } from './bucketConfig';
import { bucketMetrics, metricsText, type BucketMetrics } from './bucketMetrics';
import { C } from './candid';
import { createHttpRequestDecoder } from './httpRequestDecoder';
import { createHttpResponseEncoder } from './httpResponseEncoder';
import { BASE_HEADERS, CONSTANT_HEADER_STRINGS } from './responseHeaders';
import type { HttpRequest, StreamingToken } from './httpTypes';
import { applyKeyringUpdate, decodeKeyringState, EMPTY_KEYRING, encodeKeyringState, keyringStatus, type KeyringState } from './keyringState';
import { createStreamingReplyEncoder, createStreamingTokenDecoder } from './streamingTokenCodec';
import { TokenRevocations } from './tokenRevocations';
import { createUploadChunkDecoder, createUploadChunkReplyEncoder, type UploadChunkArgs } from './uploadChunkCodec';
import { UploadSessions, type UploadError } from './uploadSessions';

const rawBytes = { toBytes: (b: Uint8Array) => b, fromBytes: (b: Uint8Array) => b };
const EXPIRY_SWEEP_SECONDS = 60;

type Opt<T> = [] | [T];

interface BucketArgs {
    auth_canister: Principal;
    config: Opt<{
        max_asset_size: Opt<bigint>;
        chunk_size: Opt<number>;
        stream_grace_seconds: Opt<number>;
        session_ttl_seconds: Opt<number>;
        capacity_bytes: Opt<bigint>;
    }>;
}

/** A refused grant: the code and its fixed text (nothing from the token or the keyring). */
const badGrant = (code: TokenErrorCode) => ({ BadGrant: { code, detail: TOKEN_ERROR_HTTP[code].message } });
const opt = <T>(value: T | undefined): Opt<T> => (value === undefined ? [] : [value]);

function assetInfo(record: AssetRecord) {
    return {
        memory_id: record.memoryId,
        variant: variantValue(record.variant),
        asset_id: opt(record.assetId === '' ? undefined : record.assetId),
        content_type: record.contentType,
        size: BigInt(record.size),
        sha256: hexToBytes(record.sha256),
        etag: `"${record.sha256}"`,
        chunk_size: record.chunkSize,
        chunk_count: record.chunkCount,
        created_at: BigInt(record.createdAt)
    };
}

/** Stable-map keys and header values of printable ASCII go through Azle's native Candid text encoder. */
const nativeAscii = candidTextAsciiEncoder(candidEncode);
const asciiCodec = createAsciiCodec(nativeAscii);

export default class Bucket {
    configStore = new StableBTreeMap<string, string>(0, asciiCodec, asciiCodec);
    keyringStore = new StableBTreeMap<string, string>(1, asciiCodec, asciiCodec);
    assetRecords = new StableBTreeMap<string, string>(2, asciiCodec, asciiCodec);
    chunks = new StableBTreeMap<string, Uint8Array>(3, asciiCodec, rawBytes);
    memoryIndex = new StableBTreeMap<string, string>(4, asciiCodec, asciiCodec);
    totals = new StableBTreeMap<string, string>(5, asciiCodec, asciiCodec);
    sessionRecords = new StableBTreeMap<string, string>(6, asciiCodec, asciiCodec);
    sessionIndex = new StableBTreeMap<string, string>(7, asciiCodec, asciiCodec);
    sessionDeadlines = new StableBTreeMap<string, string>(8, asciiCodec, asciiCodec);
    revocationStore = new StableBTreeMap<string, string>(9, asciiCodec, asciiCodec);

    assets = new AssetStore({ assets: this.assetRecords, chunks: this.chunks, memoryIndex: this.memoryIndex, totals: this.totals });
    revocations = new TokenRevocations(this.revocationStore);
    uploads = new UploadSessions(
        { sessions: this.sessionRecords, index: this.sessionIndex, deadlines: this.sessionDeadlines },
        this.assets,
        () => this.config,
        () => time(),
        (memoryId) => this.revocations.notBefore(memoryId)
    );
    certification = skipCertification('');
    encodeHttpResponse = createHttpResponseEncoder(
        (value) => new Uint8Array(IDL.encode([C.HttpResponse], [value])),
        CONSTANT_HEADER_STRINGS,
        [...BASE_HEADERS, this.certification.expressionHeader],
        nativeAscii
    );
    decodeGetAssetChunk = createGetAssetChunkDecoder(
        (value) => new Uint8Array(IDL.encode([C.GetAssetChunkArgs], [value])),
        (bytes) => (IDL.decode([C.GetAssetChunkArgs], bytes) as unknown as [GetAssetChunkArgs])[0]
    );
    encodeGetAssetChunkReply = createGetAssetChunkReplyEncoder((value) => new Uint8Array(IDL.encode([C.GetAssetChunkResult], [value])));
    decodeStreamingToken = createStreamingTokenDecoder(
        (token) => new Uint8Array(IDL.encode([C.StreamingToken], [token])),
        (bytes) => (IDL.decode([C.StreamingToken], bytes) as unknown as [StreamingToken])[0]
    );
    encodeStreamingReply = createStreamingReplyEncoder((value) => new Uint8Array(IDL.encode([C.StreamingCallbackResponse], [value])));
    decodeUploadChunk = createUploadChunkDecoder(
        (value) => new Uint8Array(IDL.encode([C.UploadChunkArgs], [value])),
        (bytes) => (IDL.decode([C.UploadChunkArgs], bytes) as unknown as [UploadChunkArgs])[0]
    );
    encodeUploadChunkReply = createUploadChunkReplyEncoder((value) => new Uint8Array(IDL.encode([C.UploadChunkResult], [value])));
    decodeHttpRequest = createHttpRequestDecoder(
        (value) => new Uint8Array(IDL.encode([C.HttpRequest], [value])),
        (bytes) => (IDL.decode([C.HttpRequest], bytes) as unknown as [HttpRequest])[0],
        REQUEST_HEADERS_READ
    );

    // Heap caches, rebuilt by setup() and set_keyring.
    config!: BucketConfig;
    keyringState: KeyringState = EMPTY_KEYRING;
    keyring: Keyring = Keyring.empty();
    self = '';
    selfBytes: Uint8Array = new Uint8Array(0);

    @init([C.BucketArgs])
    init(args: BucketArgs): void {
        this.setup(args);
    }

    @postUpgrade([C.BucketArgs])
    postUpgrade(args: BucketArgs): void {
        this.setup(args);
    }

    @query([], C.BucketConfig)
    get_config() {
        const c = this.config;
        return {
            auth_canister: Principal.fromText(c.authCanister),
            max_asset_size: BigInt(c.maxAssetSize),
            chunk_size: c.chunkSize,
            stream_grace_seconds: c.streamGraceSeconds,
            session_ttl_seconds: c.sessionTtlSeconds,
            capacity_bytes: BigInt(c.capacityBytes)
        };
    }

    // ---- keys ------------------------------------------------------------------------------------

    @update([C.KeyringUpdate], C.SetKeyringResult)
    set_keyring(update: { version: bigint; keys: { kid: string; secret: Uint8Array; state: { active: null } | { verify_only: null }; not_after: Opt<bigint> }[] }) {
        if (msgCaller().toText() !== this.config.authCanister) return { Err: { NotAuthorized: null } };
        const entries: KeyringEntry[] = update.keys.map((k) => ({
            kid: k.kid,
            secret: k.secret,
            state: 'active' in k.state ? 'active' : 'verify-only',
            ...(k.not_after.length === 1 ? { notAfter: Number(k.not_after[0]) } : {})
        }));
        const result = applyKeyringUpdate(this.keyringState, { version: update.version, entries });
        if ('Err' in result) return result;
        if (result.Ok !== null) {
            this.keyringStore.insert('keyring', encodeKeyringState(result.Ok.state));
            this.keyringState = result.Ok.state;
            this.keyring = result.Ok.keyring;
        }
        return { Ok: this.keyringStatusValue() };
    }

    @query([], C.KeyringStatus)
    keyring_status() {
        return this.keyringStatusValue();
    }

    // ---- uploads ---------------------------------------------------------------------------------

    @update([C.UploadBeginArgs], C.UploadBeginResult)
    upload_begin(args: { grant: string; memory_id: string; variant: VariantValue; asset_id: Opt<string>; content_type: string; total_size: bigint; sha256: Uint8Array }) {
        const caller = msgCaller().toText();
        const variant = variantName(args.variant);
        const assetId = args.asset_id[0];
        const grant = verifyToken(
            args.grant,
            this.keyring,
            { purpose: 'upload', audience: this.self, memoryId: args.memory_id, variant, ...(assetId !== undefined ? { assetId } : {}), caller, ...this.notBefore(args.memory_id) },
            this.nowSeconds()
        );
        if (!grant.ok) return { Err: badGrant(grant.code) satisfies UploadError };
        const result = this.uploads.begin({
            owner: caller,
            memoryId: args.memory_id,
            variant,
            assetId: assetId ?? '',
            contentType: args.content_type,
            totalSize: args.total_size,
            sha256: args.sha256,
            grantIssuedAt: grant.claims.iat
        });
        if ('Err' in result) return result;
        const s = result.Ok;
        return { Ok: { upload_id: s.uploadId, chunk_size: s.chunkSize, chunk_count: s.chunkCount, expires_at: s.expiresAt, resumed: s.resumed } };
    }

    /** Manual: the 1.9 MB argument and the reply go through uploadChunkCodec.ts, not Azle's generic Candid. */
    @update([C.UploadChunkArgs], C.UploadChunkResult, { manual: true })
    upload_chunk(): void {
        let args: UploadChunkArgs;
        try {
            args = this.decodeUploadChunk(msgArgData());
        } catch (error) {
            msgReject(`invalid arguments: ${(error as Error).message}`);
            return;
        }
        const result = this.uploads.chunk(msgCaller().toText(), args.upload_id, args.index, args.bytes);
        msgReply(this.encodeUploadChunkReply('Err' in result ? result : { Ok: { received_bytes: result.Ok.receivedBytes } }));
    }

    @update([C.UploadIdArgs], C.UploadCommitResult)
    upload_commit(args: { upload_id: string }) {
        const result = this.uploads.commit(msgCaller().toText(), args.upload_id);
        return 'Err' in result ? result : { Ok: assetInfo(result.Ok) };
    }

    @update([C.UploadIdArgs], C.UploadAbortResult)
    upload_abort(args: { upload_id: string }) {
        return this.uploads.abort(msgCaller().toText(), args.upload_id);
    }

    @query([C.UploadIdArgs], C.UploadStatusResult)
    upload_status(args: { upload_id: string }) {
        const result = this.uploads.status(msgCaller().toText(), args.upload_id);
        if ('Err' in result) return result;
        const s = result.Ok;
        return {
            Ok: {
                upload_id: s.uploadId,
                memory_id: s.memoryId,
                variant: variantValue(s.variant),
                asset_id: opt(s.assetId === '' ? undefined : s.assetId),
                content_type: s.contentType,
                total_size: BigInt(s.totalSize),
                sha256: s.sha256,
                chunk_size: s.chunkSize,
                chunk_count: s.chunkCount,
                received_chunks: s.receivedChunks,
                received_bytes: BigInt(s.receivedBytes),
                expires_at: s.expiresAt
            }
        };
    }

    // ---- revocation --------------------------------------------------------------------------------

    @update([IDL.Vec(C.Revocation)], C.RevokeTokensResult)
    revoke_tokens(entries: { memory_id: string; not_before: bigint }[]) {
        if (msgCaller().toText() !== this.config.authCanister) return { Err: { NotAuthorized: null } };
        const result = this.revocations.apply(
            entries.map((e) => ({ memoryId: e.memory_id, notBefore: e.not_before > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(e.not_before) })),
            this.nowSeconds()
        );
        return 'Err' in result ? result : { Ok: { active: BigInt(result.Ok.active) } };
    }

    // ---- deletion --------------------------------------------------------------------------------

    @update([C.DeleteAssetArgs], C.DeleteAssetResult)
    delete_asset(args: { memory_id: string; variant: VariantValue; asset_id: Opt<string>; grant: Opt<string> }) {
        const variant = variantName(args.variant);
        const assetId = args.asset_id[0];
        const denied = this.deletionDenied(args.grant[0], { memoryId: args.memory_id, variant, ...(assetId !== undefined ? { assetId } : {}) });
        if (denied) return { Err: denied };
        const removed = this.assets.deleteAsset(args.memory_id, variant, assetId ?? '');
        return removed ? { Ok: { freed_bytes: BigInt(removed.size) } } : { Err: { NotFound: null } };
    }

    @update([C.DeleteMemoryArgs], C.DeleteMemoryResult)
    delete_memory(args: { memory_id: string; grant: Opt<string> }) {
        const denied = this.deletionDenied(args.grant[0], { memoryId: args.memory_id });
        if (denied) return { Err: denied };
        const { count, bytes } = this.assets.deleteMemory(args.memory_id);
        return { Ok: { deleted_assets: count, freed_bytes: BigInt(bytes) } };
    }

    // ---- reading -----------------------------------------------------------------------------------

    /** Manual: request decoding and the response (streamed ones included) use the precomputed type tables (httpRequestDecoder.ts, httpResponseEncoder.ts). */
    @query([C.HttpRequest], C.HttpResponse, { manual: true })
    http_request(): void {
        let request: HttpRequest;
        try {
            request = this.decodeHttpRequest(msgArgData());
        } catch (error) {
            msgReject(`invalid HttpRequest: ${(error as Error).message}`);
            return;
        }
        const response = handleHttpRequest({ method: request.method, url: request.url, headers: request.headers }, this.httpContext());
        msgReply(
            this.encodeHttpResponse({
                status_code: response.statusCode,
                headers: response.headers,
                body: response.body,
                ...(response.streaming ? { streaming: { canister: this.selfBytes, method: 'http_request_streaming_callback', token: response.streaming } } : {})
            })
        );
    }

    /** Manual reply so that a refusal is a reject, not a trap; manual mode leaves decoding to us. */
    @query([C.StreamingToken], C.StreamingCallbackResponse, { manual: true })
    http_request_streaming_callback(): void {
        let token: StreamingToken;
        try {
            token = this.decodeStreamingToken(msgArgData());
        } catch (error) {
            msgReject(`invalid streaming token: ${(error as Error).message}`);
            return;
        }
        const result = handleStreamingCallback(token, this.httpContext());
        if ('Err' in result) {
            msgReject(result.Err);
            return;
        }
        msgReply(this.encodeStreamingReply(result.Ok.body, result.Ok.token));
    }

    /** Manual: the argument and the `Ok` reply (a whole chunk) go through assetChunkCodec.ts. */
    @query([C.GetAssetChunkArgs], C.GetAssetChunkResult, { manual: true })
    get_asset_chunk(): void {
        let args: GetAssetChunkArgs;
        try {
            args = this.decodeGetAssetChunk(msgArgData());
        } catch (error) {
            msgReject(`invalid arguments: ${(error as Error).message}`);
            return;
        }
        const assetId = args.asset_id[0];
        const result = assetChunk(
            { token: args.token, memoryId: args.memory_id, variant: variantName(args.variant), ...(assetId !== undefined ? { assetId } : {}), index: args.index },
            this.readAccess()
        );
        msgReply(this.encodeGetAssetChunkReply(result));
    }

    @query([C.ListAssetsArgs], C.ListAssetsResult)
    list_assets(args: { token: string; memory_id: string; variant: VariantValue }) {
        const result = listAssets(
            { token: args.token, memoryId: args.memory_id, variant: variantName(args.variant) },
            this.readAccess()
        );
        if ('Err' in result) return result;
        return {
            Ok: result.Ok.map((a) => ({
                variant: variantValue(a.variant),
                asset_id: opt(a.assetId === '' ? undefined : a.assetId),
                content_type: a.contentType,
                size: BigInt(a.size),
                etag: a.etag,
                created_at: a.createdAt
            }))
        };
    }

    @query([], C.BucketMetrics)
    metrics(): BucketMetrics {
        return this.metricsValue();
    }

    // ---- internals ---------------------------------------------------------------------------------

    private setup(args: BucketArgs): void {
        const stored = this.configStore.get('config');
        const current = stored === undefined ? undefined : (JSON.parse(stored) as BucketConfig);
        const update = args.config[0];
        const result = applyConfigUpdate(current, args.auth_canister.toText(), {
            ...(update?.max_asset_size[0] !== undefined ? { maxAssetSize: Number(update.max_asset_size[0]) } : {}),
            ...(update?.chunk_size[0] !== undefined ? { chunkSize: update.chunk_size[0] } : {}),
            ...(update?.stream_grace_seconds[0] !== undefined ? { streamGraceSeconds: update.stream_grace_seconds[0] } : {}),
            ...(update?.session_ttl_seconds[0] !== undefined ? { sessionTtlSeconds: update.session_ttl_seconds[0] } : {}),
            ...(update?.capacity_bytes[0] !== undefined ? { capacityBytes: Number(update.capacity_bytes[0]) } : {})
        });
        // Refusing a bad config in init/post_upgrade keeps the previous code and state installed.
        if ('Err' in result) trap(`invalid bucket config: ${result.Err}`);
        this.config = result.Ok;
        this.configStore.insert('config', JSON.stringify(result.Ok));
        const storedKeyring = this.keyringStore.get('keyring');
        this.keyringState = storedKeyring === undefined ? EMPTY_KEYRING : decodeKeyringState(storedKeyring);
        this.keyring = Keyring.from(this.keyringState.entries);
        this.self = canisterSelf().toText();
        this.selfBytes = canisterSelf().toUint8Array();
        this.uploads.migrate();
        this.revocations.load();
        certifiedDataSet(this.certification.certifiedData);
        setTimerInterval(EXPIRY_SWEEP_SECONDS, () => {
            this.uploads.expire();
            this.revocations.sweep(this.nowSeconds(), this.config.streamGraceSeconds);
        });
    }

    /** The revocation cutoff of a memory, as verifyToken's `notBefore`. */
    private notBefore(memoryId: string): { notBefore?: number } {
        const notBefore = this.revocations.notBefore(memoryId);
        return notBefore === undefined ? {} : { notBefore };
    }

    private nowSeconds(): number {
        return Number(time() / 1_000_000_000n);
    }

    private keyringStatusValue() {
        const status = keyringStatus(this.keyringState);
        return {
            version: status.version,
            keys: status.keys.map((k) => ({
                kid: k.kid,
                state: k.state === 'active' ? { active: null } : { verify_only: null },
                not_after: opt(k.notAfter === undefined ? undefined : BigInt(k.notAfter))
            }))
        };
    }

    private metricsValue(): BucketMetrics {
        return bucketMetrics(this.assets.totals(), {
            capacityBytes: this.config.capacityBytes,
            openSessions: this.uploads.openSessions(),
            keyringVersion: this.keyringState.version,
            revocations: this.revocations.size,
            ...(this.keyring.signingKey(this.nowSeconds()) ? { activeKid: this.keyring.signingKey(this.nowSeconds())!.kid } : {})
        });
    }

    /** Undefined when the caller may delete: the auth canister, or a delete grant bound to the caller. */
    private deletionDenied(grant: string | undefined, scope: { memoryId: string; variant?: Variant; assetId?: string }) {
        const caller = msgCaller().toText();
        if (caller === this.config.authCanister) return undefined;
        if (grant === undefined) return { NotAuthorized: null };
        const verified = verifyToken(grant, this.keyring, { purpose: 'delete', audience: this.self, caller, ...scope, ...this.notBefore(scope.memoryId) }, this.nowSeconds());
        return verified.ok ? undefined : badGrant(verified.code);
    }

    /** What the read paths need: identity, keys, time, assets and revocations. */
    private readAccess() {
        return {
            self: this.self,
            selfBytes: this.selfBytes,
            keyring: this.keyring,
            nowSeconds: this.nowSeconds(),
            assets: this.assets,
            notBefore: (memoryId: string) => this.revocations.notBefore(memoryId)
        };
    }

    private httpContext(): HttpContext {
        const certificate = dataCertificate();
        return {
            ...this.readAccess(),
            streamGraceSeconds: this.config.streamGraceSeconds,
            certification: certificate ? this.certification.headerBytes(certificate) : [],
            health: () => JSON.stringify({ status: 'ok', keys: this.keyringState.entries.filter((e) => e.notAfter === undefined || this.nowSeconds() <= e.notAfter).length }),
            metricsText: () => metricsText(this.metricsValue())
        };
    }
}
