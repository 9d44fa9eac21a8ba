/**
 * The auth canister's fleet work (docs/auth-interface.md, "Fleet"): the bucket wasm it installs,
 * provisioning a bucket when free capacity runs low, watching and topping up the buckets' cycles,
 * and its own runway. Plain TypeScript over key-value stores and management-canister calls given
 * from outside, like AuthService, which owns it and runs its maintenance.
 */
import { bytesToHex, hexToBytes } from '@noble/hashes/utils';
import type { KeyValueStore, Result } from '@icp-private-assets/shared';
import type { BucketRecord, BucketRegistry } from './bucketRegistry';
import { BucketWasmStore, type WasmInfo } from './bucketWasm';
import { burnPerDay, CYCLES_CHECK_NANOS, runwayDays, topUpsDue, withSample, type BalanceSample, type BucketCycles } from './cyclesWatch';
import { applyFleetConfig, DEFAULT_FLEET_CONFIG, type FleetConfig, type FleetConfigUpdate } from './fleetConfig';
import { bucketUpgraded, isActive, rolloutFailed, startRollout, upgradeProblem, type Rollout } from './rollout';
import { created, failed, freeCapacity, IDLE_PROVISIONING, installed, provisioningBlocked, registered, started, type ProvisioningState } from './provisioning';
import {
    decodeBalanceSamples,
    decodeBucketCycles,
    decodeFleetConfig,
    decodeProvisioning,
    decodeRollout,
    decodeWasmInfo,
    encodeBalanceSamples,
    encodeBucketCycles,
    encodeFleetConfig,
    encodeProvisioning,
    encodeRollout,
    encodeWasmInfo
} from './storedRecords';

export interface CanisterStatus {
    readonly cycles: bigint;
    readonly moduleHash?: Uint8Array;
    readonly idleBurnPerDay: bigint;
    readonly memoryBytes: bigint;
}

/** The management canister, as the fleet uses it. Every call throws on a reject. */
export interface ManagementCalls {
    createCanister(cycles: bigint, controllers: readonly string[]): Promise<string>;
    /** Returns the chunk's hash as the IC computed it. */
    uploadChunk(canister: string, chunk: Uint8Array): Promise<Uint8Array>;
    installChunkedCode(canister: string, install: { mode: 'install' | 'upgrade'; chunkHashes: readonly Uint8Array[]; wasmHash: Uint8Array; arg: Uint8Array }): Promise<void>;
    clearChunkStore(canister: string): Promise<void>;
    canisterStatus(canister: string): Promise<CanisterStatus>;
    depositCycles(canister: string, cycles: bigint): Promise<void>;
}

export interface FleetPlatform {
    now(): bigint;
    /** This canister's principal (text). */
    self(): string;
    /** This canister's cycle balance. */
    balance(): bigint;
    isPrincipal(text: string): boolean;
    /** The Candid install argument of a bucket served by this auth canister: with this capacity, or keeping its config (upgrades). */
    bucketInstallArg(capacityBytes?: number): Uint8Array;
    readonly management: ManagementCalls;
}

export interface FleetStores {
    readonly fleet: KeyValueStore<string>;
    readonly wasmChunks: KeyValueStore<Uint8Array>;
}

/** What the fleet needs from the rest of the auth canister. */
export interface FleetHost {
    readonly buckets: BucketRegistry;
    /** Registers a provisioned bucket (idempotent) and schedules its first key push. */
    registerProvisioned(canisterId: string, capacityBytes: number): void;
    /** The bucket's own answers used as health checks; each throws when the bucket cannot answer. */
    readonly bucketCalls: { usedBytes(bucket: string): Promise<number>; keyringVersion(bucket: string): Promise<bigint> };
}

export interface FleetStatus {
    readonly config: FleetConfig;
    readonly wasm?: WasmInfo;
    readonly provisioning: ProvisioningState;
    /** Why no bucket is being provisioned now (undefined: one is due or under way). */
    readonly provisioningIdleReason?: string;
    readonly freeBytes: number;
    readonly capacityBytes: number;
    readonly balance: bigint;
    readonly burnPerDay?: bigint;
    readonly runwayDays?: bigint;
    readonly buckets: readonly BucketCycles[];
    readonly rollout?: Rollout;
    /** What needs an operator's attention; empty when all is well. */
    readonly warnings: readonly string[];
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Cycles the auth canister keeps for itself when it gives some away. Attaching more cycles than
 * the balance allows traps the whole message (nothing would be recorded), so it checks first.
 */
export const AUTH_RESERVE_CYCLES = 1_000_000_000_000n;

export class FleetService {
    readonly wasm: BucketWasmStore;
    #provisioning = false;
    #watching = false;
    #rolling = false;

