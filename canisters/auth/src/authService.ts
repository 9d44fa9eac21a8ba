/**
 * The auth canister's rules and orchestration, as plain TypeScript over key-value stores, with
 * everything from the platform injected (caller, time, randomness, inter-canister calls), so that
 * unit tests run it in Node with a fake platform (test/support/fakePlatform.ts). The Azle class in
 * index.ts only converts Candid, reads the caller and wires the stable maps.
 *
 * Every method about a memory or the fleet asks the permission table (permissions.ts). Principals
 * are text; times are nanoseconds unless named otherwise; results are `{ Ok } | { Err }` with the
 * Candid AuthError variants.
 */
import { bytesToHex, hexToBytes } from '@noble/hashes/utils';
import { createTokenSigner, isValidId, VARIANTS, type KeyValueStore, type KeyringEntry, type Result, type TokenPurpose, type TokenSigner } from '@icp-private-assets/shared';
import { applyAuthConfig, DEFAULT_AUTH_CONFIG, overlapSeconds, readTokenTtl, type AuthConfig, type AuthConfigUpdate } from './authConfig';
import { BucketRegistry, retryDelayNanos, type BucketRecord, type BucketStatus } from './bucketRegistry';
import type { WasmInfo } from './bucketWasm';
import type { FleetConfig, FleetConfigUpdate } from './fleetConfig';
import { FleetService, type FleetPlatform, type FleetStatus } from './fleetService';
import type { Rollout } from './rollout';
import type { AuthErrorValue as AuthError } from './candid';
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
import { MAX_TITLE_LENGTH, MemoryDirectory, type MemoryRecord } from './memoryDirectory';
import { memoryIdFor } from './memoryIds';
import { denial, type Action } from './permissions';
import { recordRevocationPush, revocationCutoff, RevocationOutbox, revocationPushDue, type PendingRevocation, type RevocationPushOutcome } from './revocationOutbox';
import type { MintedWire } from './mintCandid';
import { atLeast, type Role } from './roles';
import { decodeConfig, decodeKeyState, decodePendingDeletion, encodeConfig, encodeKeyState, encodePendingDeletion } from './storedRecords';
import { mintForMemory, type Minted } from './tokenMinting';

/** The anonymous principal's text form. */
export const ANONYMOUS = '2vxsx-fae';
export const MAX_BATCH = 100;

/** Why a batch mint is refused as a whole (answered as a reject: no program branches on it), or undefined. */
export function batchSizeError(count: number): string | undefined {
    return count > MAX_BATCH ? `invalid arguments: at most ${MAX_BATCH} memories per batch, got ${count}` : undefined;
}
export const MAX_LIST = 100;
export const MAX_IMPORT_MEMORIES = 1_000;
export const MAX_IMPORT_GRANTS = 10_000;
/** import_memories stops before the next memory once a call has used this many instructions (the IC allows 40B). */
export const IMPORT_INSTRUCTION_BUDGET = 30_000_000_000n;
/** Grantees per memory: keeps delete_memory (which removes every grant) within one message. */
export const MAX_GRANTS_PER_MEMORY = 1_000;
/** The maintenance timer's period. */
export const MAINTENANCE_SECONDS = 5;
const USAGE_REFRESH_NANOS = 60n * 1_000_000_000n;

export interface Caller {
    readonly principal: string;
    readonly controller: boolean;
}

export interface PlatformCalls {
    /** 32 bytes from the management canister's raw_rand. */
    rawRand(): Promise<Uint8Array>;
    setKeyring(bucket: string, keyring: { version: bigint; entries: KeyringEntry[] }): Promise<PushOutcome>;
    revokeTokens(bucket: string, entries: readonly PendingRevocation[]): Promise<RevocationPushOutcome>;
    /** The number of assets deleted, or undefined when the call failed. */
    deleteMemory(bucket: string, memoryId: string): Promise<number | undefined>;
    /** Stored plus reserved bytes; throws when the bucket cannot be reached. */
    usedBytes(bucket: string): Promise<number>;
    /** The keyring version the bucket holds (keyring_status); throws when it cannot answer. */
    keyringVersion(bucket: string): Promise<bigint>;
}

export interface AuthPlatform extends FleetPlatform {
    /** Nanoseconds since the epoch (ic0.time). */
    now(): bigint;
    /** 96 bits for a token's nonce. */
    nonce(): Uint8Array;
    /** Instructions used by the current message so far. */
    instructionsUsed(): bigint;
    /** Runs `run` in a following round (a zero-delay timer). */
    soon(run: () => Promise<void>, delaySeconds?: number): void;
    /** Raw bytes of a principal's text form. */
    principalBytes(text: string): Uint8Array;
    readonly calls: PlatformCalls;
}

