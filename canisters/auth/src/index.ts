/**
 * The auth canister (Azle adapter). Every rule lives in AuthService (authService.ts), which tests
 * run in Node; this class only wires the stable maps (stableLayout.ts), reads the caller, converts
 * Candid values to and from the service's, and gives the service the platform: time, randomness,
 * timers and the inter-canister calls (raw_rand; the buckets' set_keyring, revoke_tokens,
 * delete_memory and metrics).
 *
 * Queries cannot persist heap changes; the service's heap caches are filled by updates, timers and
 * post_upgrade.
 */
import {
    call,
    canisterCycleBalance,
    canisterSelf,
    IDL,
    init,
    isController,
    msgArgData,
    msgCaller,
    msgReject,
    msgReply,
    performanceCounter,
    postUpgrade,
    Principal,
    query,
    setTimer,
    setTimerInterval,
    StableBTreeMap,
    time,
    update
} from 'azle';
import { hexToBytes } from '@noble/hashes/utils';
import { asciiCodec, randomNonce, variantName, type KeyringEntry } from '@icp-private-assets/shared';
import { bucketTypes } from '@icp-private-assets/bucket/candid';
import type { AuthConfig, AuthConfigUpdate } from './authConfig';
import { AuthService, batchSizeError, MAINTENANCE_SECONDS, type AuthStores, type Caller, type MemoryView, type PlatformCalls } from './authService';
import type { BucketRecord, BucketStatus } from './bucketRegistry';
import { C, type RoleValue, type Value } from './candid';
import type { PushOutcome } from './keyLifecycle';
import { createMintCodec } from './mintCandid';
import type { RevocationPushOutcome } from './revocationOutbox';
import type { Role } from './roles';
import { AUTH_STABLE_MAPS, type AuthTextMap } from './stableLayout';
import type { ManagementCalls } from './fleetService';
import { managementTypes } from './managementCandid';
import type { FleetConfig, FleetConfigUpdate } from './fleetConfig';
import type { WasmInfo, WasmState } from './bucketWasm';
import type { Rollout } from './rollout';

const B = bucketTypes(IDL);
const M = managementTypes(IDL);

type Opt<T> = [] | [T];

const opt = <T>(value: T | undefined): Opt<T> => (value === undefined ? [] : [value]);
const roleValue = (role: Role): RoleValue => ({ [role]: null }) as RoleValue;
const roleName = (value: RoleValue): Role => Object.keys(value)[0] as Role;
const json = (value: unknown) => JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

const stableMap = (name: AuthTextMap) => new StableBTreeMap<string, string>(AUTH_STABLE_MAPS[name], asciiCodec, asciiCodec);
/** Values stored as the bytes themselves (the bucket wasm's chunks). */
const rawBytes = { toBytes: (bytes: Uint8Array) => bytes, fromBytes: (bytes: Uint8Array) => bytes };

const MANAGEMENT = 'aaaaa-aa';

