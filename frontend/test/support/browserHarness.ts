/**
 * What the browser tests share: the running `npm run dev` (its dev.json), Debian's chromium through
 * playwright-core (localnet's `launchChromium`), a log of every request a page
 * makes (host, path, status, X-Token-Error, body hash, which canister method a query called), and
 * clients that act in Node as the admin or as a dev identity.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Actor, HttpAgent, type Identity } from '@icp-sdk/core/agent';
import { Principal } from '@icp-sdk/core/principal';
import type { Browser, Page, Request } from 'playwright-core';
import { launchChromium } from '@icp-private-assets/localnet/chromium';
import { inject } from 'vitest';
import { idlFactory as authIdlFactory } from '@icp-private-assets/auth/candid';
import type { DevDeployment } from '../../../scripts/src/devNetwork';
import { devIdentity } from '../../../scripts/src/devIdentities';
import { identityFromPem } from '../../../scripts/src/identityFile';

export type { DevDeployment };

export function deployment(): DevDeployment {
    return JSON.parse(readFileSync(inject('devFile'), 'utf8')) as DevDeployment;
}

export { launchChromium };

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export interface LoggedRequest {
    readonly method: string;
    readonly url: string;
    readonly host: string;
    readonly path: string;
    readonly range: string | undefined;
    /** For IC API queries: the canister method, found in the CBOR body. */
    readonly canisterMethod: string | undefined;
    /** For IC API queries: the CBOR body as latin1 text (ids are ASCII inside it). */
    readonly queryBody: string | undefined;
    status?: number;
    tokenError?: string | null;
    bodySha256?: string;
    failed?: string;
    readonly at: number;
}

const QUERY_METHODS = ['mint_http_tokens', 'mint_http_token', 'list_memories', 'get_memory', 'get_asset_chunk'];

/** Every request of a page, with what came back. */
export class PageLog {
    readonly requests: LoggedRequest[] = [];
    readonly #byRequest = new Map<Request, LoggedRequest>();
    readonly #pending: Promise<void>[] = [];

    constructor(page: Page) {
        page.on('request', (request) => {
            const url = new URL(request.url());
            const body = request.postDataBuffer();
            const entry: LoggedRequest = {
                method: request.method(),
                url: request.url(),
                host: url.host,
                path: url.pathname,
                range: request.headers()['range'],
                canisterMethod: body && url.pathname.endsWith('/query') ? QUERY_METHODS.find((name) => body.includes(Buffer.from(name))) : undefined,
                queryBody: body && url.pathname.endsWith('/query') ? body.toString('latin1') : undefined,
                at: Date.now()
            };
            this.requests.push(entry);
            this.#byRequest.set(request, entry);
        });
        page.on('response', (response) => {
            const entry = this.#byRequest.get(response.request());
            if (!entry) return;
            entry.status = response.status();
            entry.tokenError = response.headers()['x-token-error'] ?? null;
            if (entry.method === 'GET' && !entry.range) {
                this.#pending.push(
                    response.body().then(
                        (body) => void (entry.bodySha256 = sha256(body)),
                        () => undefined
                    )
                );
            }
        });
        page.on('requestfailed', (request) => {
            const entry = this.#byRequest.get(request);
            if (entry) entry.failed = request.failure()?.errorText ?? 'failed';
        });
    }

    /** Waits for the bodies being hashed. */
    async settled(): Promise<this> {
        await Promise.all(this.#pending);
        return this;
    }

    since(mark: number): LoggedRequest[] {
        return this.requests.slice(mark);
    }

    get mark(): number {
        return this.requests.length;
    }

    /** `mint_http_tokens` queries made (from `mark` on), optionally only those asking for `memoryId`. */
    mintQueries(mark = 0, memoryId?: string): LoggedRequest[] {
        return this.since(mark).filter((request) => request.canisterMethod === 'mint_http_tokens' && (memoryId === undefined || request.queryBody!.includes(memoryId)));
    }

    /** Requests for an asset of `memoryId` (any host), e.g. `/asset/<id>/thumbnail`. */
    assetRequests(memoryId: string, variant?: string, mark = 0): LoggedRequest[] {
        return this.since(mark).filter((request) => request.path.startsWith(`/asset/${memoryId}/${variant ?? ''}`));
    }
}

export type DevName = 'alice' | 'bob' | 'carol' | 'dave';

export async function signIn(page: Page, dev: DevDeployment, name: DevName): Promise<void> {
    await page.goto(dev.frontend.url);
    await page.locator(`[data-dev-identity="${name}"]`).click();
    await page.locator(`[data-principal]`).waitFor();
}

type Result<T> = { Ok: T } | { Err: unknown };

export function ok<T>(what: string, result: Result<T>): T {
    if ('Ok' in result) return result.Ok;
    throw new Error(`${what} failed: ${JSON.stringify(result.Err, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`);
}

