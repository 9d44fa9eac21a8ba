/**
 * The frontend's figures (README.md, "Figures"), measured in Chromium against localnet:
 *
 *  1. mint queries for a gallery page of 100 memories over 3 buckets (goal: 1);
 *  2. time until every thumbnail of that page has decoded, against a bare page showing the same
 *     100 URLs with tokens minted beforehand (goal: ≤ 1.3×);
 *  3. per-image load time, direct from the buckets vs through a Web2 proxy route that mints and
 *     fetches the bytes server-side as the old design did (goal: direct ≤ 0.5× at p50 and p95);
 *  4. JavaScript shipped for the gallery route, gzipped (goal: ≤ 300 KB).
 *
 *   npm run bench -w frontend [-- --runs 5 --memories 100]
 *
 * Starts its own `npm run dev` (free ports, a temporary folder), adds 100 memories of the dev
 * identity carol (thumbnail and placeholder each), serves the static export with a gallery page
 * size of 100, and prints a Markdown table. Nothing here is asserted: figures vary with the load
 * of the machine.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { Actor, HttpAgent } from '@icp-sdk/core/agent';
import type { Principal } from '@icp-sdk/core/principal';
import sharp from 'sharp';
import { chromium, type Browser } from 'playwright-core';
import { idlFactory as authIdlFactory } from '@icp-private-assets/auth/candid';
import { idlFactory as bucketIdlFactory } from '@icp-private-assets/bucket/candid';
import { uploadAsset, type UploadCalls } from '@icp-private-assets/bucket/upload';
import { localhostFetch } from '@icp-private-assets/localnet';
import { icAssetUrl } from '@icp-private-assets/shared';
import { renderScene, DEMO_SCENES } from '../../scripts/src/demoScene';
import { devIdentity } from '../../scripts/src/devIdentities';
import type { DevDeployment } from '../../scripts/src/devNetwork';
import { startFrontendServer } from '../../scripts/src/frontendServer';
import { devIdentitySeed } from '../src/session/devIdentitySeed';

const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));

function option(name: string, fallback: number): number {
    const index = process.argv.indexOf(`--${name}`);
    const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
    return value;
}

const RUNS = option('runs', 5);
const MEMORIES = Math.min(100, option('memories', 100));

type Result<T> = { Ok: T } | { Err: unknown };
const ok = <T>(what: string, result: Result<T>): T => {
    if ('Ok' in result) return result.Ok;
    throw new Error(`${what}: ${JSON.stringify(result.Err)}`);
};

interface AuthCalls {
    import_memories(arg: { owner: Principal; title: string; bucket: [] | [Principal]; grants: [] }[]): Promise<Result<string[]>>;
    get_memory(arg: { memory_id: string }): Promise<Result<{ memory: { bucket: Principal } }>>;
    mint_upload_grant(arg: { memory_id: string; variants: unknown[]; asset_ids: [] }): Promise<Result<{ token: string; bucket: Principal }>>;
    mint_http_tokens(arg: { memory_ids: string[]; variants: unknown[]; ttl_seconds: [] | [number] }): Promise<{ memory_id: string; result: Result<{ token: string; bucket: Principal }> }[]>;
    mint_http_token(arg: { memory_id: string; variants: unknown[]; asset_ids: []; ttl_seconds: [] | [number] }): Promise<Result<{ token: string; bucket: Principal }>>;
}

function startDev(dir: string): Promise<{ child: ChildProcess; dev: DevDeployment }> {
    const child = spawn('npm', ['run', '--silent', 'dev', '--', '--port', '0', '--frontend-port', '0', '--dir', dir], { cwd: REPOSITORY_ROOT, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
    child.stdout!.on('data', () => undefined);
    return new Promise((resolve, reject) => {
        child.once('exit', (code) => reject(new Error(`npm run dev exited ${code}`)));
        const poll = setInterval(() => {
            const file = join(dir, 'dev.json');
            if (existsSync(file) && readFileSync(file, 'utf8').includes('"frontend"')) {
                clearInterval(poll);
                resolve({ child, dev: JSON.parse(readFileSync(file, 'utf8')) as DevDeployment });
            }
        }, 250);
    });
}

/** carol's memories, placed round-robin on the buckets by the admin (`import_memories`), then filled by carol. */
async function seedCarol(dev: DevDeployment, admin: AuthCalls, auth: AuthCalls, agent: HttpAgent): Promise<{ id: string; bucket: string }[]> {
    const memories: { id: string; bucket: string }[] = [];
    const owner = devIdentity('carol').getPrincipal();
    const { Principal: PrincipalClass } = await import('@icp-sdk/core/principal');
    const ids = ok(
        'import_memories',
        await admin.import_memories(
            Array.from({ length: MEMORIES }, (_, i) => ({
                owner,
                title: `Bench ${String(MEMORIES - i).padStart(3, '0')}`,
                bucket: [PrincipalClass.fromText(dev.buckets[i % dev.buckets.length]!)] as [Principal],
                grants: [] as []
            }))
        )
    );
    if (ids.length !== MEMORIES) throw new Error(`import_memories imported ${ids.length} of ${MEMORIES}`);
    for (const [i, id] of ids.entries()) {
        const scene = { ...DEMO_SCENES[i % DEMO_SCENES.length]!, seed: 1_000 + i };
        const raw = renderScene(scene, 480, 320);
        const thumbnail = new Uint8Array(await sharp(raw, { raw: { width: 480, height: 320, channels: 3 } }).jpeg({ quality: 78 }).toBuffer());
        const placeholder = new Uint8Array(await sharp(raw, { raw: { width: 480, height: 320, channels: 3 } }).resize({ width: 24 }).jpeg({ quality: 60 }).toBuffer());
        const grant = ok('grant', await auth.mint_upload_grant({ memory_id: id, variants: [{ thumbnail: null }, { placeholder: null }], asset_ids: [] }));
        const bucket = Actor.createActor(bucketIdlFactory as never, { agent, canisterId: grant.bucket }) as unknown as UploadCalls;
        await uploadAsset(bucket, { grant: grant.token, memoryId: id, variant: 'thumbnail', contentType: 'image/jpeg', content: thumbnail });
        await uploadAsset(bucket, { grant: grant.token, memoryId: id, variant: 'placeholder', contentType: 'image/jpeg', content: placeholder });
        memories.push({ id, bucket: grant.bucket.toText() });
    }
    process.stderr.write(`seeded ${memories.length} memories of carol on ${new Set(memories.map((m) => m.bucket)).size} buckets (${dev.url})\n`);
    return memories;
}