    constructor(
        private readonly stores: FleetStores,
        private readonly platform: FleetPlatform,
        private readonly host: FleetHost
    ) {
        this.wasm = new BucketWasmStore(stores.fleet, stores.wasmChunks, encodeWasmInfo, decodeWasmInfo);
    }

    // ---- configuration and the wasm --------------------------------------------------------------

    config(): FleetConfig {
        const raw = this.stores.fleet.get('config');
        return raw === undefined ? DEFAULT_FLEET_CONFIG : decodeFleetConfig(raw);
    }

    setConfig(update: FleetConfigUpdate): Result<FleetConfig, string> {
        const result = applyFleetConfig(this.config(), update, (text) => this.platform.isPrincipal(text));
        if ('Ok' in result) this.stores.fleet.insert('config', encodeFleetConfig(result.Ok));
        return result;
    }

    beginWasm(sha256: Uint8Array, size: number): Result<WasmInfo, string> {
        // Between the awaits of an install its chunks are being read: a new upload waits for it.
        if (this.#provisioning && this.provisioning().phase === 'installing') return { Err: 'a bucket is being installed; try again in a few seconds' };
        if (isActive(this.rollout())) return { Err: 'a rolling upgrade is under way; wait for it to finish or fail' };
        return this.wasm.begin(bytesToHex(sha256), size);
    }

    // ---- provisioning -----------------------------------------------------------------------------

    provisioning(): ProvisioningState {
        const raw = this.stores.fleet.get('provisioning');
        return raw === undefined ? IDLE_PROVISIONING : decodeProvisioning(raw);
    }

    /** True while a bucket is being made, or one is due: a memory that found no room may retry soon. */
    provisioningUnderway(): boolean {
        const state = this.provisioning();
        if (state.phase !== 'idle') return true;
        return provisioningBlocked(state, this.host.buckets.list(), this.config(), this.wasm.installable() !== undefined, this.platform.now()) === undefined;
    }

    /** One provisioning round, or its next step after a failure or an upgrade; never two at once. */
    async provision(): Promise<void> {
        if (this.#provisioning) return;
        this.#provisioning = true;
        try {
            await this.#provisionSteps();
        } finally {
            this.#provisioning = false;
        }
    }

    async #provisionSteps(): Promise<void> {
        const config = this.config();
        let state = this.provisioning();
        if (provisioningBlocked(state, this.host.buckets.list(), config, this.wasm.installable() !== undefined, this.platform.now()) !== undefined) return;
        if (state.phase === 'idle') state = this.#saveProvisioning(started(state, this.platform.now()));

        if (state.phase === 'creating') {
            const balance = this.platform.balance();
            if (balance < config.cyclesPerBucket + AUTH_RESERVE_CYCLES) {
                this.#saveProvisioning(failed(state, `the auth canister holds ${balance} cycles: cycles_per_bucket (${config.cyclesPerBucket}) plus its reserve (${AUTH_RESERVE_CYCLES}) is more`, this.platform.now()));
                return;
            }
            try {
                const canisterId = await this.platform.management.createCanister(config.cyclesPerBucket, [this.platform.self(), ...config.operators]);
                state = this.#saveProvisioning(created(this.provisioning(), canisterId, config.cyclesPerBucket));
                this.#addSpent(config.cyclesPerBucket);
            } catch (error) {
                this.#saveProvisioning(failed(this.provisioning(), `create_canister failed: ${message(error)}`, this.platform.now()));
                return;
            }
        }

        if (state.phase === 'installing') {
            const canisterId = state.canisterId!;
            const wasm = this.wasm.installable();
            if (!wasm) {
                this.#saveProvisioning(failed(state, 'the bucket wasm is no longer ready (a new upload began)', this.platform.now()));
                return;
            }
            try {
                // A retry after a lost reply may find the module already installed.
                const status = await this.platform.management.canisterStatus(canisterId);
                if (!status.moduleHash || bytesToHex(status.moduleHash) !== wasm.info.sha256) {
                    await this.#install(canisterId, wasm.info, wasm.chunks, config.bucketCapacityBytes);
                }
                this.wasm.settle(wasm.info.sha256, { kind: 'verified' });
                state = this.#saveProvisioning(installed(this.provisioning()));
            } catch (error) {
                const text = message(error);
                if (/hash/i.test(text) && /not match/i.test(text)) this.wasm.settle(wasm.info.sha256, { kind: 'rejected', reason: text.slice(0, 300) });
                this.#saveProvisioning(failed(this.provisioning(), `installing ${canisterId} failed: ${text}`, this.platform.now()));
                return;
            }
        }

        if (state.phase === 'registering') {
            const canisterId = state.canisterId!;
            this.host.registerProvisioned(canisterId, config.bucketCapacityBytes);
            this.#saveCycles({ canisterId, toppedUp: '0' });
            this.#saveProvisioning(registered(this.provisioning(), this.platform.now()));
        }
    }

    /** Installs (with a capacity) or upgrades (keeping the bucket's config) through the chunk store. */
    async #install(canisterId: string, info: WasmInfo, chunks: readonly Uint8Array[], capacityBytes?: number): Promise<void> {
        const { management } = this.platform;
        const chunkHashes: Uint8Array[] = [];
        for (const chunk of chunks) chunkHashes.push(await management.uploadChunk(canisterId, chunk));
        try {
            const mode = capacityBytes === undefined ? 'upgrade' : 'install';
            await management.installChunkedCode(canisterId, { mode, chunkHashes, wasmHash: hexToBytes(info.sha256), arg: this.platform.bucketInstallArg(capacityBytes) });
        } finally {
            // The chunks count towards the bucket's memory; a retry uploads them again.
            await management.clearChunkStore(canisterId).catch(() => undefined);
        }
    }