export interface AuthStores {
    readonly config: KeyValueStore<string>;
    readonly keys: KeyValueStore<string>;
    readonly memories: KeyValueStore<string>;
    readonly links: KeyValueStore<string>;
    readonly buckets: KeyValueStore<string>;
    readonly admins: KeyValueStore<string>;
    readonly pendingDeletions: KeyValueStore<string>;
    readonly revocations: KeyValueStore<string>;
    readonly memoryIds: KeyValueStore<string>;
    readonly schedule: KeyValueStore<string>;
    readonly fleet: KeyValueStore<string>;
    readonly wasmChunks: KeyValueStore<Uint8Array>;
}

export interface MemoryView extends MemoryRecord {
    /** The caller's role. */
    readonly role: Role;
}

export interface MemoryDetail {
    readonly memory: MemoryView;
    /** Every member with their role, for the owner; empty for other members. */
    readonly grants: readonly { principal: string; role: Role }[];
    readonly revocationPending: boolean;
}

export interface ImportedMemory {
    readonly owner: string;
    readonly title: string;
    readonly bucket?: string;
    readonly grants: readonly { principal: string; role: Role }[];
}

export interface BucketKeyStatus extends BucketRecord {
    readonly pendingRevocations: number;
}

type Checked<T> = Result<T, AuthError>;

const invalid = (text: string): { Err: AuthError } => ({ Err: { InvalidRequest: text } });

function rejectMessage(error: unknown): string {
    const e = error as { rejectMessage?: string; message?: string };
    return e.rejectMessage ?? e.message ?? String(error);
}

export class AuthService {
    readonly directory: MemoryDirectory;
    readonly buckets: BucketRegistry;
    readonly revocations: RevocationOutbox;
    readonly fleet: FleetService;

    // Heap state, rebuilt by load() (after install and upgrade) and kept current by updates.
    config: AuthConfig = DEFAULT_AUTH_CONFIG;
    keys: KeyState = EMPTY_KEY_STATE;
    /** Keyed token signers per `bucket|kid`: derivation and HMAC pads done once, in updates. */
    readonly #signers = new Map<string, TokenSigner>();
    readonly #principalBytes = new Map<string, Uint8Array>();
    #maintenanceRunning = false;

    constructor(
        private readonly stores: AuthStores,
        private readonly platform: AuthPlatform
    ) {
        this.directory = new MemoryDirectory(stores.memories, stores.links);
        this.buckets = new BucketRegistry(stores.buckets);
        this.revocations = new RevocationOutbox(stores.revocations);
        this.fleet = new FleetService(stores, platform, {
            buckets: this.buckets,
            registerProvisioned: (id, capacity) => this.#registerProvisioned(id, capacity),
            bucketCalls: platform.calls
        });
    }

    // ---- life cycle ---------------------------------------------------------------------------------

    /**
     * Reads the stored state into the heap (install and upgrade), moving values stored by layout 1
     * to their own maps, and schedules the first keys if there are none.
     */
    load(): void {
        this.#migrateLayout1();
        const config = this.stores.config.get('config');
        this.config = config === undefined ? DEFAULT_AUTH_CONFIG : decodeConfig(config);
        const keys = this.stores.keys.get('keys');
        this.keys = keys === undefined ? EMPTY_KEY_STATE : decodeKeyState(keys);
        this.#signers.clear();
        for (const bucket of this.buckets.ids()) this.#warm(bucket);
        // raw_rand cannot be called inside init: the first keys come from a timer.
        this.platform.soon(() => this.bootstrap());
    }

    /** After an upgrade: calls in flight when it started will never report back. */
    forgetCallsInFlight(): void {
        for (const bucket of this.buckets.list()) {
            if (bucket.pushInFlight || bucket.revocationsInFlight) {
                this.buckets.update(bucket.id, (b) => {
                    b.pushInFlight = false;
                    b.revocationsInFlight = false;
                });
            }
        }
    }

    // ---- memories and sharing -----------------------------------------------------------------------

    createMemory(caller: Caller, title: string): Checked<MemoryView> {
        const denied = this.#deny('create_memory', caller);
        if (denied) return { Err: denied };
        const checked = this.#title(title);
        if ('Err' in checked) return checked;
        const created = this.#create(caller.principal, checked.Ok, undefined);
        return 'Err' in created ? created : { Ok: { ...created.Ok, role: 'owner' } };
    }