/** The management canister's methods the fleet uses, as Azle inter-canister calls (rejects throw). */
const managementCalls: ManagementCalls = {
    async createCanister(cycles, controllers) {
        const result = await call<[unknown], { canister_id: Principal }>(MANAGEMENT, 'create_canister', {
            paramIdlTypes: [M.CreateCanisterArgs],
            returnIdlType: M.CreateCanisterResult,
            args: [{ settings: [{ controllers: [controllers.map((c) => Principal.fromText(c))] }], sender_canister_version: [] }],
            cycles
        });
        return result.canister_id.toText();
    },
    async uploadChunk(canister, chunk) {
        const result = await call<[unknown], { hash: Uint8Array }>(MANAGEMENT, 'upload_chunk', {
            paramIdlTypes: [M.UploadChunkArgs],
            returnIdlType: M.ChunkHash,
            args: [{ canister_id: Principal.fromText(canister), chunk }]
        });
        return result.hash;
    },
    async installChunkedCode(canister, install) {
        await call(MANAGEMENT, 'install_chunked_code', {
            paramIdlTypes: [M.InstallChunkedCodeArgs],
            args: [
                {
                    mode: install.mode === 'install' ? { install: null } : { upgrade: [{}] },
                    target_canister: Principal.fromText(canister),
                    store_canister: [],
                    chunk_hashes_list: install.chunkHashes.map((hash) => ({ hash })),
                    wasm_module_hash: install.wasmHash,
                    arg: install.arg,
                    sender_canister_version: []
                }
            ]
        });
    },
    async clearChunkStore(canister) {
        await call(MANAGEMENT, 'clear_chunk_store', { paramIdlTypes: [M.CanisterIdArgs], args: [{ canister_id: Principal.fromText(canister) }] });
    },
    async canisterStatus(canister) {
        const status = await call<[unknown], { module_hash: [] | [Uint8Array]; memory_size: bigint; cycles: bigint; idle_cycles_burned_per_day: bigint }>(MANAGEMENT, 'canister_status', {
            paramIdlTypes: [M.CanisterIdArgs],
            returnIdlType: M.CanisterStatusResult,
            args: [{ canister_id: Principal.fromText(canister) }]
        });
        return {
            cycles: status.cycles,
            ...(status.module_hash[0] ? { moduleHash: status.module_hash[0] } : {}),
            idleBurnPerDay: status.idle_cycles_burned_per_day,
            memoryBytes: status.memory_size
        };
    },
    async depositCycles(canister, cycles) {
        await call(MANAGEMENT, 'deposit_cycles', { paramIdlTypes: [M.CanisterIdArgs], args: [{ canister_id: Principal.fromText(canister) }], cycles });
    }
};

/** The buckets' methods the service needs, as Azle inter-canister calls. */
const bucketCalls: PlatformCalls = {
    rawRand: () => call<[], Uint8Array>('aaaaa-aa', 'raw_rand', { returnIdlType: IDL.Vec(IDL.Nat8) }),
    async setKeyring(bucket: string, keyring: { version: bigint; entries: KeyringEntry[] }): Promise<PushOutcome> {
        const result = await call<[unknown], { Ok: { version: bigint; keys: { kid: string; state: { active?: null } }[] } } | { Err: unknown }>(bucket, 'set_keyring', {
            paramIdlTypes: [B.KeyringUpdate],
            returnIdlType: B.SetKeyringResult,
            args: [{ version: keyring.version, keys: keyring.entries.map((e) => ({ kid: e.kid, secret: e.secret, state: e.state === 'active' ? { active: null } : { verify_only: null }, not_after: [] })) }]
        });
        if (!('Ok' in result)) return { kind: 'refused', error: `set_keyring refused: ${json(result.Err)}` };
        const active = result.Ok.keys.find((k) => 'active' in k.state)?.kid;
        return { kind: 'acknowledged', version: result.Ok.version, ...(active !== undefined ? { activeKid: active } : {}) };
    },
    async revokeTokens(bucket, entries): Promise<RevocationPushOutcome> {
        const result = await call<[unknown], { Ok: unknown } | { Err: unknown }>(bucket, 'revoke_tokens', {
            paramIdlTypes: [IDL.Vec(B.Revocation)],
            returnIdlType: B.RevokeTokensResult,
            args: [entries.map((r) => ({ memory_id: r.memoryId, not_before: BigInt(r.notBefore) }))]
        });
        return 'Ok' in result ? { kind: 'acknowledged' } : { kind: 'failed', error: `revoke_tokens refused: ${json(result.Err)}` };
    },
    async deleteMemory(bucket, memoryId) {
        try {
            const result = await call<[unknown], { Ok: { deleted_assets: number } } | { Err: unknown }>(bucket, 'delete_memory', {
                paramIdlTypes: [B.DeleteMemoryArgs],
                returnIdlType: B.DeleteMemoryResult,
                args: [{ memory_id: memoryId, grant: [] }]
            });
            return 'Ok' in result ? result.Ok.deleted_assets : undefined;
        } catch {
            return undefined;
        }
    },
    async keyringVersion(bucket) {
        const status = await call<[], { version: bigint }>(bucket, 'keyring_status', { returnIdlType: B.KeyringStatus });
        return status.version;
    },
    async usedBytes(bucket) {
        const metrics = await call<[], { stored_bytes: bigint; reserved_bytes: bigint }>(bucket, 'metrics', { returnIdlType: B.BucketMetrics });
        return Number(metrics.stored_bytes + metrics.reserved_bytes);
    }
};

