/**
 * Auth benchmark (`npm run bench -w canisters/auth`), the figures in canisters/auth/README.md:
 *  - mint_http_token instructions as the canister grows to 1k, 10k and 100k memories with 10
 *    grants each (1M grants at 100k), populated through import_memories; also the owner's mint,
 *    a gallery batch of 100, list_memories and get_memory at each size;
 *  - a key rotation across 20 buckets: rounds and wall time until all acknowledge, and the
 *    instructions it takes on the auth canister and the buckets.
 * Instructions come from localnet's metering (PicJS talks to an in-process localnet REST server
 * whose core reports every execution).
 *  - the instructions of the updates (create, grant, revoke, transfer, import, delete).
 * Options: --memories 1000,10000,100000  --grants 10  --rotation-buckets 20  --skip-mint  --skip-rotation  --skip-writes
 */
import { PocketIc } from '@dfinity/pic';
import { Principal } from '@icp-sdk/core/principal';
import { cpus } from 'node:os';
import { createRestServer, LocalNetwork, type ExecutionEvent } from '@icp-private-assets/localnet';
import { ADMIN, buildCanisters, ok, OWNER, startAuthSystem, type AuthSystem } from '../test/support/testing';

const arg = (name: string, fallback: string) => (process.argv.includes(`--${name}`) ? process.argv[process.argv.indexOf(`--${name}`) + 1]! : fallback);
const checkpoints = arg('memories', '1000,10000,100000').split(',').map(Number);
const grantsPerMemory = Number(arg('grants', '10'));
const rotationBuckets = Number(arg('rotation-buckets', '20'));

const events: ExecutionEvent[] = [];
const server = createRestServer({ createLocalIc: async (config) => new LocalNetwork({ ...config, log: () => undefined, onExecution: (e) => events.push(e) }) });
const { url } = await server.listen(0);
await buildCanisters();
const network = async () => ({ pic: await PocketIc.create(url), url, kind: 'localnet' as const, stop: async () => undefined });

const fmt = (n: bigint | number) => n.toLocaleString('en-US');
const millions = (n: bigint | number) => `${(Number(n) / 1e6).toFixed(2)}M`;
const sorted = (values: bigint[]) => [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
const median = (values: bigint[]) => sorted(values)[Math.floor(values.length / 2)]!;
const max = (values: bigint[]) => sorted(values).at(-1)!;
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))]!;

/** Instructions of the executions `run` causes, by entry point. */
async function measured(run: () => Promise<unknown>): Promise<ExecutionEvent[]> {
    events.length = 0;
    await run();
    return [...events];
}
const total = (list: ExecutionEvent[]) => list.reduce((n, e) => n + e.instructions, 0n);