    // ---- rolling upgrade --------------------------------------------------------------------------

    rollout(): Rollout | undefined {
        const raw = this.stores.fleet.get('rollout');
        return raw === undefined ? undefined : decodeRollout(raw);
    }

    /** Starts upgrading every registered bucket to the stored wasm, one at a time. */
    startRollout(): Result<Rollout, string> {
        if (isActive(this.rollout())) return { Err: 'a rolling upgrade is already under way' };
        const wasm = this.wasm.installable();
        if (!wasm) return { Err: 'no bucket wasm ready (begin_bucket_wasm, put_bucket_wasm_chunk, commit_bucket_wasm)' };
        const rollout = startRollout(wasm.info.sha256, this.host.buckets.ids(), this.platform.now());
        this.stores.fleet.insert('rollout', encodeRollout(rollout));
        return { Ok: rollout };
    }

    /** Upgrades and checks the next bucket of the roll-out; the first failure stops it. */
    async upgradeNext(): Promise<void> {
        if (this.#rolling) return;
        const rollout = this.rollout();
        if (!rollout || !isActive(rollout)) return;
        const canisterId = rollout.pending[0];
        if (canisterId === undefined) return;
        this.#rolling = true;
        try {
            const problem = await this.#upgradeBucket(canisterId, rollout.wasmSha256);
            const now = this.platform.now();
            const current = this.rollout()!;
            this.stores.fleet.insert('rollout', encodeRollout(problem === undefined ? bucketUpgraded(current, canisterId, now) : rolloutFailed(current, canisterId, problem, now)));
        } finally {
            this.#rolling = false;
        }
    }

    /** A roll-out has buckets left and none is being upgraded right now. */
    rolloutWaiting(): boolean {
        const rollout = this.rollout();
        return !this.#rolling && isActive(rollout) && (rollout?.pending.length ?? 0) > 0;
    }

    /** True while the bucket is the one being provisioned or upgraded. */
    busyWith(canisterId: string): boolean {
        const state = this.provisioning();
        const rollout = this.rollout();
        return (state.phase !== 'idle' && state.canisterId === canisterId) || (isActive(rollout) && rollout?.pending[0] === canisterId);
    }

    /** An unregistered bucket: its cycles record goes, and a roll-out no longer waits for it. */
    forget(canisterId: string): void {
        this.stores.fleet.remove(`cycles:${canisterId}`);
        const rollout = this.rollout();
        if (rollout && rollout.pending.includes(canisterId)) this.stores.fleet.insert('rollout', encodeRollout({ ...rollout, pending: rollout.pending.filter((id) => id !== canisterId) }));
    }

    async #upgradeBucket(canisterId: string, wasmSha256: string): Promise<string | undefined> {
        const wasm = this.wasm.installable();
        if (!wasm || wasm.info.sha256 !== wasmSha256) return 'the wasm of this roll-out is no longer stored';
        const { management } = this.platform;
        try {
            const before = await management.canisterStatus(canisterId);
            if (!before.moduleHash || bytesToHex(before.moduleHash) !== wasmSha256) await this.#install(canisterId, wasm.info, wasm.chunks);
        } catch (error) {
            const text = message(error);
            if (/hash/i.test(text) && /not match/i.test(text)) this.wasm.settle(wasmSha256, { kind: 'rejected', reason: text.slice(0, 300) });
            return `upgrade refused: ${text}`;
        }
        const after = await management.canisterStatus(canisterId).catch(() => undefined);
        const healthy = await this.host.bucketCalls.usedBytes(canisterId).then(
            () => true as const,
            (error: unknown) => message(error)
        );
        const keyringVersion = await this.host.bucketCalls.keyringVersion(canisterId).catch(() => undefined);
        const acked = BigInt(this.host.buckets.get(canisterId)?.ackedVersion ?? '0');
        const problem = upgradeProblem({
            ...(after?.moduleHash ? { moduleHash: bytesToHex(after.moduleHash) } : {}),
            wasmSha256,
            healthy,
            ...(keyringVersion !== undefined ? { keyringVersion } : {}),
            ackedVersion: acked
        });
        if (problem === undefined) this.wasm.settle(wasmSha256, { kind: 'verified' });
        return problem;
    }

