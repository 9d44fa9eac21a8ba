/**
 * The fleet in Node (fleetService.ts through AuthService, with the fake platform's management
 * canister): the bucket wasm, provisioning when free capacity runs low, failures and resumption,
 * top-ups and runway. The localnet suite (test/localnet/fleet.test.ts) runs the same with real
 * canisters.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WASM_CHUNK_BYTES } from '../src/bucketWasm';
import { AUTH_SELF, CONTROLLER, OWNER, principal, readyPlatform, S, STRANGER, fakePlatform, type FakePlatform } from './support/fakePlatform';

function okOf<T>(result: { Ok: T } | { Err: unknown } | { readonly Ok: T } | { readonly Err: unknown }): T {
    if (!('Ok' in result)) throw new Error(`expected Ok, got ${JSON.stringify(result, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`);
    return result.Ok;
}
const errOf = (result: object) => ('Err' in result ? Object.keys((result as { Err: object }).Err)[0] : 'Ok');
const errText = (result: object) => ('Err' in result ? JSON.stringify((result as { Err: unknown }).Err) : 'Ok');

const GIB = 1024 ** 3;
/** A module of 2.5 chunks, so the last chunk is short. */
const WASM = Uint8Array.from({ length: WASM_CHUNK_BYTES * 2 + WASM_CHUNK_BYTES / 2 }, (_, i) => (i * 31 + 7) & 0xff);
const sha256 = (bytes: Uint8Array) => new Uint8Array(createHash('sha256').update(bytes).digest());

function uploadWasm(p: FakePlatform, wasm = WASM, declared = sha256(wasm)): void {
    okOf(p.service.beginBucketWasm(CONTROLLER, declared, wasm.length));
    for (let i = 0; i * WASM_CHUNK_BYTES < wasm.length; i++) okOf(p.service.putBucketWasmChunk(CONTROLLER, i, wasm.subarray(i * WASM_CHUNK_BYTES, (i + 1) * WASM_CHUNK_BYTES)));
    okOf(p.service.commitBucketWasm(CONTROLLER));
}

/** Keys ready, no bucket, a wasm uploaded and a fleet config with small buckets. */
async function fleetPlatform(config: Partial<Parameters<FakePlatform['service']['setFleetConfig']>[1]> = {}): Promise<FakePlatform> {
    const p = await readyPlatform(0);
    okOf(p.service.setFleetConfig(CONTROLLER, { minFreeBytes: 1 * GIB, bucketCapacityBytes: 4 * GIB, cyclesPerBucket: 2_000_000_000_000n, ...config }));
    uploadWasm(p);
    return p;
}

describe('the bucket wasm', () => {
    it('is uploaded in 1 MiB chunks, each of the right size, and committed only when complete', () => {
        const p = fakePlatform();
        p.service.load();
        expect(errText(p.service.beginBucketWasm(CONTROLLER, new Uint8Array(31), 100))).toContain('sha256');
        expect(errText(p.service.beginBucketWasm(CONTROLLER, sha256(WASM), 200 * 1024 * 1024))).toContain('size');
        expect(errText(p.service.putBucketWasmChunk(CONTROLLER, 0, new Uint8Array(10)))).toContain('begin_bucket_wasm');
        okOf(p.service.beginBucketWasm(CONTROLLER, sha256(WASM), WASM.length));
        expect(errText(p.service.putBucketWasmChunk(CONTROLLER, 0, new Uint8Array(10)))).toContain(`must be ${WASM_CHUNK_BYTES} bytes`);
        expect(errText(p.service.putBucketWasmChunk(CONTROLLER, 3, new Uint8Array(10)))).toContain('below 3');
        okOf(p.service.putBucketWasmChunk(CONTROLLER, 2, WASM.subarray(2 * WASM_CHUNK_BYTES)));
        expect(errText(p.service.commitBucketWasm(CONTROLLER))).toContain('missing chunks: 0, 1');
        okOf(p.service.putBucketWasmChunk(CONTROLLER, 0, WASM.subarray(0, WASM_CHUNK_BYTES)));
        okOf(p.service.putBucketWasmChunk(CONTROLLER, 1, WASM.subarray(WASM_CHUNK_BYTES, 2 * WASM_CHUNK_BYTES)));
        const info = okOf(p.service.commitBucketWasm(CONTROLLER));
        expect(info).toMatchObject({ size: WASM.length, chunkCount: 3, state: { kind: 'ready' }, sha256: Buffer.from(sha256(WASM)).toString('hex') });
    });

    it('is for admins only, like every fleet method', () => {
        const p = fakePlatform();
        p.service.load();
        expect(errOf(p.service.beginBucketWasm(STRANGER, sha256(WASM), WASM.length))).toBe('NotAuthorized');
        expect(errOf(p.service.putBucketWasmChunk(OWNER, 0, WASM))).toBe('NotAuthorized');
        expect(errOf(p.service.commitBucketWasm(STRANGER))).toBe('NotAuthorized');
        expect(errOf(p.service.setFleetConfig(STRANGER, { maxBuckets: 1 }))).toBe('NotAuthorized');
        expect(errOf(p.service.fleetStatus(STRANGER))).toBe('NotAuthorized');
    });
});