export default class Auth {
    stores: AuthStores = {
        config: stableMap('config'),
        keys: stableMap('keys'),
        memories: stableMap('memories'),
        links: stableMap('links'),
        buckets: stableMap('buckets'),
        admins: stableMap('admins'),
        pendingDeletions: stableMap('pendingDeletions'),
        revocations: stableMap('revocations'),
        memoryIds: stableMap('memoryIds'),
        schedule: stableMap('schedule'),
        fleet: stableMap('fleet'),
        wasmChunks: new StableBTreeMap<string, Uint8Array>(AUTH_STABLE_MAPS.wasmChunks, asciiCodec, rawBytes)
    };
    service = new AuthService(this.stores, {
        now: () => time(),
        nonce: () => randomNonce(),
        instructionsUsed: () => performanceCounter(0),
        soon: (run, delaySeconds = 0) => {
            setTimer(delaySeconds, run);
        },
        principalBytes: (text) => Principal.fromText(text).toUint8Array(),
        calls: bucketCalls,
        self: () => canisterSelf().toText(),
        balance: () => canisterCycleBalance(),
        isPrincipal: (text) => {
            try {
                return Principal.fromText(text).toText() === text;
            } catch {
                return false;
            }
        },
        // An upgrade passes no config: the bucket keeps its own.
        bucketInstallArg: (capacityBytes) =>
            new Uint8Array(
                IDL.encode(
                    [B.BucketArgs],
                    [
                        {
                            auth_canister: canisterSelf(),
                            config:
                                capacityBytes === undefined
                                    ? []
                                    : [{ capacity_bytes: [BigInt(capacityBytes)], max_asset_size: [], chunk_size: [], stream_grace_seconds: [], session_ttl_seconds: [] }]
                        }
                    ]
                )
            ),
        management: managementCalls
    });
    /** Candid of the minting queries; its type tables are learned here, at install or upgrade. */
    mintCodec = createMintCodec(IDL);

    @init([])
    init(): void {
        this.setup();
    }

    @postUpgrade([])
    postUpgrade(): void {
        this.setup();
        this.service.forgetCallsInFlight();
    }

    // ---- memories ------------------------------------------------------------------------------

    @update([C.CreateMemoryArgs], C.MemoryResult)
    create_memory(args: Value<'CreateMemoryArgs'>) {
        const result = this.service.createMemory(this.caller(), args.title);
        return 'Err' in result ? result : { Ok: memoryValue(result.Ok) };
    }

    @update([C.GrantArgs], C.UnitResult)
    grant(args: Value<'GrantArgs'>) {
        return this.service.grant(this.caller(), args.memory_id, args.principal.toText(), roleName(args.role));
    }

    @update([C.RevokeArgs], C.UnitResult)
    revoke(args: Value<'RevokeArgs'>) {
        return this.service.revoke(this.caller(), args.memory_id, args.principal.toText());
    }

    @update([C.TransferArgs], C.UnitResult)
    transfer_ownership(args: Value<'TransferArgs'>) {
        return this.service.transferOwnership(this.caller(), args.memory_id, args.new_owner.toText());
    }

    @update([C.MemoryIdArgs], C.DeleteResult)
    async delete_memory(args: Value<'MemoryIdArgs'>) {
        const result = await this.service.deleteMemory(this.caller(), args.memory_id);
        return 'Err' in result ? result : { Ok: { assets_deleted: opt(result.Ok.assetsDeleted) } };
    }

