/**
 * The auth service in Node: in-memory stores, a clock the test moves, timers run on demand, and
 * fake buckets whose answers (and failures) the test controls. Each bucket keeps what it was
 * pushed, so tests can verify tokens the way a real bucket would.
 */
import { createHash } from 'node:crypto';
import { Principal } from '@dfinity/principal';
import { Keyring, MemoryStore, type KeyringEntry } from '@icp-private-assets/shared';
import { AuthService, type AuthStores, type Caller, type PlatformCalls } from '../../src/authService';
import type { CanisterStatus, ManagementCalls } from '../../src/fleetService';
import type { PendingRevocation } from '../../src/revocationOutbox';

export const S = 1_000_000_000n;
export const START = 1_800_000_000n * S;

export const principal = (seed: number) => Principal.selfAuthenticating(new Uint8Array(32).fill(seed)).toText();
/** The n-th of many distinct principals (n up to 2^32). */
export const manyPrincipal = (n: number) => Principal.selfAuthenticating(Uint8Array.from({ length: 32 }, (_, j) => (j < 4 ? (n >> (8 * j)) & 0xff : 99))).toText();
export const bucketId = (n: number) => Principal.fromUint8Array(Uint8Array.from([0, 0, 0, 0, 0, 0x30, 0, n, 1, 1])).toText();

export const CONTROLLER: Caller = { principal: principal(10), controller: true };
export const OWNER: Caller = { principal: principal(11), controller: false };
export const VIEWER: Caller = { principal: principal(12), controller: false };
export const EDITOR: Caller = { principal: principal(13), controller: false };
export const STRANGER: Caller = { principal: principal(14), controller: false };
export const DEPUTY: Caller = { principal: principal(15), controller: false };
export const ANONYMOUS_CALLER: Caller = { principal: '2vxsx-fae', controller: false };

/** A bucket as the auth service sees it through calls: state the test can read, failures it can switch on. */
export class FakeBucket {
    keyring: { version: bigint; entries: KeyringEntry[] } | undefined;
    revoked = new Map<string, number>();
    deleted: string[] = [];
    usedBytes = 0;
    /** While true, every call to this bucket rejects as a stopped canister does. */
    stopped = false;
    calls = { setKeyring: 0, revokeTokens: 0, deleteMemory: 0, usedBytes: 0 };

    /** The keyring the bucket verifies with (what it was last pushed). */
    verifier(): Keyring {
        return Keyring.from(this.keyring?.entries ?? []);
    }
}

/** A canister the fake management canister created: cycles, chunk store, installed module. */
export interface FakeCanister {
    cycles: bigint;
    controllers: readonly string[];
    chunkStore: Map<string, Uint8Array>;
    moduleHash?: Uint8Array;
    installArg?: Uint8Array;
    upgrades?: number;
}

/** The management canister as the fleet uses it, with failures the test can switch on. */
export class FakeManagement {
    readonly canisters = new Map<string, FakeCanister>();
    /** The auth canister's own balance. */
    balance = 100_000_000_000_000n;
    createFails: string | undefined;
    installFails: string | undefined;
    calls = { createCanister: 0, uploadChunk: 0, installChunkedCode: 0, canisterStatus: 0, depositCycles: 0, clearChunkStore: 0 };
    #next = 100;

    constructor(private readonly onInstalled: (id: string) => void) {}