describe('fleet config', () => {
    it('refuses nonsense with a reason', () => {
        const p = fakePlatform();
        p.service.load();
        expect(errText(p.service.setFleetConfig(CONTROLLER, { cyclesPerBucket: 1_000n }))).toContain('cycles_per_bucket');
        expect(errText(p.service.setFleetConfig(CONTROLLER, { bucketCapacityBytes: 0 }))).toContain('bucket_capacity_bytes');
        expect(errText(p.service.setFleetConfig(CONTROLLER, { minFreeBytes: Number.NaN }))).toContain('min_free_bytes');
        expect(errText(p.service.setFleetConfig(CONTROLLER, { operators: ['not a principal'] }))).toContain('not a principal');
        expect(errText(p.service.setFleetConfig(CONTROLLER, { operators: ['2vxsx-fae'] }))).toContain('not a principal');
        expect(errText(p.service.setFleetConfig(CONTROLLER, { operators: [principal(1), principal(1)] }))).toContain('repeat');
        expect(errText(p.service.setFleetConfig(CONTROLLER, { topUpBelowCycles: 5n, topUpCycles: 0n }))).toContain('top_up_cycles');
        expect(okOf(p.service.setFleetConfig(CONTROLLER, { operators: [principal(1)], maxBuckets: 3 }))).toMatchObject({ operators: [principal(1)], maxBuckets: 3 });
    });
});

