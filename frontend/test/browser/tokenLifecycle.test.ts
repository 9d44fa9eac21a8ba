/**
 * Tokens over time in an open gallery: re-minted before they expire (several lifetimes, nothing
 * reloaded, no refusal), not while the tab is hidden, re-minted once when the bucket says a token
 * expired, and after a key rotation (the rotate-keys script) once the old key is retired.
 *
 * To make a token expire at the bucket while the page still believes it fresh, the page's clock
 * is paused (Playwright's clock: timers and Date in the page stop) while the IC's time goes on:
 * the same as a laptop that slept, or a throttled background tab. Then tiles that were not loaded
 * yet (lazy, below the fold) are scrolled to, and load with the tokens the page holds.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
    asAdmin,
    asDev,
    createTestMemory,
    DEFAULT_LIFETIMES,
    deployment,
    launchChromium,
    PageLog,
    setTabHidden,
    setTokenLifetimes,
    signIn,
    sleep,
    until,
    type DevDeployment
} from '../support/browserHarness';

const REPOSITORY_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The buckets accept tokens this long after their expiry (clock skew). */
const SKEW_SECONDS = 30;

/**
 * carol's gallery, for loads that happen late: in a 300 px wide window the tiles form one column,
 * so past the first eight (loaded at once) they are lazy and far below the fold until scrolled to.
 */
const CAROL_MEMORIES = 12;
const EAGER_TILES = 8;
const NARROW = { width: 300, height: 600 } as const;

let dev: DevDeployment;
let browser: Browser;
const carolMemories: { id: string; thumbnailSha256: string }[] = [];

beforeAll(async () => {
    dev = deployment();
    browser = await launchChromium();
    const carol = await asDev(dev, 'carol');
    for (let i = 0; i < CAROL_MEMORIES; i++) carolMemories.unshift(await createTestMemory(dev, carol, `carol ${String(i + 1).padStart(2, '0')}`));
});

afterAll(async () => {
    await setTokenLifetimes(dev, DEFAULT_LIFETIMES.defaultTtl, DEFAULT_LIFETIMES.maxTtl);
    await browser?.close();
});

const tilesLoaded = (page: Page, count: number) =>
    page.waitForFunction((n) => document.querySelectorAll('.gallery-tile .asset-image[data-state="loaded"]').length >= n, count, { polling: 100, timeout: 0 });

async function openGallery(name: 'alice' | 'carol', withClock = false): Promise<{ page: Page; log: PageLog }> {
    const page = await browser.newPage({ viewport: name === 'carol' ? NARROW : { width: 1280, height: 1000 } });
    if (withClock) await page.clock.install();
    const log = new PageLog(page);
    await signIn(page, dev, name);
    await tilesLoaded(page, name === 'carol' ? EAGER_TILES : dev.gallery.memories.length);
    if (name === 'carol') for (const memory of carolMemories.slice(EAGER_TILES)) expect(log.assetRequests(memory.id, 'thumbnail')).toEqual([]);
    return { page, log };
}

/** Asset requests refused: a 401/403 seen (HEAD, fetch), or an `<img>` load Chromium blocked (ORB hides its 403). */
const refusedAssets = (log: PageLog, mark = 0) =>
    log.since(mark).filter((r) => r.path.startsWith('/asset/') && (r.status === 401 || r.status === 403 || (r.failed !== undefined && !r.failed.includes('ABORTED'))));

/** Opens the first memory's page and waits for its preview: a new load with the current token. */
async function openFirstMemory(page: Page): Promise<void> {
    await page.locator('.tile-link').first().click();
    await page.locator('.detail-image[data-state="loaded"], video.memory-video').first().waitFor({ timeout: 0 });
}

/** Scrolls carol's gallery to its end: the lazy tiles load now, with the tokens the page holds. */
async function loadLazyTiles(page: Page): Promise<void> {
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await tilesLoaded(page, CAROL_MEMORIES);
}

/**
 * After `mark`: each lazy tile's first load refused (Chromium hides the 403 of an `<img>` behind
 * ORB, so the page reads it with a HEAD: `tokenError`), then shown with its bytes; one mint query
 * renewed the tokens of them all.
 */
function expectRecoveredOnce(log: PageLog, mark: number, tokenError: string): void {
    const lazy = carolMemories.slice(EAGER_TILES);
    const probes = refusedAssets(log, mark).filter((r) => r.method === 'HEAD');
    expect(probes.length).toBeGreaterThan(0);
    expect(new Set(probes.map((r) => r.tokenError))).toEqual(new Set([tokenError]));
    for (const memory of lazy) {
        const loads = log.assetRequests(memory.id, 'thumbnail', mark).filter((r) => r.method === 'GET');
        expect(loads.length).toBeLessThanOrEqual(2); // the refused load and the one that worked: no loop
        expect(loads.at(-1)).toMatchObject({ status: 200, bodySha256: memory.thumbnailSha256 });
        expect(log.assetRequests(memory.id, 'thumbnail', mark).filter((r) => r.method === 'HEAD').length).toBeLessThanOrEqual(1);
    }
    const remints = log.mintQueries(mark);
    expect(remints).toHaveLength(1);
    for (const memory of lazy) expect(remints[0]!.queryBody).toContain(memory.id);
}