export interface AuthCalls {
    set_config(arg: { default_ttl_seconds: [] | [number]; max_ttl_seconds: [] | [number]; upload_grant_ttl_seconds: [] | [number]; skew_seconds: [] | [number] }): Promise<Result<unknown>>;
    get_config(): Promise<{ default_ttl_seconds: number; max_ttl_seconds: number }>;
    key_status(): Promise<Result<{ version: bigint; keys: { kid: string }[]; buckets: { acknowledged_version: bigint; acknowledged_kid: [] | [string] }[] }>>;
    create_memory(arg: { title: string }): Promise<Result<{ id: string; bucket: Principal }>>;
    mint_upload_grant(arg: { memory_id: string; variants: unknown[]; asset_ids: [] }): Promise<Result<{ token: string; bucket: Principal }>>;
    mint_http_tokens(arg: { memory_ids: string[]; variants: unknown[]; ttl_seconds: [] | [number] }): Promise<{ memory_id: string; result: Result<{ token: string; bucket: Principal }> }[]>;
    grant(arg: { memory_id: string; principal: Principal; role: { viewer: null } }): Promise<Result<null>>;
    revoke(arg: { memory_id: string; principal: Principal }): Promise<Result<null>>;
    delete_memory(arg: { memory_id: string }): Promise<Result<unknown>>;
}

export interface Client {
    readonly identity: Identity;
    readonly agent: HttpAgent;
    readonly auth: AuthCalls;
}

async function client(dev: DevDeployment, identity: Identity): Promise<Client> {
    const agent = await HttpAgent.create({ host: dev.url, identity, shouldFetchRootKey: true });
    return { identity, agent, auth: Actor.createActor(authIdlFactory as never, { agent, canisterId: dev.auth }) as unknown as AuthCalls };
}

export const asAdmin = (dev: DevDeployment) => client(dev, identityFromPem(readFileSync(dev.admin.pem, 'utf8'), dev.admin.pem));
export const asDev = (dev: DevDeployment, name: DevName) => client(dev, devIdentity(name));

/** Sets the auth canister's read-token lifetimes (admin). */
export async function setTokenLifetimes(dev: DevDeployment, defaultTtl: number, maxTtl: number): Promise<void> {
    const admin = await asAdmin(dev);
    ok('set_config', await admin.auth.set_config({ default_ttl_seconds: [defaultTtl], max_ttl_seconds: [maxTtl], upload_grant_ttl_seconds: [], skew_seconds: [] }));
}

export const DEFAULT_LIFETIMES = { defaultTtl: 180, maxTtl: 3_600 } as const;

export const principal = (text: string) => Principal.fromText(text);

/** Polls `probe` every 250 ms until it returns a value (the suite's own timeouts bound the wait). */
export async function until<T>(probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
    for (;;) {
        const value = await probe();
        if (value !== undefined && value !== false) return value;
        await new Promise((resolve) => setTimeout(resolve, 250));
    }
}

/** Makes the page believe its tab was hidden or shown again. Headless Chromium never hides a tab,
 * so the test sets what the browser would: `document.visibilityState` and its event. */
export async function setTabHidden(page: Page, hidden: boolean): Promise<void> {
    await page.evaluate((value) => {
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (value ? 'hidden' : 'visible') });
        Object.defineProperty(document, 'hidden', { configurable: true, get: () => value });
        document.dispatchEvent(new Event('visibilitychange'));
    }, hidden);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A small JPEG of one colour with a gradient, for memories a test creates itself. */
export async function testPicture(width: number, height: number, hue: number): Promise<Uint8Array> {
    const sharp = (await import('sharp')).default;
    const pixels = Buffer.alloc(width * height * 3);
    for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
            const o = (y * width + x) * 3;
            pixels[o] = (hue + (x * 255) / width) % 256;
            pixels[o + 1] = (y * 255) / height;
            pixels[o + 2] = 128;
        }
    }
    return new Uint8Array(await sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 80 }).toBuffer());
}

/** A memory of `owner` with a thumbnail and a placeholder (what the gallery loads), created in Node. */
export async function createTestMemory(dev: DevDeployment, owner: Client, title: string): Promise<{ id: string; bucket: string; thumbnailSha256: string }> {
    const { Actor: AgentActor } = await import('@icp-sdk/core/agent');
    const { idlFactory: bucketIdl } = await import('@icp-private-assets/bucket/candid');
    const { uploadAsset } = await import('@icp-private-assets/bucket/upload');
    const memory = ok('create_memory', await owner.auth.create_memory({ title }));
    const grant = ok('mint_upload_grant', await owner.auth.mint_upload_grant({ memory_id: memory.id, variants: [{ thumbnail: null }, { placeholder: null }], asset_ids: [] }));
    const bucket = AgentActor.createActor(bucketIdl as never, { agent: owner.agent, canisterId: grant.bucket }) as never;
    const thumbnail = await testPicture(480, 320, title.length * 37);
    for (const [variant, content] of [['thumbnail', thumbnail], ['placeholder', await testPicture(24, 16, title.length * 37)]] as const) {
        ok(`upload ${variant}`, await uploadAsset(bucket, { grant: grant.token, memoryId: memory.id, variant, contentType: 'image/jpeg', content }));
    }
    return { id: memory.id, bucket: memory.bucket.toText(), thumbnailSha256: sha256(thumbnail) };
}