describe('provisioning', () => {
    it('makes the first bucket without an operator: created with cycles and controllers, installed by hash, registered, given keys; memories go there', async () => {
        const p = await fleetPlatform({ operators: [principal(3)] });
        expect(errOf(p.service.createMemory(OWNER, 'too early'))).toBe('NotReady');
        await p.advance(5);
        const [id] = [...p.management.canisters.keys()];
        const canister = p.management.canisters.get(id!)!;
        expect(canister.controllers).toEqual([AUTH_SELF, principal(3)]);
        expect(canister.moduleHash).toEqual(sha256(WASM));
        expect(canister.chunkStore.size).toBe(0);
        expect(p.management.calls).toMatchObject({ createCanister: 1, uploadChunk: 3, installChunkedCode: 1, clearChunkStore: 1 });
        expect(p.buckets.get(id!)!.keyring?.entries.length).toBeGreaterThan(0);
        const bucket = okOf(p.service.listBuckets(CONTROLLER))[0]!;
        expect(bucket).toMatchObject({ id, capacityBytes: 4 * GIB, status: 'active' });
        expect(okOf(p.service.createMemory(OWNER, 'placed')).bucket).toBe(id);
        const status = okOf(p.service.fleetStatus(CONTROLLER));
        expect(status.provisioning).toMatchObject({ phase: 'idle', provisionedCount: 1, cyclesSpent: '2000000000000', lastProvisioned: { canisterId: id } });
        expect(status.wasm?.state).toEqual({ kind: 'verified' });
        expect(status.provisioningIdleReason).toBe('enough free capacity');
    });

    it('adds a bucket when usage brings free capacity under the threshold, one at a time, up to max_buckets', async () => {
        const p = await fleetPlatform({ maxBuckets: 2 });
        await p.advance(5);
        const [first] = [...p.management.canisters.keys()];
        p.buckets.get(first!)!.usedBytes = 3.5 * GIB;
        await p.advance(60); // usage refresh, then provisioning in the same maintenance round or the next
        await p.advance(5);
        expect(p.management.canisters.size).toBe(2);
        const second = [...p.management.canisters.keys()].find((id) => id !== first)!;
        p.buckets.get(second)!.usedBytes = 3.6 * GIB;
        p.buckets.get(first!)!.usedBytes = 3.6 * GIB;
        await p.advance(60);
        await p.advance(5);
        expect(p.management.canisters.size).toBe(2);
        const status = okOf(p.service.fleetStatus(CONTROLLER));
        expect(status.provisioningIdleReason).toBe('max_buckets (2) reached');
        expect(status.warnings.join('\n')).toContain('below min_free_bytes and no bucket can be provisioned: max_buckets (2) reached');
    });

    it('does not try to give away cycles it does not have (that would trap): it says so and retries', async () => {
        const p = await fleetPlatform();
        p.management.balance = 2_500_000_000_000n;
        await p.advance(5);
        expect(p.management.calls.createCanister).toBe(0);
        expect(okOf(p.service.fleetStatus(CONTROLLER)).provisioning.lastError).toContain('plus its reserve');
        p.management.balance = 10_000_000_000_000n;
        await p.advance(300);
        await p.advance(5);
        expect(p.management.canisters.size).toBe(1);
    });

    it('retries a failed create with backoff, reports it, and makes one canister once it works', async () => {
        const p = await fleetPlatform();
        p.management.createFails = 'insufficient cycles';
        await p.advance(5);
        let status = okOf(p.service.fleetStatus(CONTROLLER));
        expect(status.provisioning).toMatchObject({ phase: 'creating', attempts: 1, lastError: 'create_canister failed: insufficient cycles' });
        expect(status.warnings.join('\n')).toContain('provisioning (creating) failed 1 time(s)');
        await p.advance(5);
        await p.advance(5);
        status = okOf(p.service.fleetStatus(CONTROLLER));
        expect(status.provisioning.attempts).toBeGreaterThanOrEqual(2);
        expect(BigInt(status.provisioning.nextRetryAt!)).toBeGreaterThan(p.clock.now);
        p.management.createFails = undefined;
        await p.advance(300);
        await p.advance(5);
        expect(p.management.canisters.size).toBe(1);
        expect(okOf(p.service.fleetStatus(CONTROLLER)).provisioning).toMatchObject({ phase: 'idle', provisionedCount: 1 });
        expect(okOf(p.service.fleetStatus(CONTROLLER)).provisioning.lastError).toBeUndefined();
    });

    it('resumes after an upgrade with the canister it already created (no second create)', async () => {
        const p = await fleetPlatform();
        p.management.installFails = 'the subnet is busy';
        await p.advance(5);
        expect(okOf(p.service.fleetStatus(CONTROLLER)).provisioning).toMatchObject({ phase: 'installing', attempts: 1 });
        const upgraded = p.upgrade();
        p.management.installFails = undefined;
        await upgraded.advance(300);
        await upgraded.advance(5);
        expect(p.management.calls.createCanister).toBe(1);
        expect(okOf(upgraded.service.fleetStatus(CONTROLLER)).provisioning).toMatchObject({ phase: 'idle', provisionedCount: 1 });
        expect(okOf(upgraded.service.listBuckets(CONTROLLER))).toHaveLength(1);
    });

    it('marks a wasm whose hash does not match as rejected, and says so', async () => {
        const p = await readyPlatform(0);
        okOf(p.service.setFleetConfig(CONTROLLER, { minFreeBytes: GIB, bucketCapacityBytes: 4 * GIB }));
        uploadWasm(p, WASM, sha256(new Uint8Array(5)));
        await p.advance(5);
        const status = okOf(p.service.fleetStatus(CONTROLLER));
        expect(status.wasm?.state.kind).toBe('rejected');
        expect(status.warnings.join('\n')).toContain('the bucket wasm was refused at install');
        expect(status.provisioningIdleReason).toBe('waiting to retry');
        expect(errOf(p.service.createMemory(OWNER, 'nowhere'))).toBe('NotReady');
        // A corrected upload starts over and succeeds with the canister already made.
        await p.advance(60);
        uploadWasm(p);
        await p.advance(300);
        await p.advance(5);
        expect(p.management.calls.createCanister).toBe(1);
        expect(okOf(p.service.listBuckets(CONTROLLER))).toHaveLength(1);
    });

    it('answers NoBucket (not retryable) when nothing has room and nothing can be provisioned', async () => {
        const p = await readyPlatform(0);
        okOf(p.service.setFleetConfig(CONTROLLER, { maxBuckets: 0 }));
        expect(errOf(p.service.createMemory(OWNER, 'nowhere'))).toBe('NoBucket');
    });
});

