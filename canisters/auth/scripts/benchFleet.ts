/**
 * Fleet benchmark (`npm run bench:fleet -w canisters/auth`), the fleet figures in
 * canisters/auth/README.md, on localnet with the real wasm:
 *  - provisioning one bucket: from the moment free capacity is found below the threshold until the
 *    bucket accepts memories (simulated IC time and rounds, and wall time); the cycles given to it,
 *    and the instructions the auth canister executes for it;
 *  - a rolling upgrade of N buckets (default 20): simulated time, wall time, instructions on the
 *    auth canister per bucket.
 * Options: --buckets 20
 */
import { createHash } from 'node:crypto';
import { cpus } from 'node:os';
import { PocketIc } from '@dfinity/pic';
import { createRestServer, LocalNetwork, type ExecutionEvent } from '@icp-private-assets/localnet';
import { ADMIN, bucketWasm, buildCanisters, ok, OWNER, startAuthSystem } from '../test/support/testing';

const arg = (name: string, fallback: string) => (process.argv.includes(`--${name}`) ? process.argv[process.argv.indexOf(`--${name}`) + 1]! : fallback);
const rolloutBuckets = Number(arg('buckets', '20'));
const MIB = 1024 * 1024;
const T = 1_000_000_000_000n;

const events: ExecutionEvent[] = [];
const server = createRestServer({ createLocalIc: async (config) => new LocalNetwork({ ...config, log: () => undefined, onExecution: (e) => events.push(e) }) });
const { url } = await server.listen(0);
await buildCanisters();
const pic = await PocketIc.create(url);
const s = await startAuthSystem({ network: { pic, url, kind: 'localnet', stop: async () => undefined }, buckets: [] });
const authText = s.authId.toText();
/** Instructions of the auth canister's updates, timers and call replies (not the benchmark's own status queries). */
const authInstructions = () => events.filter((e) => e.canisterId.toText() === authText && !e.entry.startsWith('canister_query')).reduce((n, e) => n + e.instructions, 0n);
const entriesOf = () => {
    const byEntry = new Map<string, bigint>();
    for (const e of events) if (e.canisterId.toText() === authText && !e.entry.startsWith('canister_query')) byEntry.set(e.entry.split(' ')[0]!, (byEntry.get(e.entry.split(' ')[0]!) ?? 0n) + e.instructions);
    return [...byEntry].map(([k, v]) => `${k} ${fmt(v)}`).join(', ');
};
const NO_CHANGE = { min_free_bytes: [], bucket_capacity_bytes: [], cycles_per_bucket: [], max_buckets: [], operators: [], top_up_below_cycles: [], top_up_cycles: [], runway_warning_days: [] };
const fmt = (n: bigint | number) => n.toLocaleString('en-US');

async function uploadModule(module: Uint8Array): Promise<void> {
    const sha256 = new Uint8Array(createHash('sha256').update(module).digest());
    ok(await s.auth(ADMIN).begin_bucket_wasm({ sha256, size: BigInt(module.length) }));
    for (let i = 0; i * MIB < module.length; i++) ok(await s.auth(ADMIN).put_bucket_wasm_chunk({ index: i, bytes: module.subarray(i * MIB, (i + 1) * MIB) }));
    ok(await s.auth(ADMIN).commit_bucket_wasm());
}

/** Steps one round at a time (1 s of IC time each) until `done`; returns rounds, IC seconds and wall seconds. */
async function timed(done: () => Promise<boolean>): Promise<{ rounds: number; icSeconds: number; wallSeconds: number }> {
    const wall = performance.now();
    const icStart = await pic.getTime();
    let rounds = 0;
    while (!(await done())) {
        await pic.advanceTime(1000);
        await pic.tick();
        rounds += 1;
        if (rounds > 5000) throw new Error('did not finish');
    }
    return { rounds, icSeconds: ((await pic.getTime()) - icStart) / 1000, wallSeconds: (performance.now() - wall) / 1000 };
}

console.log(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`);

// ---- 1. Provisioning one bucket -----------------------------------------------------------------
const wasm = bucketWasm();
ok(await s.auth(ADMIN).set_fleet_config({ ...NO_CHANGE, min_free_bytes: [1_000_000n], bucket_capacity_bytes: [1_000_000_000n], cycles_per_bucket: [2n * T], max_buckets: [1] }));
await uploadModule(wasm);
events.length = 0;
// No bucket: the threshold is crossed now. Done when a memory can be created on the new bucket.
let placed = '';
const provisioning = await timed(async () => {
    const created = await s.auth(OWNER).create_memory({ title: 'first' });
    if ('Ok' in created) placed = created.Ok.bucket.toText();
    return placed !== '';
});
const provisionInstructions = authInstructions();
const status = ok(await s.auth(ADMIN).fleet_status());
console.log('\n| provisioning one bucket | value |\n|---|---|');
console.log(`| threshold crossed → the bucket accepts memories | ${provisioning.rounds} rounds, ${provisioning.icSeconds.toFixed(0)} s of IC time (localnet: ${provisioning.wallSeconds.toFixed(1)} s) |`);
console.log(`| as the canister measured it (last_provisioned.took_nanos) | ${(Number(status.provisioning.last_provisioned[0].took_nanos) / 1e9).toFixed(0)} s |`);
console.log(`| cycles given to the bucket at creation | ${fmt(status.provisioning.cycles_spent)} |`);
console.log(`| instructions on the auth canister (create, ${Math.ceil(wasm.length / MIB)} chunk uploads of the ${(wasm.length / 1e6).toFixed(1)} MB module, install, register, first key push) | ${fmt(provisionInstructions)} |`);

// ---- 2. Rolling upgrade of N buckets ------------------------------------------------------------
ok(await s.auth(ADMIN).set_fleet_config({ ...NO_CHANGE, min_free_bytes: [10n ** 15n], max_buckets: [rolloutBuckets] }));
await timed(async () => ok(await s.auth(ADMIN).list_buckets()).length === rolloutBuckets);
await s.keysSettled();
ok(await s.auth(ADMIN).set_fleet_config({ ...NO_CHANGE, min_free_bytes: [0n] }));
const name = new TextEncoder().encode('icp-private-assets-release');
const body = [name.length, ...name, ...new TextEncoder().encode('bench')];
await uploadModule(Uint8Array.from([...wasm, 0, body.length, ...body]));
events.length = 0;
ok(await s.auth(ADMIN).upgrade_buckets());
const rollout = await timed(async () => {
    const current = ok(await s.auth(ADMIN).fleet_status()).rollout[0];
    if (current.failed.length > 0) throw new Error(`roll-out failed: ${current.failed[0].error}`);
    return current.finished_at.length > 0;
});
const rolloutInstructions = authInstructions();
console.log(`\n| rolling upgrade of ${rolloutBuckets} buckets | value |\n|---|---|`);
console.log(`| all upgraded and checked | ${rollout.rounds} rounds, ${rollout.icSeconds.toFixed(0)} s of IC time (localnet: ${rollout.wallSeconds.toFixed(1)} s) |`);
console.log(`| instructions on the auth canister, per bucket (everything it ran meanwhile, maintenance included) | ${fmt(rolloutInstructions / BigInt(rolloutBuckets))} |`);
console.log(`| by entry point | ${entriesOf()} |`);

await pic.tearDown();
await server.close();
process.exit(0);
