/**
 * alice's gallery and memory pages in real Chromium against `npm run dev`: what she sees
 * (decoded sizes, pixels, bytes), where every byte came from (the memory's own bucket host, never
 * /_next/image or the frontend's server), how many mint queries a page costs, the original on
 * demand and as a download, the video with Range seeking, the keyboard, and the agent fallback.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployment, launchChromium, PageLog, sha256, signIn, type DevDeployment } from '../support/browserHarness';

const SCREENS = join(tmpdir(), 'frontend-browser-screens');
mkdirSync(SCREENS, { recursive: true });

let dev: DevDeployment;
let browser: Browser;

beforeAll(async () => {
    dev = deployment();
    browser = await launchChromium();
});

afterAll(async () => {
    await browser?.close();
});

const bucketHost = (bucket: string) => `${bucket}.localhost:${dev.port}`;
const seededHashes = () => new Set(dev.gallery.memories.flatMap((memory) => Object.values(memory.assets).map((asset) => asset.sha256)));

async function openGallery(name: 'alice' | 'bob' = 'alice', setUp?: (page: Page) => Promise<void>): Promise<{ page: Page; log: PageLog }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const log = new PageLog(page);
    await setUp?.(page);
    await signIn(page, dev, name);
    return { page, log };
}

const loadedTiles = (page: Page, count: number) =>
    page.waitForFunction((n) => document.querySelectorAll('.gallery-tile .asset-image[data-state="loaded"]').length === n, count, { polling: 100, timeout: 0 });

describe('alice’s gallery', () => {
    let page: Page;
    let log: PageLog;

    beforeAll(async () => {
        ({ page, log } = await openGallery());
        await loadedTiles(page, dev.gallery.memories.length);
        await log.settled();
        await page.screenshot({ path: join(SCREENS, 'gallery-alice.png'), fullPage: true });
    });

    afterAll(async () => page?.close());

    it('shows every memory’s thumbnail, decoded at its size, loaded from that memory’s own bucket', async () => {
        // The decoded pixels' size (naturalWidth is scaled by the srcset's density).
        const tiles = await page.$$eval('.gallery-tile', (elements) =>
            Promise.all(
                elements.map(async (tile) => {
                    const img = tile.querySelector<HTMLImageElement>('.asset-image img:not(.placeholder-layer)')!;
                    const bitmap = await createImageBitmap(img);
                    return { title: tile.querySelector('.tile-title')!.textContent, width: bitmap.width, height: bitmap.height, src: img.currentSrc };
                })
            )
        );
        expect(tiles.map((tile) => tile.title)).toEqual(dev.gallery.memories.map((memory) => memory.title));
        for (const [index, memory] of dev.gallery.memories.entries()) {
            const thumbnail = memory.assets.thumbnail;
            expect(tiles[index]).toMatchObject({ width: thumbnail.width, height: thumbnail.height });
            expect(new URL(tiles[index]!.src).host).toBe(bucketHost(memory.bucket));
            const requests = log.assetRequests(memory.id, 'thumbnail');
            expect(requests).toHaveLength(1);
            expect(requests[0]).toMatchObject({ host: bucketHost(memory.bucket), status: 200, bodySha256: thumbnail.sha256 });
            // The blurred placeholder variant came from the same bucket.
            expect(log.assetRequests(memory.id, 'placeholder').every((request) => request.host === bucketHost(memory.bucket))).toBe(true);
        }
        // The memories are spread over the buckets.
        expect(new Set(dev.gallery.memories.map((memory) => memory.bucket)).size).toBe(dev.buckets.length);
    });

    it('costs one mint_http_tokens query for the page; no /_next/image; no asset byte through the frontend server', () => {
        expect(log.mintQueries()).toHaveLength(1);
        expect(log.requests.filter((request) => request.path.includes('/_next/image'))).toEqual([]);
        const frontendHost = new URL(dev.frontend.url).host;
        const fromFrontend = log.requests.filter((request) => request.host === frontendHost);
        expect(fromFrontend.length).toBeGreaterThan(0);
        const hashes = seededHashes();
        for (const request of fromFrontend) {
            expect(request.path.startsWith('/asset')).toBe(false);
            if (request.bodySha256) expect(hashes.has(request.bodySha256)).toBe(false);
        }
        // Everything else went to the IC: the API (agent calls) or a bucket's host (asset GETs and HEADs).
        const bucketHosts = new Set(dev.buckets.map(bucketHost));
        for (const request of log.requests.filter((r) => r.host !== frontendHost)) {
            if (bucketHosts.has(request.host)) expect(request.path.startsWith('/asset/')).toBe(true);
            else expect(request.url.startsWith(`${dev.url}/api/`)).toBe(true);
        }
    });

    it('shows the pictures themselves (the pixels on screen match the thumbnail’s)', async () => {
        const memory = dev.gallery.memories[0]!;
        const tile = page.locator('.gallery-tile', { hasText: memory.title }).locator('.asset-image');
        const shown = await sharp(await tile.screenshot()).stats();
        const response = log.assetRequests(memory.id, 'thumbnail')[0]!;
        expect(response.bodySha256).toBe(memory.assets.thumbnail.sha256);
        const expected = await sharp(await fetchThumbnailBytes(page, memory.id)).stats();
        for (let channel = 0; channel < 3; channel++) expect(Math.abs(shown.channels[channel]!.mean - expected.channels[channel]!.mean)).toBeLessThan(8);
        // Not a flat colour: a picture.
        expect(shown.channels[0]!.stdev).toBeGreaterThan(5);
    });

    it('moves between tiles with the arrow keys and opens one with Enter', async () => {
        await page.locator('.tile-link').first().focus();
        await page.keyboard.press('ArrowRight');
        const focused = await page.evaluate(() => document.activeElement?.getAttribute('href'));
        expect(focused).toBe(`/memory?id=${dev.gallery.memories[1]!.id}`);
        await page.keyboard.press('Enter');
        await expect.poll(() => page.url()).toBe(`${dev.frontend.url}memory?id=${dev.gallery.memories[1]!.id}`);
        await page.locator('#memory-title').waitFor();
        await page.keyboard.press('Escape');
        await expect.poll(() => new URL(page.url()).pathname).toBe('/');
    });
});

/** The thumbnail's bytes as the browser got them (same URL it loaded, fetched again in the page). */
async function fetchThumbnailBytes(page: Page, memoryId: string): Promise<Buffer> {
    const src = await page.$eval(`.asset-image[data-memory-id="${memoryId}"] img:not(.placeholder-layer)`, (img) => (img as HTMLImageElement).currentSrc);
    const bytes = await page.evaluate(async (url) => Array.from(new Uint8Array(await (await fetch(url)).arrayBuffer())), src);
    return Buffer.from(bytes);
}