    @query([C.MemoryIdArgs], C.GetMemoryResult)
    get_memory(args: Value<'MemoryIdArgs'>) {
        const result = this.service.getMemory(this.caller(), args.memory_id);
        if ('Err' in result) return result;
        const { memory, grants, revocationPending } = result.Ok;
        return {
            Ok: {
                memory: memoryValue(memory),
                grants: grants.map((g) => ({ principal: Principal.fromText(g.principal), role: roleValue(g.role) })),
                revocation_pending: revocationPending
            }
        };
    }

    @query([], IDL.Bool)
    is_admin(): boolean {
        return this.service.isAdmin(this.caller());
    }

    @query([C.ListArgs], C.ListResult)
    list_memories(args: Value<'ListArgs'>) {
        const page = this.service.listMemories(this.caller(), args.limit[0], args.cursor[0]);
        // A page repeats a few owners and buckets: parse each principal once.
        const principals = new Map<string, Principal>();
        return { memories: page.memories.map((m) => memoryValue(m, principals)), next_cursor: opt(page.next) };
    }

    // ---- minting ---------------------------------------------------------------------------------
    // Manual replies: arguments and results go through mintCandid.ts (a gallery page mints on
    // every load); undecodable arguments are rejected with a message, never a trap.

    @query([C.MintArgs], C.MintedResult, { manual: true })
    mint_http_token(): void {
        const args = this.decodeArgs(() => this.mintCodec.decodeMintArgs(msgArgData()));
        if (!args) return;
        msgReply(this.mintCodec.encodeMintResult(this.service.mintReadToken(this.caller(), args.memory_id, args.variants.map(variantName), args.asset_ids[0], args.ttl_seconds[0])));
    }

    @query([C.BatchMintArgs], C.BatchMintResult, { manual: true })
    mint_http_tokens(): void {
        const args = this.decodeArgs(() => this.mintCodec.decodeBatchMintArgs(msgArgData()));
        if (!args) return;
        const tooLarge = batchSizeError(args.memory_ids.length);
        if (tooLarge) {
            msgReject(tooLarge);
            return;
        }
        msgReply(this.mintCodec.encodeBatchMintResult(this.service.mintReadTokens(this.caller(), args.memory_ids, args.variants.map(variantName), args.ttl_seconds[0])));
    }

    @query([C.UploadGrantArgs], C.MintedResult, { manual: true })
    mint_upload_grant(): void {
        const args = this.decodeArgs(() => IDL.decode([C.UploadGrantArgs], msgArgData())[0] as unknown as Value<'UploadGrantArgs'>);
        if (!args) return;
        msgReply(this.mintCodec.encodeMintResult(this.service.mintUploadGrant(this.caller(), args.memory_id, args.variants.map(variantName), args.asset_ids[0])));
    }

    @query([C.DeleteGrantArgs], C.MintedResult, { manual: true })
    mint_delete_grant(): void {
        const args = this.decodeArgs(() => IDL.decode([C.DeleteGrantArgs], msgArgData())[0] as unknown as Value<'DeleteGrantArgs'>);
        if (!args) return;
        msgReply(this.mintCodec.encodeMintResult(this.service.mintDeleteGrant(this.caller(), args.memory_id, args.variants[0]?.map(variantName), args.asset_ids[0])));
    }

    // ---- administration ------------------------------------------------------------------------

    @update([C.RegisterBucketArgs], C.BucketResult)
    register_bucket(args: Value<'RegisterBucketArgs'>) {
        const result = this.service.registerBucket(this.caller(), args.canister_id.toText(), args.capacity_bytes);
        return 'Err' in result ? result : { Ok: bucketValue(result.Ok) };
    }

    @update([C.SetBucketStatusArgs], C.BucketResult)
    set_bucket_status(args: Value<'SetBucketStatusArgs'>) {
        const result = this.service.setBucketStatus(this.caller(), args.canister_id.toText(), Object.keys(args.status)[0] as BucketStatus);
        return 'Err' in result ? result : { Ok: bucketValue(result.Ok) };
    }