    /** Grants or changes a role (not owner: see transferOwnership). Lowering one revokes the tokens issued until now. */
    grant(caller: Caller, memoryId: string, grantee: string, role: Role): Checked<null> {
        const access = this.#access('share', caller, memoryId);
        if ('Err' in access) return access;
        const { memory } = access.Ok;
        const problem = this.#grantProblem(memory.owner, grantee, role);
        if (problem) return invalid(problem);
        const previous = this.directory.roleOf(memoryId, grantee);
        if (previous === undefined && this.directory.memberCount(memoryId) > MAX_GRANTS_PER_MEMORY) {
            return invalid(`a memory can be shared with at most ${MAX_GRANTS_PER_MEMORY} principals`);
        }
        this.directory.setRole(memoryId, grantee, role);
        if (previous !== undefined && !atLeast(role, previous)) this.#revokeTokens(memory);
        return { Ok: null };
    }

    /** The owner removes anyone; a member removes themself. Tokens issued until now stop working. */
    revoke(caller: Caller, memoryId: string, target: string): Checked<null> {
        const access = this.#access(target === caller.principal ? 'leave' : 'share', caller, memoryId);
        if ('Err' in access) return access;
        const { memory } = access.Ok;
        if (target === memory.owner) return invalid('the owner cannot be revoked; transfer ownership first');
        if (this.directory.removeRole(memoryId, target)) this.#revokeTokens(memory);
        return { Ok: null };
    }

    /** The new owner gets every right; the previous one stays as an editor, its older tokens revoked. */
    transferOwnership(caller: Caller, memoryId: string, newOwner: string): Checked<null> {
        const access = this.#access('transfer_ownership', caller, memoryId);
        if ('Err' in access) return access;
        if (newOwner === ANONYMOUS) return invalid('the anonymous principal cannot own a memory');
        if (newOwner === access.Ok.memory.owner) return { Ok: null };
        this.directory.transfer(memoryId, newOwner);
        this.#revokeTokens(access.Ok.memory);
        return { Ok: null };
    }

    /** Removes the memory and its grants, revokes its tokens and asks its bucket to delete the assets (retried if that fails). */
    async deleteMemory(caller: Caller, memoryId: string): Promise<Checked<{ assetsDeleted?: number }>> {
        const access = this.#access('delete_memory', caller, memoryId);
        if ('Err' in access) return access;
        const memory = this.directory.delete(memoryId)!;
        this.revocations.add(memory.bucket, memory.id, revocationCutoff(this.platform.now(), memory.tokensNotBefore));
        this.platform.soon(() => this.maintenance());
        this.buckets.update(memory.bucket, (b) => (b.memoryCount = Math.max(0, b.memoryCount - 1)));
        const deleted = await this.platform.calls.deleteMemory(memory.bucket, memory.id);
        if (deleted === undefined) {
            this.stores.pendingDeletions.insert(memory.id, encodePendingDeletion({ bucket: memory.bucket, attempts: 1, nextRetryAt: (this.platform.now() + retryDelayNanos(1)).toString() }));
        }
        return { Ok: deleted === undefined ? {} : { assetsDeleted: deleted } };
    }

    getMemory(caller: Caller, memoryId: string): Checked<MemoryDetail> {
        const access = this.#access('view_memory', caller, memoryId);
        if ('Err' in access) return access;
        const { memory, role } = access.Ok;
        return {
            Ok: {
                memory: { ...memory, role },
                grants: role === 'owner' ? this.directory.grants(memoryId) : [],
                revocationPending: this.revocations.isPending(memory.bucket, memoryId)
            }
        };
    }

    /** The caller's memories, owned and shared, newest first; anonymous callers have none. */
    listMemories(caller: Caller, limit: number | undefined, cursor: string | undefined): { memories: MemoryView[]; next?: string } {
        if (caller.principal === ANONYMOUS) return { memories: [] };
        const page = this.directory.listFor(caller.principal, Math.min(Math.max(1, limit ?? 50), MAX_LIST), cursor);
        const memories = page.items.flatMap(({ memoryId, role }) => {
            const memory = this.directory.get(memoryId);
            return memory ? [{ ...memory, role }] : [];
        });
        return { memories, ...(page.next !== undefined ? { next: page.next } : {}) };
    }

    // ---- minting (queries: nothing here may need to persist) ---------------------------------------