/** A page of 100 `<img>` in the gallery's layout: the bare baseline and the proxy variant. */
function barePage(urls: readonly string[]): string {
    const images = urls.map((url) => `<li><img src="${url}" width="320" height="213" alt=""></li>`).join('');
    return `<!doctype html><meta charset="utf-8"><style>ul{display:grid;grid-template-columns:repeat(auto-fill,minmax(240px,1fr));gap:16px;list-style:none;padding:0}img{width:100%;height:auto;object-fit:cover}</style><ul>${images}</ul>`;
}

/** The bench's own server: the bare page, and the Web2 proxy route (mint server-side, fetch, relay). */
async function startBenchServer(dev: DevDeployment, carolAuth: AuthCalls, pages: Record<string, string>): Promise<{ server: Server; origin: string }> {
    const server = createServer((request, response) => {
        const url = new URL(request.url ?? '/', 'http://bench');
        const page = pages[url.pathname];
        if (page) {
            response.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store' });
            response.end(page);
            return;
        }
        const proxied = /^\/proxy\/([A-Za-z0-9_-]+)\/(thumbnail)$/.exec(url.pathname);
        if (!proxied) {
            response.writeHead(404).end();
            return;
        }
        const [, memoryId, variant] = proxied as unknown as [string, string, 'thumbnail'];
        void (async () => {
            // As the old design: the server checks access (one query) and fetches the bytes itself.
            const minted = ok('mint', await carolAuth.mint_http_token({ memory_id: memoryId, variants: [{ [variant]: null }], asset_ids: [], ttl_seconds: [] }));
            const upstream = await localhostFetch(icAssetUrl({ bucket: minted.bucket.toText(), memoryId, variant, token: minted.token, network: { kind: 'local', port: dev.port } }));
            response.writeHead(upstream.status, { 'content-type': upstream.headers['content-type'] ?? 'application/octet-stream', 'cache-control': 'private, max-age=0' });
            response.end(Buffer.from(upstream.body));
        })().catch((error: Error) => {
            response.writeHead(502).end(error.message);
        });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { server, origin: `http://localhost:${(server.address() as AddressInfo).port}` };
}

const percentile = (values: readonly number[], p: number) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
};
const median = (values: readonly number[]) => percentile(values, 50);

interface PageRun {
    readonly allDecodedMs: number;
    /** When the last IC query before the first thumbnail request ended (the page's tokens in hand). */
    readonly tokensReadyMs: number;
    readonly perImageMs: number[];
    readonly mintQueries: number;
    readonly jsBytes: { url: string; bytes: Buffer }[];
}

async function measurePage(browser: Browser, url: string, images: number, signInAs?: { name: string; frontendOrigin: string }): Promise<PageRun> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 7_200 } });
    if (signInAs) {
        // A returning visitor: the dev session is in localStorage already (the app restores it).
        const identity = devIdentity(signInAs.name as 'carol');
        await context.addInitScript(
            ([key, value]) => localStorage.setItem(key!, value!),
            ['icp-private-assets.dev-identity', JSON.stringify({ name: signInAs.name, key: identity.toJSON() })]
        );
    }
    const page = await context.newPage();
    let mintQueries = 0;
    const jsBytes: { url: string; bytes: Buffer }[] = [];
    page.on('request', (request) => {
        const body = request.postDataBuffer();
        if (body && request.url().endsWith('/query') && body.includes(Buffer.from('mint_http_tokens'))) mintQueries += 1;
    });
    page.on('response', (response) => {
        if (response.url().endsWith('.js')) void response.body().then((bytes) => jsBytes.push({ url: response.url(), bytes }), () => undefined);
    });
    await page.goto(url);
    const allDecodedMs = await page.evaluate(async (count) => {
        const selector = 'img:not(.placeholder-layer)';
        for (;;) {
            const imgs = [...document.querySelectorAll<HTMLImageElement>(selector)].filter((img) => !img.closest('.asset-placeholder'));
            if (imgs.length >= count && imgs.every((img) => img.complete && img.naturalWidth > 0)) {
                await Promise.all(imgs.map((img) => img.decode().catch(() => undefined)));
                return performance.now();
            }
            await new Promise((resolve) => setTimeout(resolve, 10));
        }
    }, images);
    const tokensReadyMs = await page.evaluate(() => {
        const entries = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
        const firstImage = Math.min(...entries.filter((e) => /\/thumbnail/.test(e.name)).map((e) => e.startTime));
        const queries = entries.filter((e) => e.name.endsWith('/query') && e.startTime < firstImage);
        return queries.length === 0 ? 0 : Math.max(...queries.map((e) => e.responseEnd));
    });
    const perImageMs = await page.evaluate(() =>
        performance
            .getEntriesByType('resource')
            .filter((entry) => /\/(asset\/[^/]+\/thumbnail|proxy\/[^/]+\/thumbnail)/.test(entry.name))
            .map((entry) => entry.duration)
    );
    await context.close();
    return { allDecodedMs, tokensReadyMs, perImageMs, mintQueries, jsBytes };
}

