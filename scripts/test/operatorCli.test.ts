/**
 * The operator commands against a fresh localnet, as an operator runs them: `deploy` gives a
 * working system (the auth canister provisions its first bucket, which then serves an upload),
 * `status` exits 0 when all is well and 1 with a full bucket or one low on cycles, and
 * `upgrade-buckets` rolls a new module out. Every command's bad usage exits 2.
 */
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Principal } from '@icp-sdk/core/principal';
import { localhostFetch, startHttpGateway, startNetwork, type HttpGatewayHandle, type Network } from '@icp-private-assets/localnet';
import { idlFactory as authIdlFactory } from '@icp-private-assets/auth/candid';
import { idlFactory as bucketIdlFactory } from '@icp-private-assets/bucket/candid';
import { uploadAsset } from '@icp-private-assets/bucket/upload';
import { identityFromPem } from '../src/identityFile';

const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'operator-cli-'));
let network: Network;
let url: string;
let gateway: HttpGatewayHandle;
let authId: string;
/** The first deploy's output (beforeAll runs it: every test starts from a deployed system). */
let deployed: { code: number | null; stdout: string; stderr: string };

function pemIdentity(name: string) {
    const pem = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey.export({ format: 'pem', type: 'sec1' }).toString();
    const path = join(dir, `${name}.pem`);
    writeFileSync(path, pem, { mode: 0o600 });
    return { path, principal: identityFromPem(pem).getPrincipal() };
}
const admin = pemIdentity('admin');

function run(command: string, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
        // AUTH_CANISTER_ID empty and --url given: nothing comes from this checkout's .localnet files.
        const child = spawn('npm', ['run', '--silent', command, '--', ...args], { cwd: REPOSITORY_ROOT, env: { ...process.env, AUTH_CANISTER_ID: '' } });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr: stderr.replace(/npm warn.*\n/g, '') }));
    });
}
const target = () => ['--network', 'local', '--url', url, '--identity', admin.path, '--auth', authId];

/** Actors as the admin (PicJS: the caller is set, not signed). */
const authActor = () => {
    const actor = network.pic.createActor(authIdlFactory as never, Principal.fromText(authId) as never) as any;
    actor.setPrincipal(admin.principal);
    return actor;
};

beforeAll(async () => {
    network = await startNetwork();
    url = `http://127.0.0.1:${await network.pic.makeLive()}`;
    gateway = await startHttpGateway(network.url);
    deployed = await run('deploy', '--network', 'local', '--url', url, '--identity', admin.path, '--bucket-capacity', '3000000', '--min-free', '1000000', '--timeout', '300');
    authId = /created auth canister (\S+)/.exec(deployed.stdout)?.[1] ?? '';
});
afterAll(async () => {
    await gateway?.stop();
    await network?.pic.stopLive().catch(() => undefined);
    await network?.stop();
});