    @query([], C.BucketsResult)
    list_buckets() {
        const result = this.service.listBuckets(this.caller());
        return 'Err' in result ? result : { Ok: result.Ok.map(bucketValue) };
    }

    @update([IDL.Principal], C.UnitResult)
    add_admin(principal: Principal) {
        return this.service.addAdmin(this.caller(), principal.toText());
    }

    @update([IDL.Principal], C.UnitResult)
    remove_admin(principal: Principal) {
        return this.service.removeAdmin(this.caller(), principal.toText());
    }

    @query([], C.AdminsResult)
    list_admins() {
        const result = this.service.listAdmins(this.caller());
        return 'Err' in result ? result : { Ok: result.Ok.map((p) => Principal.fromText(p)) };
    }

    @query([], C.Config)
    get_config() {
        return configValue(this.service.config);
    }

    @update([C.ConfigUpdate], C.ConfigResult)
    set_config(args: Value<'ConfigUpdate'>) {
        const update: AuthConfigUpdate = {
            ...(args.default_ttl_seconds[0] !== undefined ? { defaultTtlSeconds: args.default_ttl_seconds[0] } : {}),
            ...(args.max_ttl_seconds[0] !== undefined ? { maxTtlSeconds: args.max_ttl_seconds[0] } : {}),
            ...(args.upload_grant_ttl_seconds[0] !== undefined ? { uploadGrantTtlSeconds: args.upload_grant_ttl_seconds[0] } : {}),
            ...(args.skew_seconds[0] !== undefined ? { skewSeconds: args.skew_seconds[0] } : {})
        };
        const result = this.service.setConfig(this.caller(), update);
        return 'Err' in result ? result : { Ok: configValue(result.Ok) };
    }

    @update([], C.RotateResult)
    async rotate_keys() {
        return await this.service.rotateKeys(this.caller());
    }

    @query([], C.KeyStatusResult)
    key_status() {
        const result = this.service.keyStatus(this.caller());
        if ('Err' in result) return result;
        const { keys, buckets } = result.Ok;
        return {
            Ok: {
                version: BigInt(keys.version),
                keys: keys.masters.map((m) => ({ kid: m.kid, state: m.state === 'active' ? { active: null } : { verify_only: null }, created_at: BigInt(m.createdAt) })),
                buckets: buckets.map((b) => ({
                    canister_id: Principal.fromText(b.id),
                    acknowledged_version: BigInt(b.ackedVersion),
                    acknowledged_kid: opt(b.ackedKid),
                    last_push_at: opt(b.lastPushAt === undefined ? undefined : BigInt(b.lastPushAt)),
                    last_error: opt(b.lastError),
                    failed_attempts: b.failedAttempts,
                    next_retry_at: opt(b.nextRetryAt === undefined ? undefined : BigInt(b.nextRetryAt)),
                    pending_revocations: b.pendingRevocations,
                    revocation_error: opt(b.revocationError)
                }))
            }
        };
    }

    @update([IDL.Vec(C.ImportedMemory)], C.ImportResult)
    import_memories(memories: Value<'ImportedMemory'>[]) {
        return this.service.importMemories(
            this.caller(),
            memories.map((m) => ({
                owner: m.owner.toText(),
                title: m.title,
                ...(m.bucket[0] ? { bucket: m.bucket[0].toText() } : {}),
                grants: m.grants.map((g) => ({ principal: g.principal.toText(), role: roleName(g.role) }))
            }))
        );
    }

    // ---- the fleet -------------------------------------------------------------------------------