    readonly calls_: ManagementCalls = {
        createCanister: async (cycles, controllers) => {
            this.calls.createCanister += 1;
            if (this.createFails !== undefined) throw new Error(this.createFails);
            if (this.balance < cycles) throw new Error(`insufficient cycles: ${this.balance} < ${cycles}`);
            this.balance -= cycles;
            const id = bucketId(this.#next++);
            this.canisters.set(id, { cycles: cycles - 500_000_000_000n, controllers, chunkStore: new Map() });
            return id;
        },
        uploadChunk: async (id, chunk) => {
            this.calls.uploadChunk += 1;
            const hash = createHash('sha256').update(chunk).digest();
            this.#canister(id).chunkStore.set(hash.toString('hex'), Uint8Array.from(chunk));
            return new Uint8Array(hash);
        },
        installChunkedCode: async (id, install) => {
            this.calls.installChunkedCode += 1;
            if (this.installFails !== undefined) throw new Error(this.installFails);
            const canister = this.#canister(id);
            if (canister.moduleHash && install.mode === 'install') throw new Error(`Canister ${id} is not empty`);
            const parts = install.chunkHashes.map((h) => {
                const chunk = canister.chunkStore.get(Buffer.from(h).toString('hex'));
                if (!chunk) throw new Error(`Chunk with hash ${Buffer.from(h).toString('hex')} was not found`);
                return chunk;
            });
            const hash = createHash('sha256').update(Buffer.concat(parts)).digest();
            if (!hash.equals(Buffer.from(install.wasmHash))) throw new Error(`Wasm module hash ${hash.toString('hex')} does not match the expected hash ${Buffer.from(install.wasmHash).toString('hex')}.`);
            canister.moduleHash = new Uint8Array(hash);
            canister.installArg = install.arg;
            canister.upgrades = (canister.upgrades ?? 0) + (install.mode === 'upgrade' ? 1 : 0);
            if (install.mode === 'install') this.onInstalled(id);
        },
        clearChunkStore: async (id) => {
            this.calls.clearChunkStore += 1;
            this.#canister(id).chunkStore.clear();
        },
        canisterStatus: async (id): Promise<CanisterStatus> => {
            this.calls.canisterStatus += 1;
            const canister = this.#canister(id);
            return { cycles: canister.cycles, ...(canister.moduleHash ? { moduleHash: canister.moduleHash } : {}), idleBurnPerDay: 1_000_000n, memoryBytes: 1_000n };
        },
        depositCycles: async (id, cycles) => {
            this.calls.depositCycles += 1;
            const canister = this.#canister(id);
            this.balance -= cycles;
            canister.cycles += cycles;
        }
    };

    #canister(id: string): FakeCanister {
        const canister = this.canisters.get(id);
        if (!canister) throw new Error(`Only the controllers of the canister ${id} can control it.`);
        return canister;
    }
}

export const AUTH_SELF = Principal.fromUint8Array(Uint8Array.from([0, 0, 0, 0, 0, 0x30, 0, 0, 1, 1])).toText();

export interface FakePlatform {
    readonly service: AuthService;
    readonly stores: AuthStores;
    readonly buckets: Map<string, FakeBucket>;
    readonly management: FakeManagement;
    readonly clock: { now: bigint };
    /** Work the service asked to run later, with the time it is due. */
    readonly timers: { at: bigint; run: () => Promise<void> }[];
    instructionsUsed: bigint;
    rawRandFails: boolean;
    /** Runs every timer due by now (and those they schedule), as the IC would in the next rounds. */
    runTimers(): Promise<void>;
    /** Moves the clock and runs what became due, including the periodic maintenance. */
    advance(seconds: number): Promise<void>;
    /** Installs the service from scratch over the same stores (an upgrade). */
    upgrade(): FakePlatform;
    /** Adds a fake bucket and registers it (as the controller). */
    addBucket(capacityBytes?: bigint): Promise<string>;
}