describe('cycles', () => {
    it('tops up a bucket below the threshold from the auth canister’s balance, and reports what it could not', async () => {
        const p = await fleetPlatform({ topUpBelowCycles: 3_000_000_000_000n, topUpCycles: 1_000_000_000_000n });
        await p.advance(5);
        const [id] = [...p.management.canisters.keys()];
        await p.advance(60);
        expect(p.management.canisters.get(id!)!.cycles).toBe(2_500_000_000_000n);
        let bucket = okOf(p.service.fleetStatus(CONTROLLER)).buckets[0]!;
        expect(bucket).toMatchObject({ canisterId: id, toppedUp: '1000000000000', moduleHash: Buffer.from(sha256(WASM)).toString('hex') });
        p.management.balance = 10n;
        await p.advance(60);
        bucket = okOf(p.service.fleetStatus(CONTROLLER)).buckets[0]!;
        expect(bucket.topUpError).toContain('fewer than');
        const warnings = okOf(p.service.fleetStatus(CONTROLLER)).warnings.join('\n');
        expect(warnings).toContain('top-up failed');
        expect(warnings).toContain('not enough for a top-up and a new bucket');
    });

    it('measures its own burn (not counting what it gave away) and warns when the runway is short', async () => {
        const p = await fleetPlatform({ runwayWarningDays: 30 });
        await p.advance(5);
        await p.advance(60);
        // Burn 1T a day: 60 s worth per minute.
        for (let i = 0; i < 5; i++) {
            p.management.balance -= 1_000_000_000_000n / 1440n;
            await p.advance(60);
        }
        // Samples span six minutes (the first was taken before the burn began) for five minutes' burn: 5/6 T a day.
        const status = okOf(p.service.fleetStatus(CONTROLLER));
        expect(Number(status.burnPerDay)).toBeGreaterThan(0.8e12);
        expect(Number(status.burnPerDay)).toBeLessThan(0.86e12);
        expect(Number(status.runwayDays)).toBeGreaterThan(90);
        p.management.balance = 10_000_000_000_000n;
        for (let i = 0; i < 3; i++) {
            p.management.balance -= 1_000_000_000_000n / 1440n;
            await p.advance(60);
        }
        expect(okOf(p.service.fleetStatus(CONTROLLER)).warnings.join('\n')).toMatch(/last about \d+ days/);
    });

    it('records a status error for a bucket it does not control, and goes on with the others', async () => {
        const p = await fleetPlatform();
        await p.addBucket(10n * BigInt(GIB));
        await p.advance(5);
        await p.advance(60);
        const buckets = okOf(p.service.fleetStatus(CONTROLLER)).buckets;
        expect(buckets.find((b) => b.statusError !== undefined)?.statusError).toContain('controllers');
        void S;
    });
});

/** Three provisioned buckets (max 3, a threshold that always wants more). */
async function threeBuckets(): Promise<{ p: FakePlatform; ids: string[] }> {
    const p = await fleetPlatform({ minFreeBytes: 100 * GIB, maxBuckets: 3 });
    for (let i = 0; i < 6 && p.management.canisters.size < 3; i++) await p.advance(5);
    const ids = okOf(p.service.listBuckets(CONTROLLER)).map((b) => b.id);
    expect(ids).toHaveLength(3);
    return { p, ids };
}
const WASM_2 = Uint8Array.from(WASM, (b, i) => (i === 100 ? b ^ 1 : b));

