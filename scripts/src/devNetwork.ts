/**
 * `npm run dev`: the whole system on this machine, the way an operator would run it against dfx.
 * Starts localnet (one port: agents, PicJS and the HTTP gateway; time running live so timers
 * fire), builds both canisters with `azle build`, deploys the auth canister and N buckets through
 * the IC HTTP interface with a fresh admin identity, registers the buckets, waits until every
 * bucket holds the keys, seeds a demo memory with two generated pictures (one small, one large
 * enough to stream), seeds the gallery of the dev identity alice (memories over the buckets, one
 * shared with bob), serves the frontend's static export, and prints its URL and the demo
 * pictures' URLs. Runs until interrupted.
 *
 *   npm run dev [-- --port 4943] [--buckets 3] [--dir .localnet] [--frontend-port 3000]
 *
 * Writes into --dir: `admin.pem` (the admin identity, for `npm run rotate-keys`),
 * `canister_ids.json` (dfx format, where the scripts look for `--network local`) and `dev.json`
 * (everything printed, for tools and tests). The network lives in memory: stopping it ends it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Actor, HttpAgent, type Identity } from '@icp-sdk/core/agent';
import { IDL } from '@icp-sdk/core/candid';
import { Principal } from '@icp-sdk/core/principal';
import { authBuildRequest, authWasm, bucketBuildRequest, bucketWasm } from '@icp-private-assets/auth/builds';
import { idlFactory as authIdlFactory } from '@icp-private-assets/auth/candid';
import { idlFactory as bucketIdlFactory, initArgs as bucketInitArgs } from '@icp-private-assets/bucket/candid';
import { uploadAsset, type UploadCalls } from '@icp-private-assets/bucket/upload';
import { buildAzleCanister } from '@icp-private-assets/localnet';
import { buildFrontend } from '@icp-private-assets/frontend/build';
import { icAssetUrl, type Variant } from '@icp-private-assets/shared';
import { demoPng } from './demoImage';
import { seedDevGallery, type DevGallery } from './devGallery';
import { startFrontendServer, type FrontendServer } from './frontendServer';
import { identityFromPem } from './identityFile';
import { createCanister, installCode } from './localDeployment';

const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LOCALNET_BIN = fileURLToPath(new URL('../../localnet/bin/localnet.js', import.meta.url));
const USAGE =
    'usage: npm run dev [-- --port <n, default 4943>] [--buckets <1..20, default 3>] [--dir <folder, default .localnet>] [--frontend-port <n, default 3000>]';
const CYCLES_PER_CANISTER = 100_000_000_000_000n;
const BUCKET_CAPACITY_BYTES = 10n * 1024n ** 3n;
const READ_TOKEN_TTL_SECONDS = 3_600;
const KEY_WAIT_MS = 60_000;

export interface DevOptions {
    readonly port: number;
    readonly buckets: number;
    readonly dir: string;
    readonly frontendPort: number;
}

export class UsageError extends Error {}

export function parseDevArgs(argv: readonly string[]): DevOptions {
    let port = 4943;
    let buckets = 3;
    let dir = '.localnet';
    let frontendPort = 3000;
    for (let i = 0; i < argv.length; i++) {
        const flag = argv[i]!;
        const value = argv[i + 1];
        if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value`);
        i++;
        if (flag === '--port') {
            if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) throw new UsageError(`--port must be 0..65535 (0: any free port), not ${value}`);
            port = Number(value);
        } else if (flag === '--buckets') {
            if (!/^\d{1,2}$/.test(value) || Number(value) < 1 || Number(value) > 20) throw new UsageError(`--buckets must be 1..20, not ${value}`);
            buckets = Number(value);
        } else if (flag === '--dir') {
            dir = value;
        } else if (flag === '--frontend-port') {
            if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) throw new UsageError(`--frontend-port must be 0..65535 (0: any free port), not ${value}`);
            frontendPort = Number(value);
        } else {
            throw new UsageError(`unknown option ${flag}`);
        }
    }
    return { port, buckets, dir: isAbsolute(dir) ? dir : resolve(REPOSITORY_ROOT, dir), frontendPort };
}

/** What the localnet CLI writes to its state file once it listens. */
interface LocalnetState {
    readonly url: string;
    readonly port: number;
    readonly instanceId: number;
    readonly defaultEffectiveCanisterId: string;
}

