/**
 * The fleet on localnet, with the real bucket wasm (`azle build`) and the management canister:
 * the auth canister provisions buckets itself when free capacity runs low (they get keys and take
 * the next memories, with no operator call), reports a provisioning it cannot do, and tops up a
 * bucket below the threshold. Each test starts its own auth canister on one shared network.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Principal } from '@icp-sdk/core/principal';
import { startNetwork, type Network } from '@icp-private-assets/localnet';
import { ADMIN, errorName, ok, OWNER, startAuthSystem, type AuthSystem } from '../support/authSystem';
import { bucketWasm } from '../support/testing';

const MIB = 1024 * 1024;
const T = 1_000_000_000_000n;
const WASM = bucketWasm();
const WASM_HASH = new Uint8Array(createHash('sha256').update(WASM).digest());

let network: Network;
const systems: AuthSystem[] = [];
beforeAll(async () => {
    network = await startNetwork();
});
afterAll(async () => {
    for (const s of systems) await s.stop();
    await network?.stop();
});

const NO_CHANGE = {
    min_free_bytes: [],
    bucket_capacity_bytes: [],
    cycles_per_bucket: [],
    max_buckets: [],
    operators: [],
    top_up_below_cycles: [],
    top_up_cycles: [],
    runway_warning_days: []
};
const fleetStatus = async (s: AuthSystem) => ok(await s.auth(ADMIN).fleet_status());
const bucketList = async (s: AuthSystem) => ok(await s.auth(ADMIN).list_buckets()) as { canister_id: Principal; capacity_bytes: bigint }[];

async function uploadBucketWasm(s: AuthSystem): Promise<void> {
    ok(await s.auth(ADMIN).begin_bucket_wasm({ sha256: WASM_HASH, size: BigInt(WASM.length) }));
    for (let i = 0; i * MIB < WASM.length; i++) ok(await s.auth(ADMIN).put_bucket_wasm_chunk({ index: i, bytes: WASM.subarray(i * MIB, (i + 1) * MIB) }));
    expect(ok(await s.auth(ADMIN).commit_bucket_wasm()).state).toEqual({ ready: null });
}

/** An auth canister without buckets, its fleet configured (3 MB buckets, 2 MB minimum free), the wasm uploaded, and the first bucket provisioned. */
async function provisionedFleet(): Promise<{ s: AuthSystem; first: Principal }> {
    const s = await startAuthSystem({ buckets: [], network });
    systems.push(s);
    ok(await s.auth(ADMIN).set_fleet_config({ ...NO_CHANGE, min_free_bytes: [2_000_000n], bucket_capacity_bytes: [3_000_000n], cycles_per_bucket: [3n * T], operators: [[ADMIN]] }));
    // No bucket and no wasm: nothing can be provisioned.
    expect(errorName(await s.auth(OWNER).create_memory({ title: 'no bucket yet' }))).toBe('NoBucket');
    await uploadBucketWasm(s);
    await s.until('a bucket is provisioned and acknowledges the keys', async () => {
        const keys = ok(await s.auth(ADMIN).key_status());
        return keys.buckets.length === 1 && keys.buckets[0].acknowledged_version === keys.version;
    });
    const [bucket] = await bucketList(s);
    return { s, first: Principal.fromText(bucket!.canister_id.toText()) };
}