    // ---- cycles -----------------------------------------------------------------------------------

    /** At most once a minute: every bucket's status, top-ups below the threshold, a sample of this canister's balance. */
    async watchCycles(): Promise<void> {
        if (this.#watching) return;
        const now = this.platform.now();
        const last = this.stores.fleet.get('cyclesCheckedAt');
        if (last !== undefined && now - BigInt(last) < CYCLES_CHECK_NANOS) return;
        this.#watching = true;
        try {
            this.stores.fleet.insert('cyclesCheckedAt', now.toString());
            this.stores.fleet.insert('balance', encodeBalanceSamples(withSample(this.#samples(), { at: now.toString(), balance: this.platform.balance().toString(), spent: this.#spent().toString() })));
            await Promise.all(this.host.buckets.ids().map((id) => this.#checkBucket(id)));
            const config = this.config();
            for (const bucket of topUpsDue(this.bucketCycles(), config)) await this.#topUp(bucket.canisterId, config.topUpCycles);
        } finally {
            this.#watching = false;
        }
    }

    async #checkBucket(canisterId: string): Promise<void> {
        try {
            const status = await this.platform.management.canisterStatus(canisterId);
            this.#updateCycles(canisterId, (r) => {
                r.cycles = status.cycles.toString();
                r.moduleHash = status.moduleHash ? bytesToHex(status.moduleHash) : undefined;
                r.idleBurnPerDay = status.idleBurnPerDay.toString();
                r.memoryBytes = status.memoryBytes.toString();
                r.checkedAt = this.platform.now().toString();
                r.statusError = undefined;
            });
        } catch (error) {
            this.#updateCycles(canisterId, (r) => (r.statusError = message(error).slice(0, 300)));
        }
    }

    async #topUp(canisterId: string, cycles: bigint): Promise<void> {
        if (this.platform.balance() < cycles + AUTH_RESERVE_CYCLES) {
            this.#updateCycles(canisterId, (r) => (r.topUpError = `the auth canister holds fewer than ${cycles} cycles plus its reserve (${AUTH_RESERVE_CYCLES})`));
            return;
        }
        try {
            await this.platform.management.depositCycles(canisterId, cycles);
            this.#addSpent(cycles);
            this.#updateCycles(canisterId, (r) => {
                r.toppedUp = (BigInt(r.toppedUp) + cycles).toString();
                r.lastTopUpAt = this.platform.now().toString();
                r.cycles = r.cycles === undefined ? undefined : (BigInt(r.cycles) + cycles).toString();
                r.topUpError = undefined;
            });
        } catch (error) {
            this.#updateCycles(canisterId, (r) => (r.topUpError = message(error).slice(0, 300)));
        }
    }

    bucketCycles(): BucketCycles[] {
        return this.host.buckets.ids().map((id) => {
            const raw = this.stores.fleet.get(`cycles:${id}`);
            return raw === undefined ? { canisterId: id, toppedUp: '0' } : decodeBucketCycles(raw);
        });
    }

    // ---- status -----------------------------------------------------------------------------------

