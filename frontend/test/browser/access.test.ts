/**
 * Who sees what: bob sees only what alice shares with him; a share revoked or a memory deleted
 * while a gallery is open becomes a placeholder saying so, and nothing is retried after that.
 */
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
    asDev,
    createTestMemory,
    DEFAULT_LIFETIMES,
    deployment,
    launchChromium,
    ok,
    PageLog,
    setTokenLifetimes,
    signIn,
    sleep,
    type Client,
    type DevDeployment,
    type DevName
} from '../support/browserHarness';

const SCREENS = join(tmpdir(), 'frontend-browser-screens');
/** A short read-token lifetime, so open galleries re-mint (and learn of refusals) within seconds. */
const TTL = 6;

let dev: DevDeployment;
let browser: Browser;
/** The owner of the memories these tests share, revoke and delete (so alice's gallery stays as seeded). */
let dave: Client;
let bob: Client;

beforeAll(async () => {
    dev = deployment();
    browser = await launchChromium();
    dave = await asDev(dev, 'dave');
    bob = await asDev(dev, 'bob');
});

afterAll(async () => {
    await browser?.close();
});

async function open(name: DevName): Promise<{ page: Page; log: PageLog }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const log = new PageLog(page);
    await signIn(page, dev, name);
    return { page, log };
}

const tile = (page: Page, memoryId: string) => page.locator(`.gallery-tile[data-memory-id="${memoryId}"]`);

describe('bob', () => {
    it('sees only the memory alice shares with him; her others are not listed and their URLs fail for him', async () => {
        const { page, log } = await open('bob');
        const shared = dev.gallery.memories.find((memory) => memory.id === dev.gallery.sharedWithBob)!;
        await page.locator('.gallery-tile .asset-image[data-state="loaded"]').first().waitFor();
        expect(await page.locator('.gallery-tile .tile-title').allTextContents()).toEqual([shared.title]);
        expect(await tile(page, shared.id).locator('.tile-badge').textContent()).toBe('shared with you');
        expect(await tile(page, shared.id).locator('img:not(.placeholder-layer)').evaluate(async (img: HTMLImageElement) => (await createImageBitmap(img)).width)).toBe(shared.assets.thumbnail.width);
        await page.screenshot({ path: join(SCREENS, 'gallery-bob.png'), fullPage: true });

        const others = dev.gallery.memories.filter((memory) => memory.id !== shared.id);
        for (const memory of others) expect(log.assetRequests(memory.id)).toEqual([]);
        // Opening one of alice's other memories by its URL: a placeholder, and no request to any bucket.
        const other = others[0]!;
        const mark = log.mark;
        await page.goto(`${dev.frontend.url}memory?id=${other.id}`);
        await page.locator('[data-problem="no-access"]').waitFor();
        expect(log.assetRequests(other.id, undefined, mark)).toEqual([]);
        // The asset URL without a token is refused, and the auth canister mints him none.
        const status = await page.evaluate((url) => fetch(url).then((r) => [r.status, r.headers.get('x-token-error')]), `http://${other.bucket}.localhost:${dev.port}/asset/${other.id}/thumbnail`);
        expect(status).toEqual([401, 'missing']);
        const minted = await bob.auth.mint_http_tokens({ memory_ids: others.map((m) => m.id), variants: [{ thumbnail: null }], ttl_seconds: [] });
        expect(minted.every(({ result }) => 'Err' in result && ('NotFound' in (result.Err as object) || 'NotAuthorized' in (result.Err as object)))).toBe(true);
        await page.close();
    });
});

describe('access taken away while a gallery is open', () => {
    beforeAll(async () => setTokenLifetimes(dev, TTL, TTL));
    afterAll(async () => setTokenLifetimes(dev, DEFAULT_LIFETIMES.defaultTtl, DEFAULT_LIFETIMES.maxTtl));

    /** After the placeholder shows: two more lifetimes in which nothing may be asked or loaded for the memory. */
    async function expectNoRetries(log: PageLog, memoryId: string): Promise<void> {
        const mark = log.mark;
        await sleep(2 * TTL * 1_000);
        expect(log.mintQueries(mark, memoryId)).toEqual([]);
        expect(log.assetRequests(memoryId, undefined, mark)).toEqual([]);
        // The rest of the gallery goes on being re-minted meanwhile.
        expect(log.mintQueries(mark).length).toBeGreaterThan(0);
    }

    it('a revoked share becomes a "no access" placeholder in bob’s gallery, with no retry loop', async () => {
        const memory = await createTestMemory(dev, dave, 'Shared for a while');
        ok('grant', await dave.auth.grant({ memory_id: memory.id, principal: bob.identity.getPrincipal() as never, role: { viewer: null } }));
        const { page, log } = await open('bob');
        await tile(page, memory.id).locator('.asset-image[data-state="loaded"]').waitFor();
        expect(log.assetRequests(memory.id, 'thumbnail').map((r) => r.status)).toEqual([200]);

        ok('revoke', await dave.auth.revoke({ memory_id: memory.id, principal: bob.identity.getPrincipal() as never }));
        await tile(page, memory.id).locator('[data-problem="no-access"]').waitFor({ timeout: 0 });
        expect(await tile(page, memory.id).locator('img').count()).toBe(0); // the private picture is gone from the screen
        const refusals = log.mintQueries(0, memory.id).length;
        await expectNoRetries(log, memory.id);
        expect(log.mintQueries(0, memory.id)).toHaveLength(refusals);
        // The memory shared all along is still there.
        expect(await tile(page, dev.gallery.sharedWithBob).locator('.asset-image[data-state="loaded"]').count()).toBe(1);
        await page.screenshot({ path: join(SCREENS, 'revoked.png'), fullPage: true });
        await page.close();
    });

    it('a deleted memory becomes a placeholder in its owner’s gallery and on its page, with no retry loop', async () => {
        const memory = await createTestMemory(dev, dave, 'Deleted soon');
        const { page, log } = await open('dave');
        await tile(page, memory.id).locator('.asset-image[data-state="loaded"]').waitFor();

        ok('delete_memory', await dave.auth.delete_memory({ memory_id: memory.id }));
        await tile(page, memory.id).locator('[data-problem="no-access"]').waitFor({ timeout: 0 });
        await expectNoRetries(log, memory.id);

        const mark = log.mark;
        await page.goto(`${dev.frontend.url}memory?id=${memory.id}`);
        await page.locator('[data-problem="no-access"]').waitFor();
        expect(log.assetRequests(memory.id, undefined, mark)).toEqual([]);
        expect(log.mintQueries(mark, memory.id)).toEqual([]);
        // And the gallery no longer lists it.
        await page.goto(dev.frontend.url);
        await page.locator('.gallery-tile').first().waitFor();
        expect(await tile(page, memory.id).count()).toBe(0);
        await page.close();
    });
});