describe('the auth canister grows its fleet', () => {
    it('provisions the first bucket from the uploaded wasm: controllers, module hash, quota, keys, memories placed and served', async () => {
        const { s, first } = await provisionedFleet();
        expect((await bucketList(s))[0]!.capacity_bytes).toBe(3_000_000n);
        const controllers = (await s.pic.getControllers(first as never)).map((p) => p.toText()).sort();
        expect(controllers).toEqual([s.authId.toText(), ADMIN.toText()].sort());
        const status = await fleetStatus(s);
        expect(status.provisioning.provisioned_count).toBe(1);
        expect(status.provisioning.cycles_spent).toBe(3n * T);
        expect(status.wasm[0].state).toEqual({ verified: null });
        expect((await s.bucket(first).get_config()).capacity_bytes).toBe(3_000_000n);

        const memory = ok(await s.auth(OWNER).create_memory({ title: 'on the new bucket' }));
        expect(memory.bucket.toText()).toBe(first.toText());
        const content = Uint8Array.from({ length: 200_000 }, (_, i) => (i * 13) & 0xff);
        await s.upload(OWNER, memory.id, 'preview', content);
        const minted = ok(await s.auth(OWNER).mint_http_token({ memory_id: memory.id, variants: [{ preview: null }], asset_ids: [], ttl_seconds: [] }));
        const response = await s.fetchAsset(first, `/asset/${memory.id}/preview?token=${minted.token}`);
        expect(response.status).toBe(200);
        expect(new Uint8Array(response.body)).toEqual(content);
    });

    it('adds a bucket once usage brings free capacity under the threshold; new memories go to it', async () => {
        const { s, first } = await provisionedFleet();
        const memory = ok(await s.auth(OWNER).create_memory({ title: 'filling' }));
        await s.upload(OWNER, memory.id, 'original', new Uint8Array(1_200_000).fill(7), { contentType: 'video/mp4' });
        // 1.2 MB used of 3 MB: 1.8 MB free < 2 MB once the usage refresh (every 60 s) has seen it.
        await s.until('a second bucket is provisioned', async () => (await bucketList(s)).length === 2, { stepSeconds: 10, maxSteps: 30 });
        await s.keysSettled();
        const status = await fleetStatus(s);
        expect(status.provisioning.provisioned_count).toBe(2);
        expect(status.provisioning.last_provisioned[0].took_nanos).toBeGreaterThan(0n);
        const second = (await bucketList(s)).find((b) => b.canister_id.toText() !== first.toText())!;
        expect(ok(await s.auth(OWNER).create_memory({ title: 'next' })).bucket.toText()).toBe(second.canister_id.toText());
        expect(status.free_bytes).toBeGreaterThanOrEqual(2_000_000n);
    });

    it('says why it cannot provision (the auth canister lacks the cycles), retries, and provisions once it can, up to max_buckets', async () => {
        const { s } = await provisionedFleet();
        ok(await s.auth(ADMIN).set_fleet_config({ ...NO_CHANGE, min_free_bytes: [100_000_000n], cycles_per_bucket: [10n ** 19n] }));
        await s.until('the failure is reported', async () => (await fleetStatus(s)).provisioning.last_error.length > 0, { maxSteps: 10 });
        let status = await fleetStatus(s);
        expect(status.provisioning.last_error[0]).toContain('plus its reserve');
        expect(status.warnings.join('\n')).toContain('provisioning (creating) failed');
        await s.step(30);
        expect((await fleetStatus(s)).provisioning.attempts).toBeGreaterThanOrEqual(2);
        expect(await bucketList(s)).toHaveLength(1);
        ok(await s.auth(ADMIN).set_fleet_config({ ...NO_CHANGE, cycles_per_bucket: [2n * T], max_buckets: [2] }));
        await s.until('a second bucket after the retry', async () => (await bucketList(s)).length === 2, { stepSeconds: 10, maxSteps: 40 });
        status = await fleetStatus(s);
        expect(status.provisioning.last_error).toEqual([]);
        expect(status.provisioning.provisioned_count).toBe(2);
        // Still short of free capacity, but at max_buckets: said so, nothing more created.
        await s.step(30);
        status = await fleetStatus(s);
        expect(status.provisioning.idle_reason[0]).toBe('max_buckets (2) reached');
        expect(status.warnings.join('\n')).toContain('no bucket can be provisioned: max_buckets (2) reached');
        expect(await bucketList(s)).toHaveLength(2);
    });

    it('tops up a bucket whose balance is below the threshold, and reports its cycles and module', async () => {
        const { s, first } = await provisionedFleet();
        const before = BigInt(await s.pic.getCyclesBalance(first as never));
        ok(await s.auth(ADMIN).set_fleet_config({ ...NO_CHANGE, top_up_below_cycles: [before + 1n], top_up_cycles: [T] }));
        const record = async () => (await fleetStatus(s)).buckets.find((b: any) => b.canister_id.toText() === first.toText());
        await s.until('the top-up is recorded', async () => (await record()).topped_up === T, { stepSeconds: 20, maxSteps: 10 });
        expect(BigInt(await s.pic.getCyclesBalance(first as never))).toBe(before + T);
        const topped = await record();
        expect(topped.last_top_up_at).toHaveLength(1);
        expect(new Uint8Array(topped.module_hash[0])).toEqual(WASM_HASH);
        // Above the threshold now: no second top-up.
        await s.step(70);
        await s.step(70);
        expect((await record()).topped_up).toBe(T);
    });
});

/** The bucket wasm with a custom section appended: a valid module with another hash (an "upgrade"). */
function withCustomSection(wasm: Uint8Array, label: string): Uint8Array {
    const name = new TextEncoder().encode('icp-private-assets-release');
    const payload = new TextEncoder().encode(label);
    const body = [name.length, ...name, ...payload];
    return Uint8Array.from([...wasm, 0, body.length, ...body]);
}

async function uploadModule(s: AuthSystem, module: Uint8Array): Promise<Uint8Array> {
    const sha256 = new Uint8Array(createHash('sha256').update(module).digest());
    ok(await s.auth(ADMIN).begin_bucket_wasm({ sha256, size: BigInt(module.length) }));
    for (let i = 0; i * MIB < module.length; i++) ok(await s.auth(ADMIN).put_bucket_wasm_chunk({ index: i, bytes: module.subarray(i * MIB, (i + 1) * MIB) }));
    ok(await s.auth(ADMIN).commit_bucket_wasm());
    return sha256;
}