async function main(): Promise<void> {
    const dir = mkdtempSync(join(tmpdir(), 'frontend-bench-'));
    process.stderr.write('starting npm run dev…\n');
    const { child, dev } = await startDev(dir);
    const stop = () => {
        try {
            process.kill(-child.pid!, 'SIGINT');
        } catch {
            /* already gone */
        }
    };
    process.once('exit', stop);
    try {
        const carol = devIdentity('carol');
        const agent = await HttpAgent.create({ host: dev.url, identity: carol, shouldFetchRootKey: true });
        const auth = Actor.createActor(authIdlFactory as never, { agent, canisterId: dev.auth }) as unknown as AuthCalls;
        const { identityFromPem } = await import('../../scripts/src/identityFile');
        const adminAgent = await HttpAgent.create({ host: dev.url, identity: identityFromPem(readFileSync(dev.admin.pem, 'utf8')), shouldFetchRootKey: true });
        const admin = Actor.createActor(authIdlFactory as never, { agent: adminAgent, canisterId: dev.auth }) as unknown as AuthCalls;
        const memories = await seedCarol(dev, admin, auth, agent);
        const frontend = await startFrontendServer({
            root: join(REPOSITORY_ROOT, 'frontend/out'),
            port: 0,
            config: { network: 'local', host: dev.url, authCanisterId: dev.auth, galleryPageSize: 100 }
        });
        const minted = await auth.mint_http_tokens({ memory_ids: memories.map((m) => m.id), variants: [{ thumbnail: null }], ttl_seconds: [3_600] });
        const directUrls = minted.map(({ memory_id, result }) => {
            const { token, bucket } = ok('mint', result);
            return icAssetUrl({ bucket: bucket.toText(), memoryId: memory_id, variant: 'thumbnail', token, network: { kind: 'local', port: dev.port } });
        });
        const bench = await startBenchServer(dev, auth, {
            '/bare': barePage(directUrls),
            '/proxied': barePage(memories.map((m) => `/proxy/${m.id}/thumbnail`))
        });

        const browser = await chromium.launch({
            executablePath: '/usr/bin/chromium',
            args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync']
        });
        const runs = { gallery: [] as PageRun[], bare: [] as PageRun[], proxied: [] as PageRun[] };
        // One warm-up of each (compilation caches, connections), then the measured runs interleaved.
        for (let round = 0; round <= RUNS; round++) {
            const gallery = await measurePage(browser, frontend.url, memories.length, { name: 'carol', frontendOrigin: frontend.url });
            const bare = await measurePage(browser, `${bench.origin}/bare`, memories.length);
            const proxied = await measurePage(browser, `${bench.origin}/proxied`, memories.length);
            if (round === 0) continue;
            runs.gallery.push(gallery);
            runs.bare.push(bare);
            runs.proxied.push(proxied);
            process.stderr.write(`run ${round}: gallery ${gallery.allDecodedMs.toFixed(0)} ms, bare ${bare.allDecodedMs.toFixed(0)} ms, proxied ${proxied.allDecodedMs.toFixed(0)} ms\n`);
        }
        await browser.close();

        const all = (kind: keyof typeof runs) => runs[kind].flatMap((run) => run.perImageMs);
        const gallery = median(runs.gallery.map((r) => r.allDecodedMs));
        const bare = median(runs.bare.map((r) => r.allDecodedMs));
        const direct = all('bare');
        const proxied = all('proxied');
        const galleryImages = all('gallery');
        const js = new Map<string, Buffer>();
        for (const run of runs.gallery) for (const file of run.jsBytes) js.set(new URL(file.url).pathname, file.bytes);
        const jsGzip = [...js.values()].reduce((sum, bytes) => sum + gzipSync(bytes, { level: 9 }).length, 0);
        const jsRaw = [...js.values()].reduce((sum, bytes) => sum + bytes.length, 0);
        const mintCounts = [...new Set(runs.gallery.map((r) => r.mintQueries))].join(', ');
        const f = (ms: number) => `${ms.toFixed(0)} ms`;
        const lines = [
            `| figure | result | goal |`,
            `|---|---|---|`,
            `| mint queries for a page of ${memories.length} memories on ${new Set(memories.map((m) => m.bucket)).size} buckets | ${mintCounts} | 1 |`,
            `| every thumbnail decoded, gallery (median of ${RUNS}) | ${f(gallery)} | |`,
            `| the same 100 URLs with tokens minted beforehand, bare page (median) | ${f(bare)} | |`,
            `| gallery ÷ bare | ${(gallery / bare).toFixed(2)}× | ≤ 1.3× |`,
            `| of which: the gallery's tokens in hand (sign-in restored, list_memories, mint_http_tokens), median | ${f(median(runs.gallery.map((r) => r.tokensReadyMs)))} | |`,
            `| gallery minus that, ÷ bare | ${(median(runs.gallery.map((r) => r.allDecodedMs - r.tokensReadyMs)) / bare).toFixed(2)}× | |`,
            `| per image, direct from the bucket: p50 / p95 | ${f(median(direct))} / ${f(percentile(direct, 95))} | |`,
            `| per image, in the gallery: p50 / p95 | ${f(median(galleryImages))} / ${f(percentile(galleryImages, 95))} | |`,
            `| per image, through the Web2 proxy route: p50 / p95 | ${f(median(proxied))} / ${f(percentile(proxied, 95))} | |`,
            `| direct ÷ proxy, p50 / p95 | ${(median(direct) / median(proxied)).toFixed(2)}× / ${(percentile(direct, 95) / percentile(proxied, 95)).toFixed(2)}× | ≤ 0.5× |`,
            `| whole page through the proxy (median) | ${f(median(runs.proxied.map((r) => r.allDecodedMs)))} | |`,
            `| JavaScript loaded by the gallery route (${js.size} files), gzip -9 | ${(jsGzip / 1024).toFixed(1)} KB (${(jsRaw / 1024).toFixed(0)} KB raw) | ≤ 300 KB |`
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
        await frontend.close();
        bench.server.close();
    } finally {
        stop();
    }
    void devIdentitySeed;
}

await main();
process.exit(0);