    mintReadToken(caller: Caller, memoryId: string, variants: readonly string[], assetIds: readonly string[] | undefined, ttlSeconds: number | undefined): Checked<MintedWire> {
        return this.#mint(caller, 'mint_read_token', 'read', memoryId, variants, assetIds, readTokenTtl(this.config, ttlSeconds));
    }

    /** Tokens for a page of memories (at most MAX_BATCH: the adapter rejects larger batches with batchSizeError). */
    mintReadTokens(caller: Caller, memoryIds: readonly string[], variants: readonly string[], ttlSeconds: number | undefined): { memoryId: string; result: Checked<MintedWire> }[] {
        const ttl = readTokenTtl(this.config, ttlSeconds);
        return memoryIds.map((memoryId) => ({ memoryId, result: this.#mint(caller, 'mint_read_token', 'read', memoryId, variants, undefined, ttl) }));
    }

    mintUploadGrant(caller: Caller, memoryId: string, variants: readonly string[], assetIds: readonly string[] | undefined): Checked<MintedWire> {
        return this.#mint(caller, 'mint_upload_grant', 'upload', memoryId, variants, assetIds, this.config.uploadGrantTtlSeconds);
    }

    /** A delete grant; without variants it covers the whole memory (all variants, no asset ids). */
    mintDeleteGrant(caller: Caller, memoryId: string, variants: readonly string[] | undefined, assetIds: readonly string[] | undefined): Checked<MintedWire> {
        return this.#mint(caller, 'mint_delete_grant', 'delete', memoryId, variants ?? VARIANTS, assetIds, this.config.defaultTtlSeconds);
    }

    // ---- administration -------------------------------------------------------------------------------

    isAdmin(caller: Caller): boolean {
        return this.#deny('administer', caller) === undefined;
    }

    registerBucket(caller: Caller, canisterId: string, capacityBytes: bigint): Checked<BucketRecord> {
        const denied = this.#deny('administer', caller);
        if (denied) return { Err: denied };
        if (capacityBytes < 1n || capacityBytes > BigInt(Number.MAX_SAFE_INTEGER)) return invalid('capacity_bytes must be between 1 and 2^53 - 1');
        const record = this.buckets.register(canisterId, Number(capacityBytes), this.platform.now());
        if (!record) return invalid('bucket already registered');
        this.#warm(record.id);
        // The new bucket gets the current keys at once (next round), then is kept current by the timer.
        this.platform.soon(() => this.maintenance());
        return { Ok: record };
    }

    setBucketStatus(caller: Caller, canisterId: string, status: BucketStatus): Checked<BucketRecord> {
        const denied = this.#deny('administer', caller);
        if (denied) return { Err: denied };
        const record = this.buckets.update(canisterId, (b) => (b.status = status));
        return record ? { Ok: record } : { Err: { NotFound: null } };
    }

    listBuckets(caller: Caller): Checked<BucketRecord[]> {
        const denied = this.#deny('administer', caller);
        return denied ? { Err: denied } : { Ok: this.buckets.list() };
    }

    addAdmin(caller: Caller, principal: string): Checked<null> {
        const denied = this.#deny('administer', caller);
        if (denied) return { Err: denied };
        if (principal === ANONYMOUS) return invalid('the anonymous principal cannot be an admin');
        this.stores.admins.insert(principal, '1');
        return { Ok: null };
    }

    removeAdmin(caller: Caller, principal: string): Checked<null> {
        const denied = this.#deny('administer', caller);
        if (denied) return { Err: denied };
        this.stores.admins.remove(principal);
        return { Ok: null };
    }

    listAdmins(caller: Caller): Checked<string[]> {
        const denied = this.#deny('administer', caller);
        return denied ? { Err: denied } : { Ok: this.stores.admins.keys() };
    }

    setConfig(caller: Caller, update: AuthConfigUpdate): Checked<AuthConfig> {
        const denied = this.#deny('administer', caller);
        if (denied) return { Err: denied };
        const result = applyAuthConfig(this.config, update);
        if ('Err' in result) return invalid(result.Err);
        this.config = result.Ok;
        this.stores.config.insert('config', encodeConfig(result.Ok));
        return { Ok: result.Ok };
    }

    // ---- the fleet (fleetService.ts) --------------------------------------------------------------------

    setFleetConfig(caller: Caller, update: FleetConfigUpdate): Checked<FleetConfig> {
        const denied = this.#deny('administer', caller);
        if (denied) return { Err: denied };
        const result = this.fleet.setConfig(update);
        if ('Err' in result) return invalid(result.Err);
        // A lower threshold or a new operator list may make a bucket due now.
        this.platform.soon(() => this.maintenance());
        return result;
    }

    beginBucketWasm(caller: Caller, sha256: Uint8Array, size: number): Checked<null> {
        const denied = this.#deny('administer', caller);
        if (denied) return { Err: denied };
        const result = this.fleet.beginWasm(sha256, size);
        return 'Err' in result ? invalid(result.Err) : { Ok: null };
    }

    putBucketWasmChunk(caller: Caller, index: number, bytes: Uint8Array): Checked<null> {
        const denied = this.#deny('administer', caller);
        if (denied) return { Err: denied };
        const result = this.fleet.wasm.put(index, bytes);
        return 'Err' in result ? invalid(result.Err) : { Ok: null };
    }

    commitBucketWasm(caller: Caller): Checked<WasmInfo> {
        const denied = this.#deny('administer', caller);
        if (denied) return { Err: denied };
        const result = this.fleet.wasm.commit();
        if ('Err' in result) return invalid(result.Err);
        this.platform.soon(() => this.maintenance());
        return result;
    }

    upgradeBuckets(caller: Caller): Checked<Rollout> {
        const denied = this.#deny('administer', caller);
        if (denied) return { Err: denied };
        const result = this.fleet.startRollout();
        if ('Err' in result) return invalid(result.Err);
        this.platform.soon(() => this.maintenance());
        return result;
    }

    /** Takes an empty bucket out of the fleet (the canister itself is left to its controllers). */
    unregisterBucket(caller: Caller, canisterId: string): Checked<null> {
        const denied = this.#deny('administer', caller);
        if (denied) return { Err: denied };
        const bucket = this.buckets.get(canisterId);
        if (!bucket) return { Err: { NotFound: null } };
        if (bucket.memoryCount > 0) return invalid(`the bucket still holds ${bucket.memoryCount} memories: drain it first`);
        if (this.fleet.busyWith(canisterId)) return invalid('the bucket is being provisioned or upgraded');
        this.buckets.remove(canisterId);
        this.revocations.clear(canisterId);
        this.fleet.forget(canisterId);
        for (const key of [...this.#signers.keys()]) if (key.startsWith(`${canisterId}|`)) this.#signers.delete(key);
        return { Ok: null };
    }

    fleetStatus(caller: Caller): Checked<FleetStatus> {
        const denied = this.#deny('administer', caller);
        return denied ? { Err: denied } : { Ok: this.fleet.status() };
    }

    async rotateKeys(caller: Caller): Promise<Checked<{ kid: string; version: bigint; merged: boolean }>> {
        const denied = this.#deny('administer', caller);
        if (denied) return { Err: denied };
        return this.#rotate();
    }

    keyStatus(caller: Caller): Checked<{ keys: KeyState; buckets: BucketKeyStatus[] }> {
        const denied = this.#deny('administer', caller);
        if (denied) return { Err: denied };
        return { Ok: { keys: this.keys, buckets: this.buckets.list().map((b) => ({ ...b, pendingRevocations: this.revocations.count(b.id) })) } };
    }

    /**
     * Bulk import for migrations: the whole list is checked first with the same rules as
     * create_memory and grant (any bad entry: nothing is written), then memories are imported in
     * order, each with its grants, until the message has used IMPORT_INSTRUCTION_BUDGET; the ids
     * imported are returned and the caller resubmits the rest.
     */
    importMemories(caller: Caller, memories: readonly ImportedMemory[]): Checked<string[]> {
        const denied = this.#deny('administer', caller);
        if (denied) return { Err: denied };
        if (memories.length > MAX_IMPORT_MEMORIES) return invalid(`at most ${MAX_IMPORT_MEMORIES} memories per call`);
        if (memories.reduce((n, m) => n + m.grants.length, 0) > MAX_IMPORT_GRANTS) return invalid(`at most ${MAX_IMPORT_GRANTS} grants per call`);
        for (const m of memories) {
            const title = this.#title(m.title);
            if ('Err' in title) return title;
            if (m.owner === ANONYMOUS) return invalid('the anonymous principal cannot own a memory');
            if (m.bucket !== undefined && !this.buckets.get(m.bucket)) return invalid('unknown bucket');
            if (m.grants.length > MAX_GRANTS_PER_MEMORY) return invalid(`a memory can be shared with at most ${MAX_GRANTS_PER_MEMORY} principals`);
            for (const g of m.grants) {
                const problem = this.#grantProblem(m.owner, g.principal, g.role);
                if (problem) return invalid(`grant to ${g.principal}: ${problem}`);
            }
        }
        const ids: string[] = [];
        for (const m of memories) {
            // Whole memories only: stop early rather than exceed the message's instruction limit.
            if (this.platform.instructionsUsed() > IMPORT_INSTRUCTION_BUDGET) break;
            const created = this.#create(m.owner, m.title.trim(), m.bucket);
            if ('Err' in created) return ids.length === 0 ? created : { Ok: ids };
            for (const g of m.grants) this.directory.setRole(created.Ok.id, g.principal, g.role);
            ids.push(created.Ok.id);
        }
        return { Ok: ids };
    }

    // ---- keys, pushes and other timer work -------------------------------------------------------

    /** First run: the memory-id seed and the first master key, both from raw_rand; retried until they exist. */
    async bootstrap(): Promise<void> {
        if (this.stores.memoryIds.get('seed') === undefined) {
            try {
                this.stores.memoryIds.insert('seed', bytesToHex(await this.platform.calls.rawRand()));
            } catch {
                this.platform.soon(() => this.bootstrap(), MAINTENANCE_SECONDS);
                return;
            }
        }
        if (!isReady(this.keys)) await this.#rotate();
    }

    /** Timer work: retire old kids, push keyrings and revocations, retry bucket deletions, refresh bucket usage. */
    async maintenance(): Promise<void> {
        if (this.#maintenanceRunning) return;
        this.#maintenanceRunning = true;
        try {
            const now = this.platform.now();
            const retired = retirable(this.keys, this.buckets.list(), now, BigInt(overlapSeconds(this.config)) * 1_000_000_000n);
            if (retired.length > 0) {
                this.#saveKeys(retire(this.keys, retired));
                for (const key of [...this.#signers.keys()]) if (retired.some((kid) => key.endsWith(`|${kid}`))) this.#signers.delete(key);
            }
            const keyPushes = pushesDue(this.keys, this.buckets.list(), now);
            for (const bucket of keyPushes) this.buckets.update(bucket.id, (b) => (b.pushInFlight = true));
            const revocationPushes = this.buckets.list().filter((b) => revocationPushDue(b, this.revocations.count(b.id), now));
            for (const bucket of revocationPushes) this.buckets.update(bucket.id, (b) => (b.revocationsInFlight = true));
            await Promise.all([
                ...keyPushes.map((b) => this.#pushKeys(b.id)),
                ...revocationPushes.map((b) => this.#pushRevocations(b.id, now)),
                this.#retryDeletions(now),
                this.#refreshUsage(now),
                this.fleet.provision(),
                this.fleet.watchCycles(),
                this.fleet.upgradeNext()
            ]);
            // A roll-out moves on as soon as a bucket is done, not at the next 5-second tick.
            if (this.fleet.rolloutWaiting()) this.platform.soon(() => this.maintenance());
        } finally {
            this.#maintenanceRunning = false;
        }
    }

    // ---- internals ------------------------------------------------------------------------------------

    #isAdmin(caller: Caller): boolean {
        return caller.controller || this.stores.admins.containsKey(caller.principal);
    }

    #deny(action: Action, caller: Caller, role?: Role): AuthError | undefined {
        return denial(action, { anonymous: caller.principal === ANONYMOUS, admin: this.#isAdmin(caller), ...(role !== undefined ? { role } : {}) });
    }

    /** The memory and the caller's role, when the permission table allows `action` on it. */
    #access(action: Action, caller: Caller, memoryId: string): Checked<{ memory: MemoryRecord; role: Role }> {
        if (caller.principal === ANONYMOUS) return { Err: { Anonymous: null } };
        if (!isValidId(memoryId)) return invalid('invalid memory id');
        const memory = this.directory.get(memoryId);
        const role = memory && this.directory.roleOf(memoryId, caller.principal);
        const denied = this.#deny(action, caller, role);
        if (denied || !memory || role === undefined) return { Err: denied ?? { NotFound: null } };
        return { Ok: { memory, role } };
    }

    /** Why `principal` cannot be given `role` on a memory owned by `owner` (grant and import share it). */
    #grantProblem(owner: string, principal: string, role: Role): string | undefined {
        if (role === 'owner') return 'use transfer_ownership to change the owner';
        if (principal === ANONYMOUS) return 'the anonymous principal cannot be granted a role';
        if (principal === owner) return 'the owner already has every right';
        return undefined;
    }

    #title(title: string): Checked<string> {
        const trimmed = title.trim();
        return trimmed.length > MAX_TITLE_LENGTH ? invalid(`title longer than ${MAX_TITLE_LENGTH} characters`) : { Ok: trimmed };
    }

    #create(owner: string, title: string, bucketId: string | undefined): Checked<MemoryRecord> {
        const seed = this.stores.memoryIds.get('seed');
        if (seed === undefined || !isReady(this.keys)) return { Err: { NotReady: null } };
        const bucket = bucketId !== undefined ? this.buckets.get(bucketId) : this.buckets.place();
        if (!bucket) {
            if (bucketId !== undefined) return invalid('unknown bucket');
            // No room anywhere: when a bucket is being provisioned, the caller may retry shortly.
            if (this.fleet.provisioningUnderway()) {
                this.platform.soon(() => this.maintenance());
                return { Err: { NotReady: null } };
            }
            return { Err: { NoBucket: null } };
        }
        const counter = Number(this.stores.memoryIds.get('counter') ?? '0');
        this.stores.memoryIds.insert('counter', String(counter + 1));
        const record: MemoryRecord = { id: memoryIdFor(hexToBytes(seed), counter), owner, bucket: bucket.id, title, createdAt: this.platform.now().toString() };
        this.directory.create(record);
        this.buckets.update(bucket.id, (b) => (b.memoryCount += 1));
        return { Ok: record };
    }

    #registerProvisioned(canisterId: string, capacityBytes: number): void {
        if (!this.buckets.get(canisterId)) this.buckets.register(canisterId, capacityBytes, this.platform.now());
        this.#warm(canisterId);
        this.platform.soon(() => this.maintenance());
    }

    #mint(caller: Caller, action: Action, purpose: TokenPurpose, memoryId: string, variants: readonly string[], assetIds: readonly string[] | undefined, ttl: number): Checked<MintedWire> {
        const access = this.#access(action, caller, memoryId);
        if ('Err' in access) return access;
        const { memory } = access.Ok;
        const bucket = this.buckets.get(memory.bucket);
        const master = bucket && mintingMaster(this.keys, bucket);
        if (!bucket || !master) return { Err: { NotReady: null } };
        const result = mintForMemory({
            purpose,
            memoryId,
            bucket: bucket.id,
            caller: caller.principal,
            variants,
            ...(assetIds !== undefined ? { assetIds } : {}),
            ttlSeconds: ttl,
            nowSeconds: Number(this.platform.now() / 1_000_000_000n),
            ...(memory.tokensNotBefore !== undefined ? { notBefore: memory.tokensNotBefore } : {}),
            nonce: this.platform.nonce(),
            signer: { kid: master.kid, sign: this.#signer(master, bucket.id, false) }
        });
        if ('Err' in result) return invalid(result.Err);
        return { Ok: this.#wire(result.Ok) };
    }

    #wire(minted: Minted): MintedWire {
        return { token: minted.token, bucket: this.#bytesOf(minted.bucket, false), expiresAt: minted.expiresAt, kid: minted.kid };
    }

    /** The keyed signer of a master for a bucket; remembered only from updates and timers (a query's heap changes vanish). */
    #signer(master: MasterKey, bucket: string, remember: boolean): TokenSigner {
        const key = `${bucket}|${master.kid}`;
        let signer = this.#signers.get(key);
        if (!signer) {
            signer = createTokenSigner({ kid: master.kid, secret: deriveFromMaster(master, bucket) });
            if (remember) this.#signers.set(key, signer);
        }
        return signer;
    }

    #bytesOf(id: string, remember: boolean): Uint8Array {
        let bytes = this.#principalBytes.get(id);
        if (!bytes) {
            bytes = this.platform.principalBytes(id);
            if (remember) this.#principalBytes.set(id, bytes);
        }
        return bytes;
    }

    /** Fills the heap caches for a bucket (from updates and timers, where they persist). */
    #warm(bucket: string): void {
        this.#bytesOf(bucket, true);
        for (const master of this.keys.masters) this.#signer(master, bucket, true);
    }

    /** Voids every token for the memory issued until now: recorded for minting, pushed to its bucket next round. */
    #revokeTokens(memory: MemoryRecord): void {
        const cutoff = revocationCutoff(this.platform.now(), memory.tokensNotBefore);
        this.directory.setTokensNotBefore(memory.id, cutoff);
        this.revocations.add(memory.bucket, memory.id, cutoff);
        this.platform.soon(() => this.maintenance());
    }

    #saveKeys(state: KeyState): void {
        this.keys = state;
        this.stores.keys.insert('keys', encodeKeyState(state));
    }

    async #rotate(): Promise<Checked<{ kid: string; version: bigint; merged: boolean }>> {
        const reserved = reserveRotation(this.keys, this.platform.now());
        if (reserved.merged) return { Ok: { kid: reserved.kid, version: BigInt(this.keys.version), merged: true } };
        this.#saveKeys(reserved.state);
        let secret: Uint8Array;
        try {
            secret = await this.platform.calls.rawRand();
        } catch (error) {
            this.#saveKeys(abandonRotation(this.keys));
            return { Err: { CallFailed: `raw_rand: ${rejectMessage(error)}` } };
        }
        // Read the state again after the await: a retirement may have changed it meanwhile.
        const state = completeRotation(this.keys, reserved.kid, secret, this.platform.now());
        this.#saveKeys(state);
        for (const bucket of this.buckets.ids()) this.#warm(bucket);
        this.platform.soon(() => this.maintenance());
        return { Ok: { kid: reserved.kid, version: BigInt(state.version), merged: false } };
    }