describe('rolling upgrade', () => {
    it('upgrades 5 buckets one at a time under read traffic: no read fails, old tokens keep working; a broken wasm stops at the first bucket', async () => {
        const { s } = await provisionedFleet();
        ok(await s.auth(ADMIN).set_fleet_config({ ...NO_CHANGE, min_free_bytes: [100_000_000n], max_buckets: [5] }));
        await s.until('five buckets', async () => (await bucketList(s)).length === 5, { stepSeconds: 5, maxSteps: 60 });
        await s.keysSettled();
        ok(await s.auth(ADMIN).set_fleet_config({ ...NO_CHANGE, min_free_bytes: [0n] }));
        // One asset per bucket, and a token minted before the roll-out for each.
        const reads: { bucket: Principal; path: string; bytes: Uint8Array }[] = [];
        for (const bucket of await bucketList(s)) {
            const memory = ok(await s.auth(ADMIN).import_memories([{ owner: OWNER, title: 'traffic', bucket: [bucket.canister_id], grants: [] }]))[0];
            const bytes = Uint8Array.from({ length: 30_000 }, (_, i) => (i + reads.length) & 0xff);
            await s.upload(OWNER, memory, 'thumbnail', bytes, { contentType: 'image/webp' });
            const minted = ok(await s.auth(OWNER).mint_http_token({ memory_id: memory, variants: [{ thumbnail: null }], asset_ids: [], ttl_seconds: [3600] }));
            reads.push({ bucket: Principal.fromText(bucket.canister_id.toText()), path: `/asset/${memory}/thumbnail?token=${minted.token}`, bytes });
        }
        let failedReads = 0;
        let served = 0;
        const readAll = async () => {
            for (const read of reads) {
                const response = await s.fetchAsset(read.bucket, read.path);
                served += 1;
                if (response.status !== 200 || !Buffer.from(response.body).equals(Buffer.from(read.bytes))) failedReads += 1;
            }
        };

        const next = withCustomSection(WASM, 'next');
        const nextHash = await uploadModule(s, next);
        const started = ok(await s.auth(ADMIN).upgrade_buckets());
        expect(started.pending).toHaveLength(5);
        await s.until(
            'the roll-out finishes',
            async () => {
                await readAll();
                const rollout = (await fleetStatus(s)).rollout[0];
                if (rollout.failed.length > 0) throw new Error(`roll-out failed: ${rollout.failed[0].error}`);
                return rollout.finished_at.length === 1;
            },
            { stepSeconds: 2, maxSteps: 80 }
        );
        await readAll();
        expect(failedReads).toBe(0);
        expect(served).toBeGreaterThanOrEqual(5 * 3);
        const rollout = (await fleetStatus(s)).rollout[0];
        expect(rollout.done).toHaveLength(5);
        // Every bucket runs the new module (canister_status, read once a minute by the auth canister).
        await s.step(61);
        await s.step(5);
        for (const bucket of (await fleetStatus(s)).buckets) expect(new Uint8Array(bucket.module_hash[0])).toEqual(nextHash);

        // A module the IC refuses: the roll-out stops at the first bucket; every bucket keeps serving.
        await uploadModule(s, WASM.subarray(0, 4096));
        ok(await s.auth(ADMIN).upgrade_buckets());
        await s.until('the broken roll-out stops', async () => (await fleetStatus(s)).rollout[0].failed.length === 1, { stepSeconds: 2, maxSteps: 30 });
        const broken = (await fleetStatus(s)).rollout[0];
        expect(broken.failed[0].canister_id.toText()).toBe(rollout.done[0].toText());
        expect(broken.failed[0].error).toContain('upgrade refused');
        expect(broken.done).toHaveLength(0);
        expect((await fleetStatus(s)).warnings.join('\n')).toContain('the rolling upgrade stopped at');
        failedReads = 0;
        await readAll();
        expect(failedReads).toBe(0);
    });

    it('unregisters an empty bucket, and refuses one that holds memories', async () => {
        const { s, first } = await provisionedFleet();
        ok(await s.auth(OWNER).create_memory({ title: 'keeps the bucket' }));
        expect(JSON.stringify(await s.auth(ADMIN).unregister_bucket({ canister_id: first }))).toContain('drain it first');
        ok(await s.auth(ADMIN).set_fleet_config({ ...NO_CHANGE, min_free_bytes: [100_000_000n], max_buckets: [2] }));
        await s.until('a second bucket', async () => (await bucketList(s)).length === 2, { maxSteps: 30 });
        ok(await s.auth(ADMIN).set_fleet_config({ ...NO_CHANGE, min_free_bytes: [0n] }));
        const empty = (await bucketList(s)).find((b) => b.canister_id.toText() !== first.toText())!.canister_id;
        ok(await s.auth(ADMIN).unregister_bucket({ canister_id: empty }));
        expect((await bucketList(s)).map((b) => b.canister_id.toText())).toEqual([first.toText()]);
        expect(ok(await s.auth(ADMIN).key_status()).buckets).toHaveLength(1);
    });
});