export function fakePlatform(existing?: { stores: AuthStores; buckets: Map<string, FakeBucket>; clock: { now: bigint }; management: FakeManagement }): FakePlatform {
    const stores: AuthStores = existing?.stores ?? {
        config: new MemoryStore(),
        keys: new MemoryStore(),
        memories: new MemoryStore(),
        links: new MemoryStore(),
        buckets: new MemoryStore(),
        admins: new MemoryStore(),
        pendingDeletions: new MemoryStore(),
        revocations: new MemoryStore(),
        memoryIds: new MemoryStore(),
        schedule: new MemoryStore(),
        fleet: new MemoryStore(),
        wasmChunks: new MemoryStore()
    };
    const buckets = existing?.buckets ?? new Map<string, FakeBucket>();
    // A provisioned bucket answers key pushes like the others once its code is installed.
    const management = existing?.management ?? new FakeManagement((id) => buckets.set(id, new FakeBucket()));
    const clock = existing?.clock ?? { now: START };
    const timers: { at: bigint; run: () => Promise<void> }[] = [];
    let randomCounter = 0;
    const bucket = (id: string) => {
        const found = buckets.get(id);
        if (!found || found.stopped) throw { type: 'CallRejected', rejectCode: 5, rejectMessage: `Canister ${id} is stopped` };
        return found;
    };
    const calls: PlatformCalls = {
        async rawRand() {
            if (platform.rawRandFails) throw new Error('raw_rand unavailable');
            randomCounter += 1;
            return new Uint8Array(32).fill(randomCounter);
        },
        async setKeyring(id, keyring) {
            const b = bucket(id);
            b.calls.setKeyring += 1;
            if (!b.keyring || keyring.version > b.keyring.version) b.keyring = keyring;
            const active = b.keyring.entries.find((e) => e.state === 'active')?.kid;
            return { kind: 'acknowledged', version: b.keyring.version, ...(active !== undefined ? { activeKid: active } : {}) };
        },
        async revokeTokens(id, entries: readonly PendingRevocation[]) {
            const b = bucket(id);
            b.calls.revokeTokens += 1;
            for (const { memoryId, notBefore } of entries) b.revoked.set(memoryId, Math.max(b.revoked.get(memoryId) ?? 0, notBefore));
            return { kind: 'acknowledged' };
        },
        async deleteMemory(id, memoryId) {
            const found = buckets.get(id);
            if (!found || found.stopped) return undefined;
            found.calls.deleteMemory += 1;
            found.deleted.push(memoryId);
            return 0;
        },
        async usedBytes(id) {
            const b = bucket(id);
            b.calls.usedBytes += 1;
            return b.usedBytes;
        },
        async keyringVersion(id) {
            return bucket(id).keyring?.version ?? 0n;
        }
    };
    let nonceCounter = 0;
    const service = new AuthService(stores, {
        now: () => clock.now,
        nonce: () => new Uint8Array(12).fill(++nonceCounter & 0xff),
        instructionsUsed: () => platform.instructionsUsed,
        soon: (run, delaySeconds = 0) => {
            timers.push({ at: clock.now + BigInt(delaySeconds) * S, run });
        },
        principalBytes: (text) => Principal.fromText(text).toUint8Array(),
        calls,
        self: () => AUTH_SELF,
        balance: () => management.balance,
        isPrincipal: (text) => {
            try {
                return Principal.fromText(text).toText() === text;
            } catch {
                return false;
            }
        },
        bucketInstallArg: (capacityBytes) => new TextEncoder().encode(capacityBytes === undefined ? `upgrade for ${AUTH_SELF}` : `bucket for ${AUTH_SELF}, ${capacityBytes} bytes`),
        management: management.calls_
    });
    let lastMaintenance = clock.now;
    const platform: FakePlatform = {
        service,
        stores,
        buckets,
        management,
        clock,
        timers,
        instructionsUsed: 0n,
        rawRandFails: false,
        async runTimers() {
            for (let round = 0; round < 100; round++) {
                const due = timers.filter((t) => t.at <= clock.now);
                if (due.length === 0) return;
                for (const t of due) timers.splice(timers.indexOf(t), 1);
                for (const t of due) await t.run();
            }
            throw new Error('timers keep rescheduling themselves');
        },
        async advance(seconds) {
            clock.now += BigInt(seconds) * S;
            // The canister's interval timer runs maintenance every 5 s.
            if (clock.now - lastMaintenance >= 5n * S) {
                lastMaintenance = clock.now;
                timers.push({ at: clock.now, run: () => service.maintenance() });
            }
            await platform.runTimers();
        },
        upgrade() {
            const next = fakePlatform({ stores, buckets, clock, management });
            next.service.load();
            next.service.forgetCallsInFlight();
            return next;
        },
        async addBucket(capacityBytes = 1_000_000_000n) {
            const id = bucketId(buckets.size + 1);
            buckets.set(id, new FakeBucket());
            const registered = service.registerBucket(CONTROLLER, id, capacityBytes);
            if (!('Ok' in registered)) throw new Error(`register_bucket: ${JSON.stringify(registered)}`);
            await platform.runTimers();
            return id;
        }
    };
    return platform;
}

/** A service with keys, `count` buckets acknowledged, and nothing else. */
export async function readyPlatform(count = 1): Promise<FakePlatform> {
    const platform = fakePlatform();
    platform.service.load();
    await platform.runTimers();
    for (let i = 0; i < count; i++) await platform.addBucket();
    return platform;
}