    @update([C.FleetConfigUpdate], C.FleetConfigResult)
    set_fleet_config(args: Value<'FleetConfigUpdate'>) {
        const update: FleetConfigUpdate = {
            ...(args.min_free_bytes[0] !== undefined ? { minFreeBytes: safeNumber(args.min_free_bytes[0]) } : {}),
            ...(args.bucket_capacity_bytes[0] !== undefined ? { bucketCapacityBytes: safeNumber(args.bucket_capacity_bytes[0]) } : {}),
            ...(args.cycles_per_bucket[0] !== undefined ? { cyclesPerBucket: args.cycles_per_bucket[0] } : {}),
            ...(args.max_buckets[0] !== undefined ? { maxBuckets: args.max_buckets[0] } : {}),
            ...(args.operators[0] !== undefined ? { operators: args.operators[0].map((p) => p.toText()) } : {}),
            ...(args.top_up_below_cycles[0] !== undefined ? { topUpBelowCycles: args.top_up_below_cycles[0] } : {}),
            ...(args.top_up_cycles[0] !== undefined ? { topUpCycles: args.top_up_cycles[0] } : {}),
            ...(args.runway_warning_days[0] !== undefined ? { runwayWarningDays: args.runway_warning_days[0] } : {})
        };
        const result = this.service.setFleetConfig(this.caller(), update);
        return 'Err' in result ? result : { Ok: fleetConfigValue(result.Ok) };
    }

    @update([C.BeginBucketWasmArgs], C.UnitResult)
    begin_bucket_wasm(args: Value<'BeginBucketWasmArgs'>) {
        return this.service.beginBucketWasm(this.caller(), args.sha256, safeNumber(args.size));
    }

    @update([C.BucketWasmChunkArgs], C.UnitResult)
    put_bucket_wasm_chunk(args: Value<'BucketWasmChunkArgs'>) {
        return this.service.putBucketWasmChunk(this.caller(), args.index, args.bytes);
    }

    @update([], C.WasmInfoResult)
    commit_bucket_wasm() {
        const result = this.service.commitBucketWasm(this.caller());
        return 'Err' in result ? result : { Ok: wasmInfoValue(result.Ok) };
    }

    @update([], C.RolloutResult)
    upgrade_buckets() {
        const result = this.service.upgradeBuckets(this.caller());
        return 'Err' in result ? result : { Ok: rolloutValue(result.Ok) };
    }

    @update([C.UnregisterBucketArgs], C.UnitResult)
    unregister_bucket(args: Value<'UnregisterBucketArgs'>) {
        return this.service.unregisterBucket(this.caller(), args.canister_id.toText());
    }

    @query([], C.FleetStatusResult)
    fleet_status() {
        const result = this.service.fleetStatus(this.caller());
        if ('Err' in result) return result;
        const status = result.Ok;
        const p = status.provisioning;
        const nat64 = (text: string | undefined) => opt(text === undefined ? undefined : BigInt(text));
        return {
            Ok: {
                config: fleetConfigValue(status.config),
                wasm: opt(status.wasm && wasmInfoValue(status.wasm)),
                provisioning: {
                    phase: { [p.phase]: null },
                    canister_id: opt(p.canisterId === undefined ? undefined : Principal.fromText(p.canisterId)),
                    attempts: p.attempts,
                    last_error: opt(p.lastError),
                    next_retry_at: nat64(p.nextRetryAt),
                    idle_reason: opt(status.provisioningIdleReason),
                    provisioned_count: p.provisionedCount,
                    cycles_spent: BigInt(p.cyclesSpent),
                    last_provisioned: opt(p.lastProvisioned && { canister_id: Principal.fromText(p.lastProvisioned.canisterId), at: BigInt(p.lastProvisioned.at), took_nanos: BigInt(p.lastProvisioned.nanos) })
                },
                free_bytes: BigInt(status.freeBytes),
                capacity_bytes: BigInt(status.capacityBytes),
                balance: status.balance,
                burn_per_day: opt(status.burnPerDay),
                runway_days: opt(status.runwayDays),
                buckets: status.buckets.map((b) => ({
                    canister_id: Principal.fromText(b.canisterId),
                    cycles: nat64(b.cycles),
                    module_hash: opt(b.moduleHash === undefined ? undefined : hexToBytes(b.moduleHash)),
                    idle_burn_per_day: nat64(b.idleBurnPerDay),
                    memory_bytes: nat64(b.memoryBytes),
                    checked_at: nat64(b.checkedAt),
                    status_error: opt(b.statusError),
                    topped_up: BigInt(b.toppedUp),
                    last_top_up_at: nat64(b.lastTopUpAt),
                    top_up_error: opt(b.topUpError)
                })),
                rollout: opt(status.rollout && rolloutValue(status.rollout)),
                warnings: [...status.warnings]
            }
        } as Value<'FleetStatusResult'>;
    }