describe('rolling upgrade', () => {
    it('upgrades every bucket to the stored wasm, one at a time, checking each (hash, health, keys)', async () => {
        const { p, ids } = await threeBuckets();
        uploadWasm(p, WASM_2);
        const started = okOf(p.service.upgradeBuckets(CONTROLLER));
        expect(started.pending).toEqual(ids);
        expect(errText(p.service.upgradeBuckets(CONTROLLER))).toContain('already under way');
        expect(errText(p.service.beginBucketWasm(CONTROLLER, sha256(WASM), WASM.length))).toContain('rolling upgrade');
        await p.advance(5);
        const rollout = okOf(p.service.fleetStatus(CONTROLLER)).rollout!;
        expect(rollout).toMatchObject({ done: ids, pending: [], wasmSha256: Buffer.from(sha256(WASM_2)).toString('hex') });
        expect(rollout.finishedAt).toBeDefined();
        for (const id of ids) {
            expect(p.management.canisters.get(id)!.moduleHash).toEqual(sha256(WASM_2));
            expect(p.management.canisters.get(id)!.upgrades).toBe(1);
            expect(new TextDecoder().decode(p.management.canisters.get(id)!.installArg)).toBe(`upgrade for ${AUTH_SELF}`);
        }
    });

    it('stops at the first bucket that fails and says where; the others are not touched', async () => {
        const { p, ids } = await threeBuckets();
        uploadWasm(p, WASM_2);
        p.management.installFails = 'Canister trapped in post_upgrade: broken';
        okOf(p.service.upgradeBuckets(CONTROLLER));
        await p.advance(5);
        await p.advance(5);
        const status = okOf(p.service.fleetStatus(CONTROLLER));
        expect(status.rollout).toMatchObject({ done: [], failed: { canisterId: ids[0], error: 'upgrade refused: Canister trapped in post_upgrade: broken' } });
        expect(status.warnings.join('\n')).toContain(`the rolling upgrade stopped at ${ids[0]}`);
        for (const id of ids) expect(p.management.canisters.get(id)!.upgrades ?? 0).toBe(0);
        // Fixed: a new roll-out goes through.
        p.management.installFails = undefined;
        okOf(p.service.upgradeBuckets(CONTROLLER));
        await p.advance(5);
        expect(okOf(p.service.fleetStatus(CONTROLLER)).rollout).toMatchObject({ done: ids, pending: [] });
    });

    it('fails a bucket whose keys did not survive the upgrade', async () => {
        const { p, ids } = await threeBuckets();
        uploadWasm(p, WASM_2);
        okOf(p.service.upgradeBuckets(CONTROLLER));
        p.buckets.get(ids[0]!)!.keyring = undefined;
        await p.advance(5);
        expect(okOf(p.service.fleetStatus(CONTROLLER)).rollout?.failed?.error).toContain('keys lost');
    });

    it('resumes after an upgrade of the auth canister with the buckets still pending', async () => {
        const { p, ids } = await threeBuckets();
        uploadWasm(p, WASM_2);
        okOf(p.service.upgradeBuckets(CONTROLLER));
        const upgraded = p.upgrade();
        await upgraded.advance(5);
        expect(okOf(upgraded.service.fleetStatus(CONTROLLER)).rollout).toMatchObject({ done: ids, pending: [] });
    });
});

describe('unregister_bucket', () => {
    it('takes an empty bucket out of the fleet; refuses one with memories, or a stranger', async () => {
        const { p, ids } = await threeBuckets();
        const memory = okOf(p.service.createMemory(OWNER, 'kept'));
        expect(errText(p.service.unregisterBucket(CONTROLLER, memory.bucket))).toContain('drain it first');
        expect(errOf(p.service.unregisterBucket(STRANGER, ids[0]!))).toBe('NotAuthorized');
        expect(errOf(p.service.unregisterBucket(CONTROLLER, principal(77)))).toBe('NotFound');
        const empty = ids.find((id) => id !== memory.bucket)!;
        okOf(p.service.unregisterBucket(CONTROLLER, empty));
        expect(okOf(p.service.listBuckets(CONTROLLER)).map((b) => b.id)).not.toContain(empty);
        expect(okOf(p.service.fleetStatus(CONTROLLER)).buckets.map((b) => b.canisterId)).not.toContain(empty);
        for (let i = 0; i < 5; i++) expect(okOf(p.service.createMemory(OWNER, `m${i}`)).bucket).not.toBe(empty);
    });
});