describe('an open gallery as tokens age', () => {
    it('keeps working past several token lifetimes: re-minted before expiry, nothing reloaded, nothing refused', async () => {
        const ttl = 6;
        await setTokenLifetimes(dev, ttl, ttl);
        const { page, log } = await openGallery('alice');
        const mark = log.mark;
        await sleep(4 * ttl * 1_000);
        // A batch about every 3/4 of a lifetime, each for the whole page.
        const remints = log.mintQueries(mark);
        expect(remints.length).toBeGreaterThanOrEqual(3);
        for (const query of remints) for (const memory of dev.gallery.memories) expect(query.queryBody).toContain(memory.id);
        // The images on screen were not reloaded for the new tokens.
        for (const memory of dev.gallery.memories) expect(log.assetRequests(memory.id, 'thumbnail')).toHaveLength(1);
        // A new load now works at once, with a current token.
        await openFirstMemory(page);
        expect(refusedAssets(log)).toEqual([]);
        await page.close();
    });

    it('mints nothing while the tab is hidden, and catches up in one query when it is shown', async () => {
        const ttl = 6;
        await setTokenLifetimes(dev, ttl, ttl);
        const { page, log } = await openGallery('alice');
        await setTabHidden(page, true);
        const hiddenAt = log.mark;
        await sleep(3 * ttl * 1_000);
        expect(log.mintQueries(hiddenAt)).toEqual([]);
        const shownAt = log.mark;
        await setTabHidden(page, false);
        await until(() => log.mintQueries(shownAt).length > 0);
        await sleep(1_000);
        expect(log.mintQueries(shownAt)).toHaveLength(1);
        for (const memory of dev.gallery.memories) expect(log.mintQueries(shownAt)[0]!.queryBody).toContain(memory.id);
        await openFirstMemory(page);
        expect(refusedAssets(log)).toEqual([]);
        await page.close();
    });

    it('re-mints once when the bucket answers that a token expired, and then shows the images', async () => {
        const ttl = 12;
        await setTokenLifetimes(dev, ttl, ttl);
        const { page, log } = await openGallery('carol', true);
        // The page's clock stops; the IC's does not: the tokens the page holds expire at the buckets.
        await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 100);
        await sleep((ttl + SKEW_SECONDS + 3) * 1_000);
        await page.clock.resume();
        const mark = log.mark;
        await loadLazyTiles(page);
        expectRecoveredOnce(log, mark, 'expired');
        await page.close();
    });

    it('recovers by itself after a key rotation (the rotate-keys script), once the old key is retired', async () => {
        const ttl = 12;
        await setTokenLifetimes(dev, ttl, ttl);
        const { page, log } = await openGallery('carol', true);
        const admin = await asAdmin(dev);
        const before = await admin.auth.key_status();
        if (!('Ok' in before)) throw new Error('key_status refused');
        const oldKids = new Set(before.Ok.keys.map((key) => key.kid));
        await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 100);

        const rotated = await runRotateKeys();
        expect(rotated.code, rotated.output).toBe(0);
        // The old key is retired once the overlap (max TTL + skew) has passed and every bucket holds the new keyring.
        await until(async () => {
            const status = await admin.auth.key_status();
            if (!('Ok' in status)) return undefined;
            const { keys, version, buckets } = status.Ok;
            return keys.every((key) => !oldKids.has(key.kid)) && buckets.every((bucket) => bucket.acknowledged_version === version);
        });

        await page.clock.resume();
        const mark = log.mark;
        await loadLazyTiles(page);
        expectRecoveredOnce(log, mark, 'unknown_key');
        await page.close();
    });
});

function runRotateKeys(): Promise<{ code: number | null; output: string }> {
    return new Promise((resolve) => {
        const child = spawn('npm', ['run', '--silent', 'rotate-keys', '--', '--network', 'local', '--identity', dev.admin.pem, '--url', dev.url, '--auth', dev.auth], {
            cwd: REPOSITORY_ROOT,
            stdio: ['ignore', 'pipe', 'pipe']
        });
        let output = '';
        child.stdout.on('data', (data) => (output += data));
        child.stderr.on('data', (data) => (output += data));
        child.once('exit', (code) => resolve({ code, output }));
    });
}
