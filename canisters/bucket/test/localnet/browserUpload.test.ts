/**
 * The upload client in a real browser: a file picked through an <input type=file> in Chromium is
 * uploaded to a bucket on localnet by the page's own identity (@icp-sdk/core agent), 4 chunks in
 * flight, with progress events; the stored bytes are compared with the file's.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { Principal } from '@icp-sdk/core/principal';
import { launchChromium } from '@icp-private-assets/localnet/chromium';
import { startBucket, type BucketHarness } from '../support/bucketNetwork';

let h: BucketHarness;
let browser: Browser;
let server: Server;
let pageUrl: string;
let icHost: string;

beforeAll(async () => {
    h = await startBucket({ chunk_size: 262_144 });
    await h.pushKeys(1n, [{ kid: 'k1' }]);
    // Live mode: rounds run by themselves, and the port serves the IC HTTP interface agents use.
    icHost = `http://127.0.0.1:${await h.pic.makeLive()}`;
    const bundled = await build({
        entryPoints: [fileURLToPath(new URL('../browser/uploadPage.ts', import.meta.url))],
        bundle: true,
        format: 'esm',
        platform: 'browser',
        write: false,
        logLevel: 'silent'
    });
    const script = bundled.outputFiles[0]!.text;
    server = createServer((request, response) => {
        if (request.url === '/page.js') {
            response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
            return;
        }
        response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><input id="file" type="file"><script type="module" src="/page.js"></script>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    pageUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    browser = await launchChromium();
});

afterAll(async () => {
    await browser?.close();
    server?.close();
    await h?.pic.stopLive().catch(() => undefined);
    await h?.stop();
});

describe('uploading from a browser', () => {
    it('uploads a picked file with progress events up to 100 %, and the bucket holds its exact bytes', async () => {
        const content = Uint8Array.from({ length: 3_000_000 }, (_, i) => (i * 31 + (i >> 11)) & 0xff);
        const context = await browser.newContext();
        const page = await context.newPage();
        await page.goto(pageUrl);
        await page.waitForFunction(() => 'uploadPage' in window);
        const principal = await page.evaluate(() => (window as unknown as { uploadPage: { principal: string } }).uploadPage.principal);
        await page.setInputFiles('#file', { name: 'clip.mp4', mimeType: 'video/mp4', buffer: Buffer.from(content) });
        const grant = await h.token({ purpose: 'upload', memoryId: 'm1', variants: ['original'], sub: Principal.fromText(principal) as never });
        const result = await page.evaluate(
            (options) => (window as unknown as { uploadPage: { upload(o: unknown): Promise<unknown> } }).uploadPage.upload(options),
            { host: icHost, bucket: h.bucketId.toText(), grant, memoryId: 'm1', variant: 'original' }
        );
        const sha = createHash('sha256').update(content).digest('hex');
        expect(result).toEqual({ sha256: sha, size: 3_000_000 });
        const progress = await page.evaluate(() => (window as unknown as { uploadPage: { progress: { acknowledgedBytes: number; chunkCount: number }[] } }).uploadPage.progress);
        expect(progress[0]).toMatchObject({ acknowledgedBytes: 0, chunkCount: 12 });
        expect(progress.at(-1)).toMatchObject({ acknowledgedBytes: 3_000_000, chunksAcknowledged: 12 });
        expect(progress.map((p) => p.acknowledgedBytes)).toEqual([...progress.map((p) => p.acknowledgedBytes)].sort((a, b) => a - b));
        await context.close();
        // The stored bytes, read back through get_asset_chunk.
        const token = await h.token({ memoryId: 'm1', variants: ['original'] });
        const parts: Uint8Array[] = [];
        for (let index = 0; index < 12; index++) {
            const chunk = await h.actor.get_asset_chunk({ token, memory_id: 'm1', variant: { original: null }, asset_id: [], index });
            expect(chunk.Ok.content_type).toBe('video/mp4');
            parts.push(chunk.Ok.bytes);
        }
        expect(createHash('sha256').update(Buffer.concat(parts)).digest('hex')).toBe(sha);
    });
});
