/**
 * The auth canister (Azle adapter). Domain logic lives in the pure modules next to this file; this
 * class converts Candid values, checks callers, owns the stable maps, runs the timers and makes
 * the inter-canister calls (raw_rand, buckets' set_keyring, metrics and delete_memory).
 *
 * Heap caches (config, key state, token signers, bucket principal bytes) are rebuilt by every update that changes them and
 * after install/upgrade: queries cannot persist heap changes, updates and timers can.
 */
import {
    call,
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
import { bytesToHex as hex, hexToBytes as fromHex } from '@noble/hashes/utils';
import { asciiCodec, createTokenSigner, isValidId, randomNonce, VARIANTS, variantName, type TokenPurpose, type TokenSigner } from '@icp-private-assets/shared';
import { bucketTypes } from '@icp-private-assets/bucket/candid';
import { applyAuthConfig, DEFAULT_AUTH_CONFIG, overlapSeconds, readTokenTtl, type AuthConfig } from './authConfig';
import { BucketRegistry, retryDelayNanos, type BucketRecord, type BucketStatus } from './bucketRegistry';
import { C, type AuthErrorValue, type RoleValue, type VariantValue } from './candid';
import {
    abandonRotation,
    completeRotation,
    deriveFromMaster,
    EMPTY_KEY_STATE,
    isReady,
    keyringFor,
    mintingMaster,
    pushesDue,
    recordPush,
    reserveRotation,
    retirable,
    retire,
    type KeyState,
    type MasterKey,
    type PushOutcome
} from './keyLifecycle';
import { MemoryDirectory, MAX_TITLE_LENGTH, type MemoryRecord } from './memoryDirectory';
import { memoryIdFor } from './memoryIds';
import { createMintCodec, type MintResultWire } from './mintCandid';
import { atLeast, type Role } from './roles';
import { recordRevocationPush, revocationCutoff, RevocationOutbox, revocationPushDue, type PendingRevocation, type RevocationPushOutcome } from './revocationOutbox';
import { mintForMemory } from './tokenMinting';

const B = bucketTypes(IDL);
const MAINTENANCE_SECONDS = 5;
const USAGE_REFRESH_NANOS = 60n * 1_000_000_000n;
const MAX_BATCH = 100;
const MAX_LIST = 100;
const MAX_IMPORT_MEMORIES = 1_000;
const MAX_IMPORT_GRANTS = 10_000;
/** import_memories stops before the next memory once a call has used this many instructions (the IC allows 40B). */
const IMPORT_INSTRUCTION_BUDGET = 30_000_000_000n;
/** Grantees per memory: keeps delete_memory (which removes every grant) within one message. */
const MAX_GRANTS_PER_MEMORY = 1_000;

type Opt<T> = [] | [T];
type AuthError = AuthErrorValue;

const opt = <T>(value: T | undefined): Opt<T> => (value === undefined ? [] : [value]);
const roleValue = (role: Role): RoleValue => ({ [role]: null }) as RoleValue;
const roleName = (value: RoleValue): Role => Object.keys(value)[0] as Role;

function rejectMessage(error: unknown): string {
    const e = error as { rejectMessage?: string; message?: string };
    return e.rejectMessage ?? e.message ?? String(error);
}

export default class Auth {
    configStore = new StableBTreeMap<string, string>(0, asciiCodec, asciiCodec);
    keyStore = new StableBTreeMap<string, string>(1, asciiCodec, asciiCodec);
    memoryRecords = new StableBTreeMap<string, string>(2, asciiCodec, asciiCodec);
    links = new StableBTreeMap<string, string>(3, asciiCodec, asciiCodec);
    bucketStore = new StableBTreeMap<string, string>(4, asciiCodec, asciiCodec);
    admins = new StableBTreeMap<string, string>(5, asciiCodec, asciiCodec);
    pendingDeletions = new StableBTreeMap<string, string>(6, asciiCodec, asciiCodec);
    revocationStore = new StableBTreeMap<string, string>(7, asciiCodec, asciiCodec);

    directory = new MemoryDirectory(this.memoryRecords, this.links);
    buckets = new BucketRegistry(this.bucketStore);
    revocations = new RevocationOutbox(this.revocationStore);

    // Heap caches (see the class comment).
    config: AuthConfig = DEFAULT_AUTH_CONFIG;
    keys: KeyState = EMPTY_KEY_STATE;
    /** Keyed token signers per `bucket|kid`: derivation and HMAC pads done once, in updates. */
    signers = new Map<string, TokenSigner>();
    /** Raw principal bytes of each bucket, for writing mint results. */
    bucketBytes = new Map<string, Uint8Array>();
    /** Candid of the minting queries; its type tables are learned here, at install or upgrade. */
    mintCodec = createMintCodec(IDL);
    maintenanceRunning = false;

    @init([])
    init(): void {
        this.setup();
    }

    @postUpgrade([])
    postUpgrade(): void {
        this.setup();
        // Calls in flight when the upgrade started will never report back.
        for (const bucket of this.buckets.list()) {
            if (bucket.pushInFlight || bucket.revocationsInFlight) {
                this.buckets.update(bucket.id, (b) => {
                    b.pushInFlight = false;
                    b.revocationsInFlight = false;
                });
            }
        }
    }

    // ---- memories ------------------------------------------------------------------------------

    @update([C.CreateMemoryArgs], C.MemoryResult)
    create_memory(args: { title: string }) {
        const caller = this.authenticated();
        if ('Err' in caller) return caller;
        const title = this.validTitle(args.title);
        if (typeof title !== 'string') return title;
        const created = this.createMemory(caller.Ok, title, undefined);
        if ('Err' in created) return created;
        return { Ok: this.memoryValue(created.Ok, 'owner') };
    }

    @update([C.GrantArgs], C.UnitResult)
    grant(args: { memory_id: string; principal: Principal; role: RoleValue }) {
        const owner = this.requireRole(args.memory_id, 'owner');
        if ('Err' in owner) return owner;
        const role = roleName(args.role);
        const grantee = args.principal.toText();
        if (role === 'owner') return { Err: { InvalidRequest: 'use transfer_ownership to change the owner' } };
        if (args.principal.isAnonymous()) return { Err: { InvalidRequest: 'the anonymous principal cannot be granted a role' } };
        if (grantee === owner.Ok.memory.owner) return { Err: { InvalidRequest: 'the owner already has every right' } };
        const previous = this.directory.roleOf(args.memory_id, grantee);
        if (previous === undefined && this.directory.memberCount(args.memory_id) > MAX_GRANTS_PER_MEMORY) {
            return { Err: { InvalidRequest: `a memory can be shared with at most ${MAX_GRANTS_PER_MEMORY} principals` } };
        }
        this.directory.setRole(args.memory_id, grantee, role);
        // Lowering a role (editor → viewer) voids the upload grants already minted.
        if (previous !== undefined && !atLeast(role, previous)) this.revokeTokens(owner.Ok.memory);
        return { Ok: null };
    }

    @update([C.RevokeArgs], C.UnitResult)
    revoke(args: { memory_id: string; principal: Principal }) {
        const member = this.requireRole(args.memory_id, 'viewer');
        if ('Err' in member) return member;
        const { caller, memory } = member.Ok;
        const target = args.principal.toText();
        // The owner may revoke anyone; a grantee may leave.
        if (caller !== memory.owner && caller !== target) return { Err: { NotAuthorized: null } };
        if (target === memory.owner) return { Err: { InvalidRequest: 'the owner cannot be revoked; transfer ownership first' } };
        if (this.directory.removeRole(args.memory_id, target)) this.revokeTokens(memory);
        return { Ok: null };
    }

    @update([C.TransferArgs], C.UnitResult)
    transfer_ownership(args: { memory_id: string; new_owner: Principal }) {
        const owner = this.requireRole(args.memory_id, 'owner');
        if ('Err' in owner) return owner;
        if (args.new_owner.isAnonymous()) return { Err: { InvalidRequest: 'the anonymous principal cannot own a memory' } };
        if (args.new_owner.toText() === owner.Ok.memory.owner) return { Ok: null };
        this.directory.transfer(args.memory_id, args.new_owner.toText());
        // The previous owner stays an editor: the delete grants it holds must stop working.
        this.revokeTokens(owner.Ok.memory);
        return { Ok: null };
    }

    @update([C.MemoryIdArgs], C.DeleteResult)
    async delete_memory(args: { memory_id: string }) {
        const owner = this.requireRole(args.memory_id, 'owner');
        if ('Err' in owner) return owner;
        const memory = this.directory.delete(args.memory_id)!;
        this.revocations.add(memory.bucket, memory.id, revocationCutoff(time(), memory.tokensNotBefore));
        setTimer(0, () => this.maintenance());
        this.buckets.update(memory.bucket, (b) => (b.memoryCount = Math.max(0, b.memoryCount - 1)));
        const deleted = await this.deleteInBucket(memory.id, memory.bucket);
        if (deleted === undefined) {
            this.pendingDeletions.insert(memory.id, JSON.stringify({ bucket: memory.bucket, attempts: 1, nextRetryAt: (time() + retryDelayNanos(1)).toString() }));
        }
        return { Ok: { assets_deleted: opt(deleted) } };
    }

    @query([C.MemoryIdArgs], C.GetMemoryResult)
    get_memory(args: { memory_id: string }) {
        const member = this.requireRole(args.memory_id, 'viewer');
        if ('Err' in member) return member;
        const { memory, role } = member.Ok;
        const grants = role === 'owner' ? this.directory.grants(memory.id).map((g) => ({ principal: Principal.fromText(g.principal), role: roleValue(g.role) })) : [];
        return { Ok: { memory: this.memoryValue(memory, role), grants, revocation_pending: this.revocations.isPending(memory.bucket, memory.id) } };
    }

    @query([], IDL.Bool)
    is_admin(): boolean {
        return 'Ok' in this.requireAdmin();
    }

    @query([C.ListArgs], C.ListResult)
    list_memories(args: { cursor: Opt<string>; limit: Opt<number> }) {
        const caller = msgCaller();
        if (caller.isAnonymous()) return { memories: [], next_cursor: [] };
        const limit = Math.min(Math.max(1, args.limit[0] ?? 50), MAX_LIST);
        const page = this.directory.listFor(caller.toText(), limit, args.cursor[0]);
        // A page repeats a few owners and buckets: parse each principal once.
        const principals = new Map<string, Principal>();
        const memories = page.items.flatMap(({ memoryId, role }) => {
            const memory = this.directory.get(memoryId);
            return memory ? [this.memoryValue(memory, role, principals)] : [];
        });
        return { memories, next_cursor: opt(page.next) };
    }

    // ---- minting ---------------------------------------------------------------------------------
    // Manual replies: arguments and results go through mintCandid.ts (a gallery page mints on
    // every load); undecodable arguments are rejected with a message, never a trap.

    @query([C.MintArgs], C.MintedResult, { manual: true })
    mint_http_token(): void {
        const args = this.decodeArgs(() => this.mintCodec.decodeMintArgs(msgArgData()));
        if (!args) return;
        const ttl = readTokenTtl(this.config, args.ttl_seconds[0]);
        msgReply(this.mintCodec.encodeMintResult(this.mint('read', 'viewer', args.memory_id, args.variants.map(variantName), args.asset_ids[0], ttl)));
    }

    @query([C.BatchMintArgs], C.BatchMintResult, { manual: true })
    mint_http_tokens(): void {
        const args = this.decodeArgs(() => this.mintCodec.decodeBatchMintArgs(msgArgData()));
        if (!args) return;
        if (args.memory_ids.length > MAX_BATCH) {
            msgReject(`invalid arguments: at most ${MAX_BATCH} memories per batch, got ${args.memory_ids.length}`);
            return;
        }
        const variants = args.variants.map(variantName);
        const ttl = readTokenTtl(this.config, args.ttl_seconds[0]);
        const items = args.memory_ids.map((memoryId) => ({ memoryId, result: this.mint('read', 'viewer', memoryId, variants, undefined, ttl) }));
        msgReply(this.mintCodec.encodeBatchMintResult(items));
    }

    @query([C.UploadGrantArgs], C.MintedResult, { manual: true })
    mint_upload_grant(): void {
        const args = this.decodeArgs(() => IDL.decode([C.UploadGrantArgs], msgArgData())[0] as unknown as { memory_id: string; variants: VariantValue[]; asset_ids: Opt<string[]> });
        if (!args) return;
        msgReply(this.mintCodec.encodeMintResult(this.mint('upload', 'editor', args.memory_id, args.variants.map(variantName), args.asset_ids[0], this.config.uploadGrantTtlSeconds)));
    }

    @query([C.DeleteGrantArgs], C.MintedResult, { manual: true })
    mint_delete_grant(): void {
        const args = this.decodeArgs(() => IDL.decode([C.DeleteGrantArgs], msgArgData())[0] as unknown as { memory_id: string; variants: Opt<VariantValue[]>; asset_ids: Opt<string[]> });
        if (!args) return;
        const variants = args.variants[0]?.map(variantName) ?? [...VARIANTS];
        msgReply(this.mintCodec.encodeMintResult(this.mint('delete', 'owner', args.memory_id, variants, args.asset_ids[0], this.config.defaultTtlSeconds)));
    }

    // ---- administration ------------------------------------------------------------------------

    @update([C.RegisterBucketArgs], C.BucketResult)
    register_bucket(args: { canister_id: Principal; capacity_bytes: bigint }) {
        const admin = this.requireAdmin();
        if ('Err' in admin) return admin;
        if (args.capacity_bytes < 1n || args.capacity_bytes > BigInt(Number.MAX_SAFE_INTEGER)) {
            return { Err: { InvalidRequest: 'capacity_bytes must be between 1 and 2^53 - 1' } };
        }
        const record = this.buckets.register(args.canister_id.toText(), Number(args.capacity_bytes), time());
        if (!record) return { Err: { InvalidRequest: 'bucket already registered' } };
        this.warmCaches(record.id);
        // The new bucket gets the current keys at once (next round), then is kept current by the timer.
        setTimer(0, () => this.maintenance());
        return { Ok: this.bucketValue(record) };
    }

    @update([C.SetBucketStatusArgs], C.BucketResult)
    set_bucket_status(args: { canister_id: Principal; status: { active: null } | { full: null } | { draining: null } }) {
        const admin = this.requireAdmin();
        if ('Err' in admin) return admin;
        const status = Object.keys(args.status)[0] as BucketStatus;
        const record = this.buckets.update(args.canister_id.toText(), (b) => (b.status = status));
        return record ? { Ok: this.bucketValue(record) } : { Err: { NotFound: null } };
    }

    @query([], C.BucketsResult)
    list_buckets() {
        const admin = this.requireAdmin();
        if ('Err' in admin) return admin;
        return { Ok: this.buckets.list().map((b) => this.bucketValue(b)) };
    }

    @update([IDL.Principal], C.UnitResult)
    add_admin(principal: Principal) {
        const admin = this.requireAdmin();
        if ('Err' in admin) return admin;
        if (principal.isAnonymous()) return { Err: { InvalidRequest: 'the anonymous principal cannot be an admin' } };
        this.admins.insert(principal.toText(), '1');
        return { Ok: null };
    }

    @update([IDL.Principal], C.UnitResult)
    remove_admin(principal: Principal) {
        const admin = this.requireAdmin();
        if ('Err' in admin) return admin;
        this.admins.remove(principal.toText());
        return { Ok: null };
    }

    @query([], C.AdminsResult)
    list_admins() {
        const admin = this.requireAdmin();
        if ('Err' in admin) return admin;
        return { Ok: this.admins.keys().map((p) => Principal.fromText(p)) };
    }

    @query([], C.Config)
    get_config() {
        return this.configValue();
    }

    @update([C.ConfigUpdate], C.ConfigResult)
    set_config(args: { default_ttl_seconds: Opt<number>; max_ttl_seconds: Opt<number>; upload_grant_ttl_seconds: Opt<number>; skew_seconds: Opt<number> }) {
        const admin = this.requireAdmin();
        if ('Err' in admin) return admin;
        const result = applyAuthConfig(this.config, {
            ...(args.default_ttl_seconds[0] !== undefined ? { defaultTtlSeconds: args.default_ttl_seconds[0] } : {}),
            ...(args.max_ttl_seconds[0] !== undefined ? { maxTtlSeconds: args.max_ttl_seconds[0] } : {}),
            ...(args.upload_grant_ttl_seconds[0] !== undefined ? { uploadGrantTtlSeconds: args.upload_grant_ttl_seconds[0] } : {}),
            ...(args.skew_seconds[0] !== undefined ? { skewSeconds: args.skew_seconds[0] } : {})
        });
        if ('Err' in result) return { Err: { InvalidRequest: result.Err } };
        this.config = result.Ok;
        this.configStore.insert('config', JSON.stringify(result.Ok));
        return { Ok: this.configValue() };
    }

    @update([], C.RotateResult)
    async rotate_keys() {
        const admin = this.requireAdmin();
        if ('Err' in admin) return admin;
        return await this.rotate();
    }

    @query([], C.KeyStatusResult)
    key_status() {
        const admin = this.requireAdmin();
        if ('Err' in admin) return admin;
        return {
            Ok: {
                version: BigInt(this.keys.version),
                keys: this.keys.masters.map((m) => ({
                    kid: m.kid,
                    state: m.state === 'active' ? { active: null } : { verify_only: null },
                    created_at: BigInt(m.createdAt)
                })),
                buckets: this.buckets.list().map((b) => ({
                    canister_id: Principal.fromText(b.id),
                    acknowledged_version: BigInt(b.ackedVersion),
                    acknowledged_kid: opt(b.ackedKid),
                    last_push_at: opt(b.lastPushAt === undefined ? undefined : BigInt(b.lastPushAt)),
                    last_error: opt(b.lastError),
                    failed_attempts: b.failedAttempts,
                    next_retry_at: opt(b.nextRetryAt === undefined ? undefined : BigInt(b.nextRetryAt)),
                    pending_revocations: this.revocations.count(b.id),
                    revocation_error: opt(b.revocationError)
                }))
            }
        };
    }

    @update([IDL.Vec(C.ImportedMemory)], C.ImportResult)
    import_memories(memories: { owner: Principal; title: string; bucket: Opt<Principal>; grants: { principal: Principal; role: RoleValue }[] }[]) {
        const admin = this.requireAdmin();
        if ('Err' in admin) return admin;
        if (memories.length > MAX_IMPORT_MEMORIES) return { Err: { InvalidRequest: `at most ${MAX_IMPORT_MEMORIES} memories per call` } };
        if (memories.reduce((n, m) => n + m.grants.length, 0) > MAX_IMPORT_GRANTS) return { Err: { InvalidRequest: `at most ${MAX_IMPORT_GRANTS} grants per call` } };
        // Validate everything first: a bad entry refuses the whole call before anything is written.
        for (const m of memories) {
            const title = this.validTitle(m.title);
            if (typeof title !== 'string') return title;
            if (m.owner.isAnonymous()) return { Err: { InvalidRequest: 'the anonymous principal cannot own a memory' } };
            if (m.bucket[0] && !this.buckets.get(m.bucket[0].toText())) return { Err: { InvalidRequest: 'unknown bucket' } };
            if (m.grants.length > MAX_GRANTS_PER_MEMORY) return { Err: { InvalidRequest: `a memory can be shared with at most ${MAX_GRANTS_PER_MEMORY} principals` } };
        }
        const ids: string[] = [];
        for (const m of memories) {
            // Whole memories only: stop early rather than exceed the message's instruction limit.
            if (performanceCounter(0) > IMPORT_INSTRUCTION_BUDGET) break;
            const created = this.createMemory(m.owner.toText(), this.validTitle(m.title) as string, m.bucket[0]?.toText());
            if ('Err' in created) return ids.length === 0 ? created : { Ok: ids };
            for (const g of m.grants) {
                const role = roleName(g.role);
                if (role !== 'owner' && !g.principal.isAnonymous() && g.principal.toText() !== m.owner.toText()) {
                    this.directory.setRole(created.Ok.id, g.principal.toText(), role);
                }
            }
            ids.push(created.Ok.id);
        }
        return { Ok: ids };
    }

    // ---- internals: setup, callers ----------------------------------------------------------------

    private setup(): void {
        const storedConfig = this.configStore.get('config');
        this.config = storedConfig ? (JSON.parse(storedConfig) as AuthConfig) : DEFAULT_AUTH_CONFIG;
        const storedKeys = this.keyStore.get('keys');
        this.keys = storedKeys ? (JSON.parse(storedKeys) as KeyState) : EMPTY_KEY_STATE;
        this.signers = new Map();
        for (const bucket of this.buckets.ids()) this.warmCaches(bucket);
        // raw_rand is not allowed inside init: the first keys come from a zero-delay timer.
        setTimer(0, () => this.bootstrap());
        setTimerInterval(MAINTENANCE_SECONDS, () => this.maintenance());
    }

    private authenticated(): { Ok: string } | { Err: AuthError } {
        const caller = msgCaller();
        return caller.isAnonymous() ? { Err: { Anonymous: null } } : { Ok: caller.toText() };
    }

    private requireAdmin(): { Ok: string } | { Err: AuthError } {
        const caller = this.authenticated();
        if ('Err' in caller) return caller;
        return isController(msgCaller()) || this.admins.containsKey(caller.Ok) ? caller : { Err: { NotAuthorized: null } };
    }

    private requireRole(memoryId: string, needed: Role): { Ok: { caller: string; memory: MemoryRecord; role: Role } } | { Err: AuthError } {
        const caller = this.authenticated();
        if ('Err' in caller) return caller;
        if (!isValidId(memoryId)) return { Err: { InvalidRequest: 'invalid memory id' } };
        const memory = this.directory.get(memoryId);
        const role = memory && this.directory.roleOf(memoryId, caller.Ok);
        // A caller with no role learns nothing, not even that the memory exists.
        if (!memory || role === undefined) return { Err: { NotFound: null } };
        if (!atLeast(role, needed)) return { Err: { NotAuthorized: null } };
        return { Ok: { caller: caller.Ok, memory, role: role! } };
    }

    private validTitle(title: string): string | { Err: AuthError } {
        const trimmed = title.trim();
        return trimmed.length > MAX_TITLE_LENGTH ? { Err: { InvalidRequest: `title longer than ${MAX_TITLE_LENGTH} characters` } } : trimmed;
    }

    private createMemory(owner: string, title: string, bucketId: string | undefined): { Ok: MemoryRecord } | { Err: AuthError } {
        const seedHex = this.keyStore.get('idSeed');
        if (!seedHex || !isReady(this.keys)) return { Err: { NotReady: null } };
        const bucket = bucketId ? this.buckets.get(bucketId) : this.buckets.place();
        if (!bucket) return bucketId ? { Err: { InvalidRequest: 'unknown bucket' } } : { Err: { NoBucket: null } };
        const counter = Number(this.keyStore.get('memoryCounter') ?? '0');
        this.keyStore.insert('memoryCounter', String(counter + 1));
        const record: MemoryRecord = { id: memoryIdFor(fromHex(seedHex), counter), owner, bucket: bucket.id, title, createdAt: time().toString() };
        this.directory.create(record);
        this.buckets.update(bucket.id, (b) => (b.memoryCount += 1));
        return { Ok: record };
    }

    // ---- internals: minting ---------------------------------------------------------------------

    private decodeArgs<T>(decode: () => T): T | undefined {
        try {
            return decode();
        } catch (error) {
            msgReject(`invalid arguments: ${(error as Error).message ?? String(error)}`);
            return undefined;
        }
    }

    private mint(purpose: TokenPurpose, needed: Role, memoryId: string, variants: string[], assetIds: string[] | undefined, ttl: number): MintResultWire {
        const member = this.requireRole(memoryId, needed);
        if ('Err' in member) return member;
        const bucket = this.buckets.get(member.Ok.memory.bucket);
        const master = bucket && mintingMaster(this.keys, bucket);
        if (!bucket || !master) return { Err: { NotReady: null } };
        const result = mintForMemory({
            purpose,
            memoryId,
            bucket: bucket.id,
            caller: member.Ok.caller,
            variants,
            ...(assetIds !== undefined ? { assetIds } : {}),
            ttlSeconds: ttl,
            nowSeconds: Number(time() / 1_000_000_000n),
            ...(member.Ok.memory.tokensNotBefore !== undefined ? { notBefore: member.Ok.memory.tokensNotBefore } : {}),
            nonce: randomNonce(),
            signer: { kid: master.kid, sign: this.signerFor(master, bucket.id, false) }
        });
        if ('Err' in result) return { Err: { InvalidRequest: result.Err } };
        const { token, expiresAt, kid } = result.Ok;
        return { Ok: { token, bucket: this.principalBytes(bucket.id), expiresAt, kid } };
    }

    /** The keyed signer of a master for a bucket; cached on the heap (the cache persists only from updates). */
    private signerFor(master: MasterKey, bucket: string, remember: boolean): TokenSigner {
        const cacheKey = `${bucket}|${master.kid}`;
        let signer = this.signers.get(cacheKey);
        if (!signer) {
            signer = createTokenSigner({ kid: master.kid, secret: deriveFromMaster(master, bucket) });
            if (remember) this.signers.set(cacheKey, signer);
        }
        return signer;
    }

    private principalBytes(id: string): Uint8Array {
        let bytes = this.bucketBytes.get(id);
        if (!bytes) {
            bytes = Principal.fromText(id).toUint8Array();
            this.bucketBytes.set(id, bytes);
        }
        return bytes;
    }

    /** Fills the heap caches for a bucket (called from updates and timers, where they persist). */
    private warmCaches(bucket: string): void {
        this.principalBytes(bucket);
        for (const master of this.keys.masters) this.signerFor(master, bucket, true);
    }

    // ---- internals: keys --------------------------------------------------------------------------

    private saveKeys(state: KeyState): void {
        this.keys = state;
        this.keyStore.insert('keys', JSON.stringify(state));
    }

    private async bootstrap(): Promise<void> {
        if (!this.keyStore.get('idSeed')) {
            try {
                this.keyStore.insert('idSeed', hex(await this.rawRand()));
            } catch {
                setTimer(MAINTENANCE_SECONDS, () => this.bootstrap());
                return;
            }
        }
        if (!isReady(this.keys)) await this.rotate();
    }

    private async rawRand(): Promise<Uint8Array> {
        return await call<[], Uint8Array>('aaaaa-aa', 'raw_rand', { returnIdlType: IDL.Vec(IDL.Nat8) });
    }

    private async rotate(): Promise<{ Ok: { kid: string; version: bigint; merged: boolean } } | { Err: AuthError }> {
        const reserved = reserveRotation(this.keys, time());
        if (reserved.merged) return { Ok: { kid: reserved.kid, version: BigInt(this.keys.version), merged: true } };
        this.saveKeys(reserved.state);
        let secret: Uint8Array;
        try {
            secret = await this.rawRand();
        } catch (error) {
            this.saveKeys(abandonRotation(this.keys));
            return { Err: { CallFailed: `raw_rand: ${rejectMessage(error)}` } };
        }
        // Read the state again after the await: a retirement may have changed it meanwhile.
        const state = completeRotation(this.keys, reserved.kid, secret, time());
        this.saveKeys(state);
        for (const bucket of this.buckets.ids()) this.warmCaches(bucket);
        setTimer(0, () => this.maintenance());
        return { Ok: { kid: reserved.kid, version: BigInt(state.version), merged: false } };
    }

    /** Timer work: retire old kids, push keyrings, retry bucket deletions, refresh bucket usage. */
    private async maintenance(): Promise<void> {
        if (this.maintenanceRunning) return;
        this.maintenanceRunning = true;
        try {
            const now = time();
            const retired = retirable(this.keys, this.buckets.list(), now, BigInt(overlapSeconds(this.config)) * 1_000_000_000n);
            if (retired.length > 0) {
                this.saveKeys(retire(this.keys, retired));
                for (const key of [...this.signers.keys()]) if (retired.some((kid) => key.endsWith(`|${kid}`))) this.signers.delete(key);
            }
            const due = pushesDue(this.keys, this.buckets.list(), now);
            for (const bucket of due) this.buckets.update(bucket.id, (b) => (b.pushInFlight = true));
            const revocationsDue = this.buckets.list().filter((b) => revocationPushDue(b, this.revocations.count(b.id), now));
            for (const bucket of revocationsDue) this.buckets.update(bucket.id, (b) => (b.revocationsInFlight = true));
            await Promise.all([
                ...due.map((b) => this.push(b.id)),
                ...revocationsDue.map((b) => this.pushRevocations(b.id, now)),
                this.retryDeletions(now),
                this.refreshUsage(now)
            ]);
        } finally {
            this.maintenanceRunning = false;
        }
    }

    private async push(bucketId: string): Promise<void> {
        const keyring = keyringFor(this.keys, bucketId);
        let outcome: PushOutcome;
        try {
            const result = await call<[unknown], { Ok: { version: bigint; keys: { kid: string; state: { active?: null } }[] } } | { Err: Record<string, unknown> }>(bucketId, 'set_keyring', {
                paramIdlTypes: [B.KeyringUpdate],
                returnIdlType: B.SetKeyringResult,
                args: [
                    {
                        version: keyring.version,
                        keys: keyring.entries.map((e) => ({ kid: e.kid, secret: e.secret, state: e.state === 'active' ? { active: null } : { verify_only: null }, not_after: [] }))
                    }
                ]
            });
            if ('Ok' in result) {
                const active = result.Ok.keys.find((k) => 'active' in k.state)?.kid;
                outcome = { kind: 'acknowledged', version: result.Ok.version, ...(active !== undefined ? { activeKid: active } : {}) };
            } else {
                outcome = { kind: 'refused', error: `set_keyring refused: ${JSON.stringify(result.Err, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}` };
            }
        } catch (error) {
            outcome = { kind: 'failed', error: rejectMessage(error) };
        }
        // Read the bucket again after the await: it may have changed (or be gone) meanwhile.
        this.buckets.update(bucketId, (record) => recordPush(record, outcome, time(), retryDelayNanos));
        this.warmCaches(bucketId);
    }

    /** Voids every token for the memory issued until now: recorded for minting, pushed to its bucket next round. */
    private revokeTokens(memory: MemoryRecord): void {
        const cutoff = revocationCutoff(time(), memory.tokensNotBefore);
        this.directory.setTokensNotBefore(memory.id, cutoff);
        this.revocations.add(memory.bucket, memory.id, cutoff);
        setTimer(0, () => this.maintenance());
    }

    private async pushRevocations(bucketId: string, now: bigint): Promise<void> {
        const batch: PendingRevocation[] = this.revocations.batch(bucketId, Number(now / 1_000_000_000n));
        let outcome: RevocationPushOutcome;
        try {
            const result = await call<[unknown], { Ok: { active: bigint } } | { Err: Record<string, unknown> }>(bucketId, 'revoke_tokens', {
                paramIdlTypes: [IDL.Vec(B.Revocation)],
                returnIdlType: B.RevokeTokensResult,
                args: [batch.map((r) => ({ memory_id: r.memoryId, not_before: BigInt(r.notBefore) }))]
            });
            outcome = 'Ok' in result ? { kind: 'acknowledged' } : { kind: 'failed', error: `revoke_tokens refused: ${JSON.stringify(result.Err)}` };
        } catch (error) {
            outcome = { kind: 'failed', error: rejectMessage(error) };
        }
        if (outcome.kind === 'acknowledged') this.revocations.acknowledge(bucketId, batch);
        this.buckets.update(bucketId, (record) => recordRevocationPush(record, outcome, time(), retryDelayNanos));
        // More than one batch pending: go on next round.
        if (outcome.kind === 'acknowledged' && this.revocations.count(bucketId) > 0) setTimer(0, () => this.maintenance());
    }

    private async deleteInBucket(memoryId: string, bucket: string): Promise<number | undefined> {
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
    }

    private async retryDeletions(now: bigint): Promise<void> {
        for (const memoryId of this.pendingDeletions.keys()) {
            const raw = this.pendingDeletions.get(memoryId);
            if (!raw) continue;
            const pending = JSON.parse(raw) as { bucket: string; attempts: number; nextRetryAt: string };
            if (now < BigInt(pending.nextRetryAt)) continue;
            const deleted = await this.deleteInBucket(memoryId, pending.bucket);
            if (deleted !== undefined) this.pendingDeletions.remove(memoryId);
            else {
                const attempts = pending.attempts + 1;
                this.pendingDeletions.insert(memoryId, JSON.stringify({ ...pending, attempts, nextRetryAt: (time() + retryDelayNanos(attempts)).toString() }));
            }
        }
    }

    private async refreshUsage(now: bigint): Promise<void> {
        const last = this.keyStore.get('usageRefreshedAt');
        if (last !== undefined && now - BigInt(last) < USAGE_REFRESH_NANOS) return;
        this.keyStore.insert('usageRefreshedAt', now.toString());
        await Promise.all(
            this.buckets.ids().map(async (id) => {
                try {
                    const metrics = await call<[], { stored_bytes: bigint; reserved_bytes: bigint }>(id, 'metrics', { returnIdlType: B.BucketMetrics });
                    this.buckets.recordUsage(id, Number(metrics.stored_bytes + metrics.reserved_bytes), time());
                } catch {
                    // An unreachable bucket keeps its last known usage; key pushes report its errors.
                }
            })
        );
    }

    // ---- internals: Candid values -----------------------------------------------------------------

    private memoryValue(memory: MemoryRecord, role: Role, principals = new Map<string, Principal>()) {
        const principal = (text: string) => {
            let p = principals.get(text);
            if (!p) principals.set(text, (p = Principal.fromText(text)));
            return p;
        };
        return {
            id: memory.id,
            owner: principal(memory.owner),
            bucket: principal(memory.bucket),
            title: memory.title,
            created_at: BigInt(memory.createdAt),
            role: roleValue(role)
        };
    }

    private bucketValue(b: BucketRecord) {
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

    private configValue() {
        return {
            default_ttl_seconds: this.config.defaultTtlSeconds,
            max_ttl_seconds: this.config.maxTtlSeconds,
            upload_grant_ttl_seconds: this.config.uploadGrantTtlSeconds,
            skew_seconds: this.config.skewSeconds
        };
    }
}

