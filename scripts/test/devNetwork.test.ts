/**
 * `npm run dev` as an operator runs it: a child process that starts localnet, deploys the auth
 * canister and buckets through the IC HTTP interface, seeds the demo memory and prints URLs; the
 * URLs serve the demo pictures through the HTTP gateway; a signal stops everything and cleans up.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localhostFetch } from '@icp-private-assets/localnet';
import { Actor, HttpAgent } from '@icp-sdk/core/agent';
import { idlFactory as authIdlFactory } from '@icp-private-assets/auth/candid';
import { DEMO_PICTURES, type DevDeployment } from '../src/devNetwork';
import { devIdentity } from '../src/devIdentities';
import { loadIdentity } from '../src/identityFile';
import { launchChromium } from '@icp-private-assets/localnet/chromium';

const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'dev-network-'));
let child: ChildProcess;
let stdout = '';
let stderr = '';
let exited: Promise<number | null>;
let deployment: DevDeployment;

function runDev(args: string[]): ChildProcess {
    // Its own process group, so a signal can reach every process in it as Ctrl-C in a terminal does.
    return spawn('npm', ['run', '--silent', 'dev', '--', ...args], { cwd: REPOSITORY_ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
}

function exitOf(process: ChildProcess): Promise<number | null> {
    return new Promise((resolve) => process.once('exit', (code, signal) => resolve(code ?? (signal === null ? null : -1))));
}

function groupAlive(pgid: number): boolean {
    try {
        process.kill(-pgid, 0);
        return true;
    } catch {
        return false;
    }
}

async function until(condition: () => boolean): Promise<void> {
    while (!condition()) await new Promise((r) => setTimeout(r, 100));
}

/** Ctrl-C: SIGINT to the whole process group. */
const interrupt = (process_: ChildProcess) => process.kill(-process_.pid!, 'SIGINT');

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

beforeAll(async () => {
    child = runDev(['--port', '0', '--buckets', '2', '--dir', dir, '--frontend-port', '0']);
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    exited = exitOf(child);
    const devFile = join(dir, 'dev.json');
    const started = Date.now();
    while (!existsSync(devFile)) {
        if (child.exitCode !== null) throw new Error(`npm run dev exited ${child.exitCode}:\n${stdout}\n${stderr}`);
        if (Date.now() - started > 300_000) throw new Error(`npm run dev not ready after 300 s:\n${stdout}\n${stderr}`);
        await new Promise((r) => setTimeout(r, 200));
    }
    deployment = JSON.parse(readFileSync(devFile, 'utf8')) as DevDeployment;
});

afterAll(async () => {
    if (child?.pid !== undefined && groupAlive(child.pid)) process.kill(-child.pid, 'SIGKILL');
});