    // ---- internals -------------------------------------------------------------------------------

    private setup(): void {
        this.service.load();
        setTimerInterval(MAINTENANCE_SECONDS, () => this.service.maintenance());
    }

    private caller(): Caller {
        const principal = msgCaller();
        return { principal: principal.toText(), controller: isController(principal) };
    }

    private decodeArgs<T>(decode: () => T): T | undefined {
        try {
            return decode();
        } catch (error) {
            msgReject(`invalid arguments: ${(error as Error).message ?? String(error)}`);
            return undefined;
        }
    }
}

function memoryValue(memory: MemoryView, principals = new Map<string, Principal>()) {
    const principal = (text: string) => {
        let p = principals.get(text);
        if (!p) principals.set(text, (p = Principal.fromText(text)));
        return p;
    };
    return { id: memory.id, owner: principal(memory.owner), bucket: principal(memory.bucket), title: memory.title, created_at: BigInt(memory.createdAt), role: roleValue(memory.role) };
}

function bucketValue(b: BucketRecord) {
    return {
        canister_id: Principal.fromText(b.id),
        status: { [b.status]: null },
        capacity_bytes: BigInt(b.capacityBytes),
        used_bytes: BigInt(b.usedBytes),
        memory_count: BigInt(b.memoryCount),
        registered_at: BigInt(b.registeredAt),
        usage_refreshed_at: opt(b.usageRefreshedAt === undefined ? undefined : BigInt(b.usageRefreshedAt))
    };
}

function configValue(config: AuthConfig) {
    return {
        default_ttl_seconds: config.defaultTtlSeconds,
        max_ttl_seconds: config.maxTtlSeconds,
        upload_grant_ttl_seconds: config.uploadGrantTtlSeconds,
        skew_seconds: config.skewSeconds
    };
}

/** A nat64 the service holds as a number: larger than 2^53 - 1 is refused as NaN by its validation. */
function safeNumber(value: bigint): number {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : Number.NaN;
}

function fleetConfigValue(config: FleetConfig) {
    return {
        min_free_bytes: BigInt(config.minFreeBytes),
        bucket_capacity_bytes: BigInt(config.bucketCapacityBytes),
        cycles_per_bucket: config.cyclesPerBucket,
        max_buckets: config.maxBuckets,
        operators: config.operators.map((o) => Principal.fromText(o)),
        top_up_below_cycles: config.topUpBelowCycles,
        top_up_cycles: config.topUpCycles,
        runway_warning_days: config.runwayWarningDays
    };
}

function rolloutValue(rollout: Rollout) {
    return {
        wasm_sha256: hexToBytes(rollout.wasmSha256),
        pending: rollout.pending.map((id) => Principal.fromText(id)),
        done: rollout.done.map((id) => Principal.fromText(id)),
        failed: opt(rollout.failed && { canister_id: Principal.fromText(rollout.failed.canisterId), error: rollout.failed.error, at: BigInt(rollout.failed.at) }),
        started_at: BigInt(rollout.startedAt),
        finished_at: opt(rollout.finishedAt === undefined ? undefined : BigInt(rollout.finishedAt))
    };
}

function wasmStateValue(state: WasmState) {
    return state.kind === 'rejected' ? { rejected: state.reason } : ({ [state.kind]: null } as { uploading: null } | { ready: null } | { verified: null });
}

function wasmInfoValue(info: WasmInfo) {
    return { sha256: hexToBytes(info.sha256), size: BigInt(info.size), chunk_count: info.chunkCount, state: wasmStateValue(info.state) };
}