describe('operator commands', () => {
    it('deploy: a fresh localnet becomes a working system, with no other step', async () => {
        expect(deployed.stderr).toBe('');
        expect(deployed.code).toBe(0);
        expect(authId).not.toBe('');
        expect(deployed.stdout).toContain(`${admin.principal.toText()} is its admin`);
        expect(deployed.stdout).toMatch(/bucket wasm [0-9a-f]{12}: chunk 4\/4/);
        expect(deployed.stdout).toMatch(/ ✓ serving\n/);
        expect(deployed.stdout).toMatch(/deployed in [\d.]+ s/);

        // The system works: a memory, an upload through a grant, the bytes through the HTTP gateway.
        const auth = authActor();
        const memory = (await auth.create_memory({ title: 'deployed' })).Ok;
        const grant = (await auth.mint_upload_grant({ memory_id: memory.id, variants: [{ preview: null }], asset_ids: [] })).Ok;
        const bucket = network.pic.createActor(bucketIdlFactory as never, grant.bucket) as any;
        bucket.setPrincipal(admin.principal);
        const content = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7) & 0xff);
        expect('Ok' in (await uploadAsset(bucket, { grant: grant.token, memoryId: memory.id, variant: 'preview', contentType: 'image/webp', content }))).toBe(true);
        const token = (await auth.mint_http_token({ memory_id: memory.id, variants: [{ preview: null }], asset_ids: [], ttl_seconds: [] })).Ok.token;
        const response = await localhostFetch(`http://${grant.bucket.toText()}.localhost:${gateway.port}/asset/${memory.id}/preview?token=${token}`);
        expect(response.status).toBe(200);
        expect(new Uint8Array(response.body)).toEqual(content);

        // Deploying again upgrades the auth canister in place and keeps everything.
        const again = await run('deploy', ...target(), '--timeout', '120');
        expect(again.code).toBe(0);
        expect(again.stdout).toContain(`upgraded the auth canister ${authId}`);
        // The same module is not sent twice (unless another test rolled a different one out meanwhile).
        expect(again.stdout).toMatch(/already holds bucket wasm|bucket wasm [0-9a-f]{12}: chunk 4\/4/);
        expect((await authActor().get_memory({ memory_id: memory.id })).Ok.memory.title).toBe('deployed');
    });

    it('status: 0 when all is well; 1 naming a full bucket or one low on cycles', async () => {
        const well = await run('status', ...target());
        expect(well.stderr).toBe('');
        expect(well.code).toBe(0);
        expect(well.stdout).toMatch(/bucket\s+status\s+used \/ capacity\s+memories\s+cycles\s+kid\s+module/);
        expect(well.stdout).toContain('all well');
        const [bucket] = (await authActor().list_buckets()).Ok;
        const id = bucket.canister_id.toText();
        await authActor().set_bucket_status({ canister_id: bucket.canister_id, status: { full: null } });
        const full = await run('status', ...target());
        expect(full.code).toBe(1);
        expect(full.stdout).toContain(`bucket ${id} is full`);
        await authActor().set_bucket_status({ canister_id: bucket.canister_id, status: { active: null } });
        // A threshold above the balance and a top-up the auth canister cannot pay: reported once checked.
        await authActor().set_fleet_config({ min_free_bytes: [], bucket_capacity_bytes: [], cycles_per_bucket: [], max_buckets: [], operators: [], runway_warning_days: [], top_up_below_cycles: [10n ** 20n], top_up_cycles: [10n ** 20n] });
        // The auth canister checks cycles once a minute of live time: run status until it has.
        let low = await run('status', ...target());
        for (let attempt = 0; attempt < 60 && !low.stdout.includes('top-up failed'); attempt++) low = await run('status', ...target());
        expect(low.code).toBe(1);
        expect(low.stdout).toMatch(new RegExp(`bucket ${id} holds [\\d.]+T cycles, below the top-up threshold`));
        expect(low.stdout).toContain('top-up failed');
        await authActor().set_fleet_config({ min_free_bytes: [], bucket_capacity_bytes: [], cycles_per_bucket: [], max_buckets: [], operators: [], runway_warning_days: [], top_up_below_cycles: [0n], top_up_cycles: [] });
    });

    it('upgrade-buckets: uploads a new module and rolls it out, bucket by bucket', async () => {
        const wasm = readFileSync(join(REPOSITORY_ROOT, '.azle/bucket/bucket.wasm'));
        const name = Buffer.from('icp-private-assets-release');
        const body = Buffer.concat([Buffer.from([name.length]), name, Buffer.from('cli')]);
        const next = join(dir, 'bucket-next.wasm');
        writeFileSync(next, Buffer.concat([wasm, Buffer.from([0, body.length]), body]));
        const upgraded = await run('upgrade-buckets', ...target(), '--wasm', next, '--interval', '0.5');
        expect(upgraded.stderr).toBe('');
        expect(upgraded.code).toBe(0);
        const buckets = (await authActor().list_buckets()).Ok.map((b: any) => b.canister_id.toText());
        expect(upgraded.stdout).toMatch(new RegExp(`upgrading ${buckets.length} bucket\\(s\\) to [0-9a-f]{12}, one at a time`));
        for (const id of buckets) expect(upgraded.stdout).toContain(`${id}  ✓ upgraded and checked`);
        expect(upgraded.stdout).toMatch(new RegExp(`all ${buckets.length} bucket\\(s\\) upgraded in [\\d.]+ s`));
    });

    it.each([
        ['deploy', ['--network', 'mars', '--identity', admin.path], '--network must be local or ic'],
        ['deploy', ['--network', 'ic', '--identity', admin.path], '--auth <canister-id> is required on ic'],
        ['deploy', ['--network', 'local', '--identity', admin.path, '--buckets', 'many'], '--buckets must be a whole number'],
        ['status', ['--network', 'local'], '--identity <pem file> is required'],
        ['status', ['--bogus'], "Unknown option '--bogus'"],
        ['upgrade-buckets', ['--network', 'local', '--identity', admin.path, '--wasm', '/nonexistent.wasm'], 'no bucket wasm at /nonexistent.wasm'],
        ['upgrade-buckets', ['--network', 'local', '--identity', admin.path, '--timeout', '0'], '--timeout must be a positive number of seconds'],
        ['rotate-keys', ['--network', 'local'], '--identity <pem file> is required']
    ])('%s with bad usage %j exits 2 and says why', async (command, args, message) => {
        const result = await run(command, ...(args as string[]));
        expect(result.code).toBe(2);
        expect(result.stderr).toContain(message);
    });
});