describe('a memory’s page', () => {
    let page: Page;
    let log: PageLog;

    beforeAll(async () => {
        ({ page, log } = await openGallery());
        await loadedTiles(page, dev.gallery.memories.length);
    });

    afterAll(async () => page?.close());

    it('shows the preview, the original on demand, every file, and downloads the original', async () => {
        const memory = dev.gallery.memories.find((m) => m.kind === 'picture')!;
        await page.locator('.gallery-tile', { hasText: memory.title }).locator('a').click();
        await expect.poll(() => page.url()).toBe(`${dev.frontend.url}memory?id=${memory.id}`);
        const preview = page.locator('.detail-image img:not(.placeholder-layer)');
        await page.locator('.detail-image[data-state="loaded"]').waitFor();
        const decoded = await preview.evaluate(async (img: HTMLImageElement) => {
            const bitmap = await createImageBitmap(img);
            return { size: [bitmap.width, bitmap.height], variant: new URL(img.currentSrc).pathname.split('/')[3] };
        });
        expect(decoded).toEqual({ size: [memory.assets.preview.width, memory.assets.preview.height], variant: 'preview' });
        await page.locator('.asset-list').waitFor();
        expect(await page.locator('.asset-list tbody tr').count()).toBe(4);
        expect(await page.locator('.asset-list tr[data-variant="original"]').textContent()).toContain('image/jpeg');

        const mark = log.mark;
        await page.getByRole('button', { name: /View original/ }).click();
        const original = page.locator('dialog[open] img.original-image');
        await original.waitFor();
        expect(await original.evaluate((img: HTMLImageElement) => img.decode().then(() => [img.naturalWidth, img.naturalHeight]))).toEqual([memory.assets.original.width, memory.assets.original.height]);
        const originalSha = await original.evaluate(async (img: HTMLImageElement) => {
            const digest = await crypto.subtle.digest('SHA-256', await (await fetch(img.src)).arrayBuffer());
            return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
        });
        expect(originalSha).toBe(memory.assets.original.sha256);
        expect(log.assetRequests(memory.id, 'original', mark).filter((r) => r.method === 'GET').map((r) => r.host)).toEqual([bucketHost(memory.bucket)]);
        await page.screenshot({ path: join(SCREENS, 'original.png') });
        await page.keyboard.press('Escape');
        await expect.poll(() => page.locator('dialog[open]').count()).toBe(0);

        const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download original' }).click()]);
        expect(download.suggestedFilename()).toBe(`${memory.title.replace(/ /g, '-')}-original.jpg`);
        expect(sha256(readFileSync((await download.path())!))).toBe(memory.assets.original.sha256);
        await page.screenshot({ path: join(SCREENS, 'memory.png'), fullPage: true });
    });

    it('plays the video from its bucket and seeks to the middle with a Range request answered 206', async () => {
        const video = dev.gallery.memories.find((m) => m.kind === 'video')!;
        await page.goto(`${dev.frontend.url}memory?id=${video.id}`);
        const element = page.locator('video.memory-video');
        await element.waitFor();
        await page.waitForFunction(() => (document.querySelector('video.memory-video') as HTMLVideoElement | null)?.readyState! >= 1, null, { timeout: 0 });
        expect(await element.evaluate((v: HTMLVideoElement) => [v.videoWidth, v.videoHeight, Math.round(v.duration)])).toEqual([video.assets.original.width, video.assets.original.height, 6]);
        const mark = log.mark;
        await element.evaluate(
            (v: HTMLVideoElement) =>
                new Promise<void>((resolve) => {
                    v.addEventListener('seeked', () => resolve(), { once: true });
                    v.currentTime = v.duration / 2;
                })
        );
        const size = video.assets.original.size;
        const middle = () =>
            log.assetRequests(video.id, 'original', mark).filter((r) => r.status === 206 && r.range !== undefined && Number(/bytes=(\d+)-/.exec(r.range)?.[1]) > size / 4);
        await expect.poll(() => middle().length).toBeGreaterThan(0);
        expect(new Set(middle().map((r) => r.host))).toEqual(new Set([bucketHost(video.bucket)]));
        // And it plays from there.
        const played = await element.evaluate(async (v: HTMLVideoElement) => {
            v.muted = true;
            const from = v.currentTime;
            await v.play();
            await new Promise((resolve) => setTimeout(resolve, 1_000));
            v.pause();
            return { from, to: v.currentTime, error: v.error?.message ?? null };
        });
        expect(played.error).toBeNull();
        expect(played.to).toBeGreaterThan(played.from);
        await page.screenshot({ path: join(SCREENS, 'video.png'), fullPage: true });
    });
});