console.log(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`);

// ---- 1. Minting as the directory grows ----------------------------------------------------------

/** Grantee i of a pool of 100k principals (self-authenticating, as users' are). */
const POOL = 100_000;
const poolPrincipal = (i: number) => Principal.selfAuthenticating(Uint8Array.from({ length: 32 }, (_, j) => (j < 4 ? ((i % POOL) >> (8 * j)) & 0xff : 0x5a)));
/** Has a viewer grant on the first 100 memories: the gallery user of the batch figure. */
const GALLERY = Principal.selfAuthenticating(new Uint8Array(32).fill(0x6b));

async function mintBench(): Promise<void> {
    const s: AuthSystem = await startAuthSystem({ network: await network(), buckets: [10n ** 15n] });
    const ids: string[] = [];
    const importCalls: { memories: number; grants: number; instructions: bigint }[] = [];
    const grantee = (memory: number, g: number) => poolPrincipal(memory * grantsPerMemory + g);
    const started = performance.now();
    console.log(`\npopulating through import_memories: ${grantsPerMemory} grants per memory`);

    const rows: string[] = [];
    for (const target of checkpoints) {
        while (ids.length < target) {
            const count = Math.min(250, target - ids.length);
            const batch = Array.from({ length: count }, (_, k) => {
                const m = ids.length + k;
                const grants = Array.from({ length: grantsPerMemory }, (_, g) => ({ principal: grantee(m, g), role: { viewer: null } }));
                if (m < 100) grants.push({ principal: GALLERY, role: { viewer: null } });
                return { owner: OWNER, title: `memory ${m}`, bucket: [], grants };
            });
            let imported: string[] = [];
            const run = await measured(async () => (imported = ok(await s.auth(ADMIN).import_memories(batch))));
            ids.push(...imported);
            importCalls.push({ memories: imported.length, grants: imported.length * grantsPerMemory, instructions: total(run.filter((e) => e.entry.endsWith('import_memories'))) });
            if (importCalls.length % 40 === 0) console.log(`  ${fmt(ids.length)} memories, ${fmt(ids.length * grantsPerMemory)} grants, ${((performance.now() - started) / 1000).toFixed(0)} s`);
        }

        // mint_http_token by a grantee (viewer) of random memories, and by the owner.
        const mintSamples: bigint[] = [];
        const ownerSamples: bigint[] = [];
        const latencies: number[] = [];
        for (let i = 0; i < 30; i++) {
            const m = Math.floor(Math.random() * ids.length);
            const caller = grantee(m, i % grantsPerMemory);
            const args = { memory_id: ids[m], variants: [{ thumbnail: null }, { preview: null }, { original: null }], asset_ids: [], ttl_seconds: [] };
            const t0 = performance.now();
            const run = await measured(async () => ok(await s.auth(caller).mint_http_token(args)));
            latencies.push(performance.now() - t0);
            mintSamples.push(run.find((e) => e.entry === 'canister_query mint_http_token')!.instructions);
            const byOwner = await measured(async () => ok(await s.auth(OWNER).mint_http_token(args)));
            ownerSamples.push(byOwner.find((e) => e.entry === 'canister_query mint_http_token')!.instructions);
        }
        const batch = await measured(async () => {
            const items = await s.auth(GALLERY).mint_http_tokens({ memory_ids: ids.slice(0, 100), variants: [{ thumbnail: null }], ttl_seconds: [] });
            if (items.length !== 100 || !items.every((item: { result: object }) => 'Ok' in item.result)) throw new Error('batch mint failed');
        });
        const list = await measured(async () => s.auth(GALLERY).list_memories({ cursor: [], limit: [50] }));
        const get = await measured(async () => ok(await s.auth(grantee(0, 0)).get_memory({ memory_id: ids[0] })));
        rows.push(
            `| ${fmt(ids.length)} | ${fmt(ids.length * grantsPerMemory + Math.min(100, ids.length))} | ${millions(median(mintSamples))} / ${millions(max(mintSamples))} | ${millions(median(ownerSamples))} | ${millions(total(batch))} (${millions(total(batch) / 100n)} per token) | ${millions(total(list))} | ${millions(total(get))} | ${percentile(latencies, 50).toFixed(1)} / ${percentile(latencies, 95).toFixed(1)} ms |`
        );
        console.log(rows.at(-1));
    }
    console.log('\n| memories | grants | mint_http_token by a viewer (median / max) | by the owner (median) | mint_http_tokens, 100 memories | list_memories, 50 | get_memory | PicJS query latency p50 / p95 |');
    console.log('|---|---|---|---|---|---|---|---|');
    for (const row of rows) console.log(row);

    const perCall = importCalls.filter((c) => c.memories > 0);
    const perMemory = perCall.map((c) => c.instructions / BigInt(c.memories));
    console.log(`\nimport_memories: ${perCall.length} calls, ${fmt(median(perMemory))} instructions per memory with ${grantsPerMemory} grants (median), largest call ${fmt(max(perCall.map((c) => c.instructions)))}`);
    console.log(`populating took ${((performance.now() - started) / 1000).toFixed(0)} s of wall time`);
    await s.stop();
}

// ---- 2. Rotation across many buckets ------------------------------------------------------------

async function rotationBench(): Promise<void> {
    const t0 = performance.now();
    const s: AuthSystem = await startAuthSystem({ network: await network(), buckets: Array.from({ length: rotationBuckets }, () => 10n ** 12n) });
    console.log(`\n${rotationBuckets} buckets installed and holding k1 in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    events.length = 0;
    const started = performance.now();
    const rotated = ok(await s.auth(ADMIN).rotate_keys());
    let rounds = 0;
    for (;;) {
        const status = ok(await s.auth(ADMIN).key_status());
        if (status.buckets.every((b: { acknowledged_kid: string[] }) => b.acknowledged_kid[0] === rotated.kid)) break;
        await s.pic.tick();
        rounds += 1;
        if (rounds > 1000) throw new Error('rotation did not complete');
    }
    const seconds = (performance.now() - started) / 1000;
    const auth = events.filter((e) => e.canisterId.toText() === s.authId.toText());
    const buckets = events.filter((e) => e.canisterId.toText() !== s.authId.toText() && !e.entry.startsWith('canister_query'));
    const authUpdates = auth.filter((e) => !e.entry.startsWith('canister_query'));
    const setKeyring = buckets.filter((e) => e.entry === 'canister_update set_keyring').map((e) => e.instructions);
    console.log(`\n| rotation across ${rotationBuckets} buckets | value |\n|---|---|`);
    console.log(`| rounds after rotate_keys until every bucket acknowledged ${rotated.kid} | ${rounds} |`);
    console.log(`| wall time on localnet (rotate_keys call to the last acknowledgement) | ${seconds.toFixed(2)} s |`);
    console.log(`| auth canister: rotate_keys + timer + ${setKeyring.length} reply callbacks | ${fmt(total(authUpdates))} instructions in ${authUpdates.length} executions |`);
    console.log(`| buckets: set_keyring (median per bucket, total) | ${fmt(median(setKeyring))}, ${fmt(setKeyring.reduce((a, b) => a + b, 0n))} |`);
    console.log(`| entry points on the auth canister | ${[...new Set(authUpdates.map((e) => e.entry))].join(', ')} |`);
    await s.stop();
}