describe('npm run dev', () => {
    it('deploys the auth canister and the buckets and says where they are', () => {
        expect(deployment.buckets).toHaveLength(2);
        expect(stdout).toContain(`auth canister ${deployment.auth}`);
        for (const bucket of deployment.buckets) expect(stdout).toContain(`bucket canister ${bucket}`);
        expect(stdout).toMatch(/keys: k1 acknowledged by all 2 buckets/);
        const ids = JSON.parse(readFileSync(join(dir, 'canister_ids.json'), 'utf8')) as Record<string, { local: string }>;
        expect(ids).toEqual({ auth: { local: deployment.auth }, bucket_1: { local: deployment.buckets[0] }, bucket_2: { local: deployment.buckets[1] } });
        expect(loadIdentity(deployment.admin.pem).getPrincipal().toText()).toBe(deployment.admin.principal);
        expect(stdout).toContain(deployment.demo.urls.preview);
        expect(stderr.replace(/npm warn.*\n/g, '')).toBe('');
    });

    it('serves the demo pictures through the HTTP gateway, byte for byte, the large one streamed', async () => {
        expect(deployment.buckets).toContain(deployment.demo.bucket);
        for (const variant of ['preview', 'original'] as const) {
            const response = await localhostFetch(deployment.demo.urls[variant]);
            expect(response.status).toBe(200);
            expect(response.headers['content-type']).toBe('image/png');
            const expected = DEMO_PICTURES[variant]();
            expect(sha256(response.body)).toBe(sha256(expected));
            expect(deployment.demo.sha256[variant]).toBe(sha256(expected));
        }
        expect(DEMO_PICTURES.original().length).toBeGreaterThan(2_000_000); // more than one chunk: streamed
        expect(deployment.demo.tokenExpiresAt).toBeGreaterThan(Date.now() / 1000 + 3_000);
    });

    it('refuses the same URLs without the token or with a forged one', async () => {
        const url = deployment.demo.urls.preview;
        const bare = await localhostFetch(url.slice(0, url.indexOf('?')));
        expect(bare.status).toBe(401);
        expect(bare.headers['x-token-error']).toBe('missing');
        const forged = await localhostFetch(`${url.slice(0, -4)}AAAA`);
        expect([401, 403]).toContain(forged.status);
    });

    it('shows the pictures in a real browser: <img> on another origin, fetch() with a bearer token, a forged token refused', async () => {
        // A page on an origin of its own, as a web app would be.
        const site = createHttpServer((_request, response) => {
            response.writeHead(200, { 'content-type': 'text/html' });
            response.end('<!doctype html><title>gallery</title>');
        });
        await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
        const browser = await launchChromium();
        try {
            const page = await browser.newPage();
            await page.goto(`http://127.0.0.1:${(site.address() as AddressInfo).port}/`);
            const seen = await page.evaluate(async ({ preview, original }) => {
                const show = (src: string) =>
                    new Promise<{ loaded: boolean; width: number; height: number }>((resolve) => {
                        const img = document.createElement('img');
                        img.onload = () => resolve({ loaded: true, width: img.naturalWidth, height: img.naturalHeight });
                        img.onerror = () => resolve({ loaded: false, width: 0, height: 0 });
                        img.src = src;
                        document.body.append(img);
                    });
                const forged = `${preview.slice(0, -4)}AAAA`;
                const [shownPreview, shownOriginal, shownForged] = await Promise.all([show(preview), show(original), show(forged)]);
                // fetch() can send the token as a header instead (a CORS preflight first).
                const bare = preview.slice(0, preview.indexOf('?'));
                const token = new URL(preview).searchParams.get('token')!;
                const response = await fetch(bare, { headers: { Authorization: `Bearer ${token}` } });
                const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await response.arrayBuffer()));
                const refused = await fetch(bare);
                return {
                    shownPreview,
                    shownOriginal,
                    shownForged,
                    fetched: { status: response.status, sha256: Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join(''), etag: response.headers.get('etag') },
                    refused: { status: refused.status, error: refused.headers.get('x-token-error') }
                };
            }, deployment.demo.urls);
            expect(seen.shownPreview).toEqual({ loaded: true, width: 640, height: 480 });
            expect(seen.shownOriginal).toEqual({ loaded: true, width: 1600, height: 1200 });
            expect(seen.shownForged.loaded).toBe(false);
            expect(seen.fetched).toEqual({ status: 200, sha256: deployment.demo.sha256.preview, etag: `"${deployment.demo.sha256.preview}"` });
            expect(seen.refused).toEqual({ status: 401, error: 'missing' });
        } finally {
            await browser.close();
            site.close();
        }
    });

    it('seeds alice’s gallery over the buckets, shares one memory with bob, and serves the frontend', async () => {
        const { gallery, frontend } = deployment;
        expect(gallery.memories).toHaveLength(7);
        expect(new Set(gallery.memories.map((memory) => memory.bucket))).toEqual(new Set(deployment.buckets));
        expect(gallery.memories.filter((memory) => memory.kind === 'video')).toHaveLength(1);
        expect(gallery.memories.map((memory) => memory.id)).toContain(gallery.sharedWithBob);
        for (const memory of gallery.memories) expect(Object.keys(memory.assets).sort()).toEqual(['original', 'placeholder', 'preview', 'thumbnail']);
        expect(stdout).toContain(`Frontend: ${frontend.url}`);
        expect(stdout).toMatch(/gallery: 7 memories of alice on 2 buckets, "Alpine morning" shared with bob/);
        // The app's files and its configuration; no asset route on the frontend's server.
        const page = await fetch(frontend.url);
        expect(page.status).toBe(200);
        expect(await page.text()).toContain('<html');
        expect(await (await fetch(new URL('/ic-config.json', frontend.url))).json()).toEqual({ network: 'local', host: deployment.url, authCanisterId: deployment.auth });
        expect((await fetch(new URL('/memory', frontend.url))).status).toBe(200);
        expect((await fetch(new URL(`/asset/${gallery.sharedWithBob}/thumbnail`, frontend.url))).status).toBe(404);
        // A seeded asset, fetched through the gateway with a token alice mints, is byte for byte what was uploaded.
        const alice = devIdentity('alice');
        const agent = await HttpAgent.create({ host: deployment.url, identity: alice, shouldFetchRootKey: true });
        const auth = Actor.createActor(authIdlFactory as never, { agent, canisterId: deployment.auth }) as unknown as {
            mint_http_token(arg: unknown): Promise<{ Ok: { token: string; bucket: { toText(): string } } }>;
        };
        const video = gallery.memories.find((memory) => memory.kind === 'video')!;
        const minted = (await auth.mint_http_token({ memory_id: video.id, variants: [{ thumbnail: null }], asset_ids: [], ttl_seconds: [] })).Ok;
        const thumbnail = await localhostFetch(`http://${minted.bucket.toText()}.localhost:${deployment.port}/asset/${video.id}/thumbnail?token=${minted.token}`);
        expect(thumbnail.status).toBe(200);
        expect(sha256(thumbnail.body)).toBe(video.assets.thumbnail.sha256);
    });

    it('stops on Ctrl-C: every process of the group exits, the network ends, its files go', async () => {
        interrupt(child);
        await exited; // npm itself ends by the signal, as in a terminal
        await until(() => !groupAlive(child.pid!));
        expect(existsSync(join(dir, 'dev.json'))).toBe(false);
        expect(existsSync(join(dir, 'canister_ids.json'))).toBe(false);
        expect(existsSync(join(dir, 'state.json'))).toBe(false);
        await expect(localhostFetch(deployment.demo.urls.preview)).rejects.toThrow();
        await expect(fetch(deployment.frontend.url)).rejects.toThrow();
    });

    it('explains bad options and exits 2 without starting anything', async () => {
        const run = runDev(['--buckets', '0']);
        let err = '';
        run.stderr!.on('data', (d) => (err += d));
        expect(await exitOf(run)).toBe(2);
        expect(err).toContain('--buckets must be 1..20, not 0');
        expect(err).toContain('usage: npm run dev');
    });

    it('says why when localnet cannot start (the port is taken) and exits 1', async () => {
        const blocker = createServer();
        await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
        try {
            const run = runDev(['--port', String((blocker.address() as AddressInfo).port), '--dir', mkdtempSync(join(tmpdir(), 'dev-network-'))]);
            let err = '';
            run.stderr!.on('data', (d) => (err += d));
            expect(await exitOf(run)).toBe(1);
            expect(err).toMatch(/dev: localnet exited \(1\) before it was ready:[\s\S]*EADDRINUSE/);
        } finally {
            blocker.close();
        }
    });
});