describe('CustomImage, the agent fallback', () => {
    it('shows the same bytes as the direct URL when the gateway fails, and revokes its blob URL when unmounted', async () => {
        const memory = dev.gallery.memories[0]!;
        // The HTTP gateway answers 502 for this memory's assets (an outage of the HTTP path only).
        const { page, log } = await openGallery('alice', async (p) => {
            await p.route(`http://${bucketHost(memory.bucket)}/asset/${memory.id}/**`, (route) => route.fulfill({ status: 502, body: 'Bad Gateway' }));
        });
        const fallback = page.locator(`.custom-image[data-memory-id="${memory.id}"].is-loaded img`);
        await fallback.waitFor({ timeout: 0 });
        const shown = await fallback.evaluate(async (img: HTMLImageElement) => {
            await img.decode();
            const digest = await crypto.subtle.digest('SHA-256', await (await fetch(img.src)).arrayBuffer());
            return { src: img.src, width: img.naturalWidth, sha: Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('') };
        });
        expect(shown.src.startsWith('blob:')).toBe(true);
        expect(shown).toMatchObject({ width: memory.assets.thumbnail.width, sha: memory.assets.thumbnail.sha256 });
        expect(log.requests.filter((r) => r.canisterMethod === 'get_asset_chunk').length).toBeGreaterThanOrEqual(1);
        // Leaving the gallery unmounts it: the blob URL no longer resolves.
        await page.locator('.tile-link').nth(1).click();
        await expect.poll(() => page.url()).toContain('/memory?id=');
        const stillThere = await page.evaluate((url) => fetch(url).then(() => true, () => false), shown.src);
        expect(stillThere).toBe(false);
        await page.close();
    });
});