type Result<T> = { Ok: T } | { Err: unknown };
type Call = (arg?: any) => Promise<any>;
/** The calls this script makes (loosely typed: each result goes through `ok`). */
type AuthCalls = Record<'register_bucket' | 'key_status' | 'create_memory' | 'mint_upload_grant' | 'mint_http_token', Call>;

const describe = (value: unknown): string =>
    JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v instanceof Principal ? v.toText() : v));

function ok<T = any>(what: string, result: Result<T>): T {
    if ('Ok' in result) return result.Ok;
    throw new Error(`${what} failed: ${describe(result.Err)}`);
}

/** Starts the localnet CLI on `port` and resolves with its URL (its first stdout line). */
function startLocalnet(port: number, dir: string): Promise<{ url: string; child: ChildProcess }> {
    return new Promise((resolvePromise, reject) => {
        const child = spawn(process.execPath, [LOCALNET_BIN, '--port', String(port), '--state-file', join(dir, 'state.json'), '--exit-on-stdin-close'], {
            cwd: REPOSITORY_ROOT,
            stdio: ['pipe', 'pipe', 'pipe']
        });
        let stderr = '';
        child.stderr!.on('data', (data: Buffer) => {
            stderr += data.toString();
            if (stderr.length > 8_192) stderr = stderr.slice(-8_192);
        });
        child.once('error', reject);
        child.once('exit', (code) => reject(new Error(`localnet exited (${code}) before it was ready:\n${stderr.trim()}`)));
        createInterface({ input: child.stdout! }).once('line', (line) => resolvePromise({ url: line.trim(), child }));
    });
}

/** Turns on live time for the network's default instance (PocketIC's `auto_progress`). */
async function goLive(url: string, instanceId: number): Promise<void> {
    const response = await fetch(`${url}/instances/${instanceId}/auto_progress`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ artificial_delay_ms: null })
    });
    if (!response.ok) throw new Error(`auto_progress answered ${response.status}: ${await response.text()}`);
}

function adminIdentity(dir: string): { identity: Identity; pemPath: string } {
    const pem = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey.export({ format: 'pem', type: 'sec1' }).toString();
    const pemPath = join(dir, 'admin.pem');
    writeFileSync(pemPath, pem, { mode: 0o600 });
    return { identity: identityFromPem(pem, pemPath), pemPath };
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const value = await probe();
        if (value !== undefined) return value;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 250));
    }
}

async function upload(auth: AuthCalls, agent: HttpAgent, memoryId: string, variant: Variant, content: Uint8Array): Promise<void> {
    const grant = ok(`mint_upload_grant(${variant})`, await auth.mint_upload_grant({ memory_id: memoryId, variants: [{ [variant]: null }], asset_ids: [] }));
    const bucket = Actor.createActor(bucketIdlFactory as never, { agent, canisterId: grant.bucket }) as unknown as UploadCalls;
    ok('upload_commit', await uploadAsset(bucket, { grant: grant.token, memoryId, variant, contentType: 'image/png', content }));
}

export interface DevDeployment {
    readonly url: string;
    readonly port: number;
    readonly admin: { readonly principal: string; readonly pem: string };
    readonly auth: string;
    readonly buckets: readonly string[];
    readonly demo: {
        readonly memoryId: string;
        readonly bucket: string;
        readonly tokenExpiresAt: number;
        readonly urls: Readonly<Record<'preview' | 'original', string>>;
        readonly sha256: Readonly<Record<'preview' | 'original', string>>;
    };
    /** alice's memories (and the one shared with bob), as the frontend shows them. */
    readonly gallery: DevGallery;
    readonly frontend: { readonly url: string; readonly port: number };
}

/** The demo pictures: a small preview and an original large enough to be streamed (several chunks). */
export const DEMO_PICTURES = {
    preview: () => demoPng({ width: 640, height: 480 }),
    original: () => demoPng({ width: 1600, height: 1200, noise: 96, seed: 42 })
} as const;