// ---- 3. Writes ------------------------------------------------------------------------------------

async function writesBench(): Promise<void> {
    const s: AuthSystem = await startAuthSystem({ network: await network(), buckets: [10n ** 12n, 10n ** 12n, 10n ** 12n] });
    const rows: [string, bigint][] = [];
    const update = async (label: string, run: () => Promise<unknown>) => {
        const list = await measured(run);
        rows.push([label, total(list.filter((e) => e.canisterId.toText() === s.authId.toText() && !e.entry.startsWith('canister_query')))]);
    };
    let id = '';
    await update('create_memory (placement among 3 buckets)', async () => (id = ok(await s.auth(OWNER).create_memory({ title: 'Summer 2026' })).id));
    const someone = poolPrincipal(1);
    await update('grant (new grantee)', async () => ok(await s.auth(OWNER).grant({ memory_id: id, principal: someone, role: { viewer: null } })));
    await update('grant (change of role)', async () => ok(await s.auth(OWNER).grant({ memory_id: id, principal: someone, role: { editor: null } })));
    await update('revoke', async () => ok(await s.auth(OWNER).revoke({ memory_id: id, principal: someone })));
    await update('transfer_ownership', async () => ok(await s.auth(OWNER).transfer_ownership({ memory_id: id, new_owner: someone })));
    await update('set_config', async () => ok(await s.auth(ADMIN).set_config({ default_ttl_seconds: [120], max_ttl_seconds: [], upload_grant_ttl_seconds: [], skew_seconds: [] })));
    const grants = Array.from({ length: 10 }, (_, g) => ({ principal: poolPrincipal(100 + g), role: { viewer: null } }));
    await update('import_memories, 1 memory with 10 grants', async () => ok(await s.auth(ADMIN).import_memories([{ owner: OWNER, title: 'x', bucket: [], grants }])));
    const [shared] = ok(await s.auth(ADMIN).import_memories([{ owner: OWNER, title: 'shared', bucket: [], grants: Array.from({ length: 1000 }, (_, g) => ({ principal: poolPrincipal(2000 + g), role: { viewer: null } })) }]));
    await update('delete_memory with 1,000 grantees (both messages: before and after the bucket call)', async () => ok(await s.auth(OWNER).delete_memory({ memory_id: shared })));
    console.log('\n| update | instructions on the auth canister |\n|---|---|');
    for (const [label, n] of rows) console.log(`| ${label} | ${millions(n)} |`);
    await s.stop();
}

if (!process.argv.includes('--skip-writes')) await writesBench();
if (!process.argv.includes('--skip-rotation')) await rotationBench();
if (!process.argv.includes('--skip-mint')) await mintBench();
await server.close();
process.exit(0);