    status(): FleetStatus {
        const config = this.config();
        const provisioning = this.provisioning();
        const buckets = this.host.buckets.list();
        const now = this.platform.now();
        const balance = this.platform.balance();
        const burn = burnPerDay(this.#samples());
        const runway = runwayDays(balance, burn);
        const wasm = this.wasm.info();
        const idleReason = provisioningBlocked(provisioning, buckets, config, this.wasm.installable() !== undefined, now);
        const cycles = this.bucketCycles();
        const free = freeCapacity(buckets);
        const rollout = this.rollout();
        return {
            config,
            ...(wasm ? { wasm } : {}),
            provisioning,
            ...(idleReason !== undefined ? { provisioningIdleReason: idleReason } : {}),
            freeBytes: free,
            capacityBytes: buckets.filter((b) => b.status === 'active').reduce((sum, b) => sum + b.capacityBytes, 0),
            balance,
            ...(burn !== undefined ? { burnPerDay: burn } : {}),
            ...(runway !== undefined ? { runwayDays: runway } : {}),
            buckets: cycles,
            ...(rollout ? { rollout } : {}),
            warnings: [...warnings(config, provisioning, idleReason, free, buckets, cycles, wasm, runway, balance), ...(rollout?.failed ? [`the rolling upgrade stopped at ${rollout.failed.canisterId}: ${rollout.failed.error}`] : [])]
        };
    }

    // ---- stored state -----------------------------------------------------------------------------

    #saveProvisioning(state: ProvisioningState): ProvisioningState {
        this.stores.fleet.insert('provisioning', encodeProvisioning(state));
        return state;
    }

    #saveCycles(record: BucketCycles): void {
        this.stores.fleet.insert(`cycles:${record.canisterId}`, encodeBucketCycles(record));
    }

    #updateCycles(canisterId: string, change: (record: BucketCycles) => void): void {
        const raw = this.stores.fleet.get(`cycles:${canisterId}`);
        const record: BucketCycles = raw === undefined ? { canisterId, toppedUp: '0' } : decodeBucketCycles(raw);
        change(record);
        this.#saveCycles(record);
    }

    #samples(): BalanceSample[] {
        const raw = this.stores.fleet.get('balance');
        return raw === undefined ? [] : decodeBalanceSamples(raw);
    }

    #spent(): bigint {
        return BigInt(this.stores.fleet.get('spent') ?? '0');
    }

    #addSpent(cycles: bigint): void {
        this.stores.fleet.insert('spent', (this.#spent() + cycles).toString());
    }
}

function warnings(
    config: FleetConfig,
    provisioning: ProvisioningState,
    idleReason: string | undefined,
    free: number,
    buckets: readonly BucketRecord[],
    cycles: readonly BucketCycles[],
    wasm: WasmInfo | undefined,
    runway: bigint | undefined,
    balance: bigint
): string[] {
    const out: string[] = [];
    if (provisioning.lastError !== undefined) out.push(`provisioning (${provisioning.phase}) failed ${provisioning.attempts} time(s): ${provisioning.lastError}`);
    if (free < config.minFreeBytes && idleReason !== undefined && idleReason !== 'waiting to retry') out.push(`free capacity ${free} bytes is below min_free_bytes and no bucket can be provisioned: ${idleReason}`);
    if (!buckets.some((b) => b.status === 'active' && b.usedBytes < b.capacityBytes)) out.push('no active bucket has room: create_memory answers NoBucket or NotReady');
    if (wasm?.state.kind === 'rejected') out.push(`the bucket wasm was refused at install: ${wasm.state.reason}`);
    for (const bucket of cycles) {
        if (bucket.topUpError !== undefined) out.push(`bucket ${bucket.canisterId}: top-up failed: ${bucket.topUpError}`);
        else if (bucket.cycles !== undefined && config.topUpBelowCycles > 0n && BigInt(bucket.cycles) < config.topUpBelowCycles) out.push(`bucket ${bucket.canisterId}: ${bucket.cycles} cycles, below top_up_below_cycles`);
        const record = buckets.find((b) => b.id === bucket.canisterId);
        if (record?.status === 'full') out.push(`bucket ${bucket.canisterId} is full`);
    }
    if (runway !== undefined && runway < BigInt(config.runwayWarningDays)) out.push(`the auth canister's ${balance} cycles last about ${runway} days at the measured burn`);
    if (config.topUpCycles > 0n && balance < config.topUpCycles + config.cyclesPerBucket) out.push(`the auth canister holds ${balance} cycles: not enough for a top-up and a new bucket`);
    return out;
}