async function deploy(options: DevOptions, network: LocalnetState, log: (line: string) => void): Promise<Omit<DevDeployment, 'frontend'>> {
    const url = network.url;
    const port = network.port;
    const { identity, pemPath } = adminIdentity(options.dir);
    const agent = await HttpAgent.create({ host: url, identity, shouldFetchRootKey: true });
    const effective = Principal.fromText(network.defaultEffectiveCanisterId);

    log(`admin ${identity.getPrincipal().toText()} (${pemPath})`);
    const authId = await createCanister(agent, effective, CYCLES_PER_CANISTER);
    const bucketIds: Principal[] = [];
    for (let i = 0; i < options.buckets; i++) bucketIds.push(await createCanister(agent, effective, CYCLES_PER_CANISTER));
    await installCode(agent, authId, authWasm(), new Uint8Array(IDL.encode([], [])));
    log(`auth canister ${authId.toText()}`);
    const bucketArg = new Uint8Array(IDL.encode(bucketInitArgs({ IDL }), [{ auth_canister: authId, config: [] }]));
    for (const id of bucketIds) {
        await installCode(agent, id, bucketWasm(), bucketArg);
        log(`bucket canister ${id.toText()}`);
    }
    writeFileSync(
        join(options.dir, 'canister_ids.json'),
        `${JSON.stringify({ auth: { local: authId.toText() }, ...Object.fromEntries(bucketIds.map((id, i) => [`bucket_${i + 1}`, { local: id.toText() }])) }, null, 2)}\n`
    );

    const auth = Actor.createActor(authIdlFactory as never, { agent, canisterId: authId }) as unknown as AuthCalls;
    for (const id of bucketIds) ok('register_bucket', await auth.register_bucket({ canister_id: id, capacity_bytes: BUCKET_CAPACITY_BYTES }));
    const kid = await until('every bucket to acknowledge the first key', KEY_WAIT_MS, async () => {
        const status = (await auth.key_status()) as Result<{ version: bigint; keys: { kid: string }[]; buckets: { acknowledged_version: bigint; acknowledged_kid: [] | [string] }[] }>;
        if (!('Ok' in status)) return undefined;
        const { buckets, version } = status.Ok;
        return buckets.length === bucketIds.length && buckets.every((b) => b.acknowledged_version === version && b.acknowledged_kid.length === 1) ? buckets[0]!.acknowledged_kid[0] : undefined;
    });
    log(`keys: ${kid} acknowledged by all ${bucketIds.length} buckets`);

    const memory = ok('create_memory', await auth.create_memory({ title: 'Demo memory' }));
    const pictures = { preview: DEMO_PICTURES.preview(), original: DEMO_PICTURES.original() };
    for (const variant of ['preview', 'original'] as const) await upload(auth, agent, memory.id, variant, pictures[variant]);
    const minted = ok(
        'mint_http_token',
        await auth.mint_http_token({ memory_id: memory.id, variants: [{ preview: null }, { original: null }], asset_ids: [], ttl_seconds: [READ_TOKEN_TTL_SECONDS] })
    );
    const bucket = (minted.bucket as Principal).toText();
    const gallery = await seedDevGallery(url, authId.toText(), log);
    const assetUrl = (variant: 'preview' | 'original') => icAssetUrl({ bucket, memoryId: memory.id, variant, token: minted.token, network: { kind: 'local', port } });
    const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
    return {
        url,
        port,
        admin: { principal: identity.getPrincipal().toText(), pem: pemPath },
        auth: authId.toText(),
        buckets: bucketIds.map((id) => id.toText()),
        demo: {
            memoryId: memory.id,
            bucket,
            tokenExpiresAt: Number(minted.expires_at),
            urls: { preview: assetUrl('preview'), original: assetUrl('original') },
            sha256: { preview: sha(pictures.preview), original: sha(pictures.original) }
        },
        gallery
    };
}