    async #pushKeys(bucket: string): Promise<void> {
        let outcome: PushOutcome;
        try {
            outcome = await this.platform.calls.setKeyring(bucket, keyringFor(this.keys, bucket));
        } catch (error) {
            outcome = { kind: 'failed', error: rejectMessage(error) };
        }
        // Read the bucket again after the await: it may have changed (or be gone) meanwhile.
        this.buckets.update(bucket, (record) => recordPush(record, outcome, this.platform.now(), retryDelayNanos));
        this.#warm(bucket);
    }

    async #pushRevocations(bucket: string, now: bigint): Promise<void> {
        const batch = this.revocations.batch(bucket, Number(now / 1_000_000_000n));
        let outcome: RevocationPushOutcome;
        try {
            outcome = await this.platform.calls.revokeTokens(bucket, batch);
        } catch (error) {
            outcome = { kind: 'failed', error: rejectMessage(error) };
        }
        if (outcome.kind === 'acknowledged') this.revocations.acknowledge(bucket, batch);
        this.buckets.update(bucket, (record) => recordRevocationPush(record, outcome, this.platform.now(), retryDelayNanos));
        // More than one batch pending: go on next round.
        if (outcome.kind === 'acknowledged' && this.revocations.count(bucket) > 0) this.platform.soon(() => this.maintenance());
    }

    async #retryDeletions(now: bigint): Promise<void> {
        for (const memoryId of this.stores.pendingDeletions.keys()) {
            const raw = this.stores.pendingDeletions.get(memoryId);
            if (raw === undefined) continue;
            const pending = decodePendingDeletion(raw);
            if (now < BigInt(pending.nextRetryAt)) continue;
            const deleted = await this.platform.calls.deleteMemory(pending.bucket, memoryId);
            if (deleted !== undefined) this.stores.pendingDeletions.remove(memoryId);
            else {
                const attempts = pending.attempts + 1;
                this.stores.pendingDeletions.insert(memoryId, encodePendingDeletion({ ...pending, attempts, nextRetryAt: (this.platform.now() + retryDelayNanos(attempts)).toString() }));
            }
        }
    }

    async #refreshUsage(now: bigint): Promise<void> {
        const last = this.stores.schedule.get('usageRefreshedAt');
        if (last !== undefined && now - BigInt(last) < USAGE_REFRESH_NANOS) return;
        this.stores.schedule.insert('usageRefreshedAt', now.toString());
        await Promise.all(
            this.buckets.ids().map(async (id) => {
                try {
                    this.buckets.recordUsage(id, await this.platform.calls.usedBytes(id), this.platform.now());
                } catch {
                    // An unreachable bucket keeps its last known usage; key pushes report its errors.
                }
            })
        );
    }

    /** Layout 1 kept the memory-id seed and counter and the usage timestamp in the keys map. */
    #migrateLayout1(): void {
        const moves: [string, KeyValueStore<string>, string][] = [
            ['idSeed', this.stores.memoryIds, 'seed'],
            ['memoryCounter', this.stores.memoryIds, 'counter'],
            ['usageRefreshedAt', this.stores.schedule, 'usageRefreshedAt']
        ];
        for (const [oldKey, store, newKey] of moves) {
            const value = this.stores.keys.get(oldKey);
            if (value === undefined) continue;
            store.insert(newKey, value);
            this.stores.keys.remove(oldKey);
        }
    }
}
