/**
 * The service-worker attack, replayed in real Chromium against a bucket on localnet behind its
 * HTTP gateway, layer by layer. The attack (before the fix): an editor uploads a script and an
 * HTML page; the page, opened on the bucket's origin, registers the script as a service worker
 * with scope `/`, which then sees every later visit to any memory on that bucket, tokens
 * included. Each layer below stops it on its own:
 * 1. the bucket refuses to store anything but passive media (no script, no page, no SVG);
 * 2. even a document the bucket served would run no script (CSP `default-src 'none'; sandbox`),
 *    and its opaque origin could not register a worker;
 * 3. a worker script fetch (`Service-Worker: script`) is refused with 403 whatever it asks for.
 * Embedding the media from another origin (the frontend) still works.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { localhostFetch } from '@icp-private-assets/localnet';
import { launchChromium } from '@icp-private-assets/localnet/chromium';
import { startBucket, type BucketHarness } from '../support/bucketNetwork';

/** A 2×1 PNG: a red pixel and a blue one. */
const PNG = Uint8Array.from(
    Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAIAAAB7QOjdAAAADUlEQVR4nGP4zwAE/wEHAAH/4iOeWQAAAABJRU5ErkJggg==', 'base64')
);

let h: BucketHarness;
let browser: Browser;
let origin: string;
let frontend: Server;
let frontendOrigin: string;

beforeAll(async () => {
    h = await startBucket();
    await h.pushKeys(1n, [{ kid: 'k1' }]);
    await h.upload('m1', 'preview', PNG, { contentType: 'image/png' });
    const port = await h.pic.makeLive();
    origin = `http://${h.bucketId.toText()}.localhost:${port}`;
    browser = await launchChromium();
    // The frontend's origin: a page that embeds a bucket URL.
    frontend = createServer((request, response) => {
        const src = new URL(request.url!, 'http://x').searchParams.get('src');
        if (src === null) {
            response.writeHead(404).end();
            return;
        }
        response.writeHead(200, { 'content-type': 'text/html' });
        response.end(`<!doctype html><img id="photo" crossorigin="anonymous" src="${src.replace(/"/g, '&quot;')}">`);
    });
    await new Promise<void>((resolve) => frontend.listen(0, '127.0.0.1', resolve));
    frontendOrigin = `http://127.0.0.1:${(frontend.address() as AddressInfo).port}`;
});

afterAll(async () => {
    await browser?.close();
    frontend?.close();
    await h?.pic.stopLive().catch(() => undefined);
    await h?.stop();
});

async function withPage<T>(run: (page: Page) => Promise<T>): Promise<T> {
    const context = await browser.newContext();
    try {
        return await run(await context.newPage());
    } finally {
        await context.close();
    }
}

describe('layer 1: the bucket stores passive media only', () => {
    it.each(['application/javascript', 'text/html', 'image/svg+xml'])('refuses to store %s', async (contentType) => {
        await expect(h.upload('m1', 'placeholder', new TextEncoder().encode('<script>1</script>'), { assetId: 'sw', contentType })).rejects.toThrow(
            `UnsupportedContentType":{"content_type":"${contentType}"`
        );
        const token = await h.token();
        expect((await h.actor.get_asset_chunk({ token, memory_id: 'm1', variant: { placeholder: null }, asset_id: ['sw'], index: 0 })).Err).toEqual({ NotFound: null });
    });
});

describe('layer 2: nothing a bucket serves runs, even as a top-level document', () => {
    it('an HTML body with the headers the bucket sends runs no script (the same body without them does: the test can fail)', async () => {
        const url = `${origin}/asset/m1/preview?token=${await h.token()}`;
        const real = await localhostFetch(url);
        expect(real.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
        const bucketHeaders = Object.fromEntries(real.headerList.filter(([name]) => !/^(content-length|content-type)$/i.test(name)));
        const page = `<!doctype html><title>quiet</title><script>document.title = 'ran'; fetch('/beacon');</script>`;
        const titleAfterLoad = async (keepBucketHeaders: boolean) =>
            withPage(async (tab) => {
                // The bucket's real response headers on an HTML body: what a page stored on the bucket would get.
                await tab.route(`${origin}/asset/**`, (route) =>
                    route.fulfill({ status: 200, headers: { ...(keepBucketHeaders ? bucketHeaders : {}), 'content-type': 'text/html' }, body: page })
                );
                await tab.route(`${origin}/beacon`, (route) => route.fulfill({ status: 204 }));
                const beacon = keepBucketHeaders ? undefined : tab.waitForRequest(`${origin}/beacon`);
                await tab.goto(url); // resolves at the load event, after any inline script ran
                await beacon;
                return tab.title();
            });
        expect(await titleAfterLoad(false)).toBe('ran');
        expect(await titleAfterLoad(true)).toBe('quiet');
    });

    it('an asset opened in a tab is an image in an opaque origin that cannot register a service worker', async () => {
        await withPage(async (tab) => {
            const token = await h.token();
            const response = await tab.goto(`${origin}/asset/m1/preview?token=${token}`);
            expect(response!.headers()['content-type']).toBe('image/png');
            expect(await tab.evaluate(() => [document.images.length, document.images[0]?.naturalWidth])).toEqual([1, 2]);
            const attempt = await tab.evaluate(async (swUrl) => {
                try {
                    await navigator.serviceWorker.register(swUrl, { scope: '/' });
                    return `registered from ${self.origin}`;
                } catch (error) {
                    return `refused in ${self.origin}: ${(error as Error).name}`;
                }
            }, `/asset?id=m1&variant=preview&token=${token}`);
            expect(attempt).toMatch(/^refused in null: SecurityError/);
        });
    });
});

describe('layer 3: a worker script fetch is refused', () => {
    it('a page on the bucket origin that did run script cannot register a bucket asset as its service worker', async () => {
        await withPage(async (tab) => {
            const token = await h.token();
            // As if layers 1 and 2 had both failed: an attacker's page served on the bucket's origin with script allowed.
            await tab.route(`${origin}/attack.html`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>attack</title>' }));
            await tab.goto(`${origin}/attack.html`);
            const attempt = await tab.evaluate(async (swUrl) => {
                try {
                    await navigator.serviceWorker.register(swUrl, { scope: '/' });
                    return 'registered';
                } catch (error) {
                    return (error as Error).message;
                }
            }, `/asset?id=m1&variant=preview&token=${token}`);
            expect(attempt).toMatch(/bad HTTP response code \(403\)/);
            expect(await tab.evaluate(() => navigator.serviceWorker.getRegistrations().then((r) => r.length))).toBe(0);
        });
    });
});

describe('embedding from another origin still works', () => {
    it('the frontend shows the picture (decoded pixels read back through CORS)', async () => {
        await withPage(async (tab) => {
            const src = `${origin}/asset/m1/preview?token=${await h.token()}`;
            await tab.goto(`${frontendOrigin}/?src=${encodeURIComponent(src)}`);
            await tab.waitForFunction(() => (document.getElementById('photo') as HTMLImageElement).complete);
            const pixels = await tab.evaluate(() => {
                const img = document.getElementById('photo') as HTMLImageElement;
                const canvas = document.createElement('canvas');
                canvas.width = img.naturalWidth;
                canvas.height = img.naturalHeight;
                const context = canvas.getContext('2d')!;
                context.drawImage(img, 0, 0);
                return { size: [img.naturalWidth, img.naturalHeight], data: Array.from(context.getImageData(0, 0, 2, 1).data) };
            });
            expect(pixels).toEqual({ size: [2, 1], data: [255, 0, 0, 255, 0, 0, 255, 255] });
        });
    });
});