export async function main(argv: readonly string[]): Promise<void> {
    let options: DevOptions;
    try {
        options = parseDevArgs(argv);
    } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        process.stderr.write(`dev: ${error.message}\n${USAGE}\n`);
        process.exitCode = 2;
        return;
    }
    const log = (line: string) => process.stdout.write(`${line}\n`);
    mkdirSync(options.dir, { recursive: true });
    const devFile = join(options.dir, 'dev.json');
    const idsFile = join(options.dir, 'canister_ids.json');
    rmSync(devFile, { force: true });

    log('building canisters (azle build, cached by source hash)…');
    for (const request of [authBuildRequest, bucketBuildRequest]) {
        try {
            const built = await buildAzleCanister(request);
            log(`  ${request.canister}: ${built.cached ? 'cached' : 'built'}`);
        } catch (error) {
            process.stderr.write(`dev: azle build of ${request.canister} failed: ${(error as Error).message}\n`);
            process.exitCode = 1;
            return;
        }
    }
    // The frontend's static export builds (or comes from its cache) while the canisters deploy.
    const frontendBuild = buildFrontend('local');
    frontendBuild.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
    let started: { url: string; child: ChildProcess };
    try {
        started = await startLocalnet(options.port, options.dir);
    } catch (error) {
        process.stderr.write(`dev: ${(error as Error).message}\n`);
        process.exitCode = 1;
        return;
    }
    const { url, child } = started;
    child.removeAllListeners('exit');
    let stopping = false;
    let frontend: FrontendServer | undefined;
    const stop = (code: number) => {
        if (stopping) return;
        stopping = true;
        void frontend?.close();
        rmSync(devFile, { force: true });
        rmSync(idsFile, { force: true });
        child.once('exit', () => process.exit(code));
        child.stdin!.end();
        setTimeout(() => {
            child.kill('SIGKILL');
            process.exit(code);
        }, 10_000).unref();
    };
    child.once('exit', (code) => {
        if (stopping) return;
        process.stderr.write(`dev: localnet exited unexpectedly (${code})\n`);
        rmSync(devFile, { force: true });
        rmSync(idsFile, { force: true });
        process.exit(1);
    });
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => stop(0));
    log(`localnet on ${url}`);

    try {
        const network = JSON.parse(readFileSync(join(options.dir, 'state.json'), 'utf8')) as LocalnetState;
        await goLive(url, network.instanceId);
        const deployed = await deploy(options, network, log);
        const built = await frontendBuild.catch((error: Error) => {
            throw new Error(`the frontend build failed: ${error.message}`);
        });
        log(`frontend: ${built.cached ? 'cached build' : 'built'} (${built.dir})`);
        frontend = await startFrontendServer({ root: built.dir, port: options.frontendPort, config: { network: 'local', host: url, authCanisterId: deployed.auth } }).catch(
            (error: NodeJS.ErrnoException) => {
                throw new Error(
                    error.code === 'EADDRINUSE'
                        ? `cannot serve the frontend on port ${options.frontendPort}: the port is in use (choose another with --frontend-port)`
                        : `cannot serve the frontend: ${error.message}`
                );
            }
        );
        const deployment: DevDeployment = { ...deployed, frontend: { url: frontend.url, port: frontend.port } };
        writeFileSync(devFile, `${JSON.stringify(deployment, null, 2)}\n`);
        log('');
        log(`Demo memory ${deployment.demo.memoryId} on bucket ${deployment.demo.bucket}; this token expires in ${READ_TOKEN_TTL_SECONDS / 60} minutes:`);
        log(`  preview   ${deployment.demo.urls.preview}`);
        log(`  original  ${deployment.demo.urls.original}`);
        log('Open them in a browser (*.localhost resolves to this machine), or:');
        log(`  curl -s --resolve ${deployment.demo.bucket}.localhost:${deployment.port}:127.0.0.1 '${deployment.demo.urls.preview}' | file -`);
        log(`Rotate keys: npm run rotate-keys -- --network local --identity ${deployment.admin.pem}${options.dir === resolve(REPOSITORY_ROOT, '.localnet') ? '' : ` --url ${url} --auth ${deployment.auth}`}`);
        log(`Details in ${devFile}. Ctrl-C stops the network (its state lives in memory).`);
        log('');
        log(`Frontend: ${deployment.frontend.url}`);
        log(`  sign in as alice (her gallery: ${deployment.gallery.memories.length} memories) or bob (one memory alice shares with him)`);
    } catch (error) {
        process.stderr.write(`dev: ${(error as Error).message}\n`);
        stop(1);
    }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
    await main(process.argv.slice(2));
}
