import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Keyring, mintToken, randomNonce, type MintClaims } from '@icp-private-assets/shared';
import { handleHttpRequest, handleStreamingCallback, INLINE_LIMIT, type HttpContext } from '../src/assetHttp';
import { assetChunk } from '../src/assetChunkQuery';
import type { HttpResponse } from '../src/httpTypes';
import { bucketFixture } from './storeFixture';

const SELF = 'ryjl3-tyaaa-aaaaa-aaaba-cai';
const OTHER_BUCKET = 'r7inp-6aaaa-aaaaa-aaabq-cai';
const NOW = 1_800_000_000;
const key = new Uint8Array(32).fill(9);
const keyring = Keyring.from([{ kid: 'k1', secret: key, state: 'active' }]);

function token(overrides: Partial<MintClaims> = {}): string {
    return mintToken(
        { purpose: 'read', aud: SELF, scope: { memoryId: 'm1', variants: ['original', 'preview'] }, iat: NOW, exp: NOW + 180, nonce: randomNonce(), ...overrides },
        { kid: 'k1', secret: key }
    );
}

function setup(sizes: { original?: number; preview?: number } = {}) {
    const f = bucketFixture({ chunkSize: 1_048_576 });
    const contents: Record<string, Uint8Array> = {};
    for (const [variant, size] of Object.entries({ original: sizes.original ?? 5000, preview: sizes.preview ?? 100 })) {
        const content = new Uint8Array(randomBytes(size));
        contents[variant] = content;
        const started = f.sessions.begin({
            owner: 'aaaaa-aa',
            memoryId: 'm1',
            variant: variant as 'original',
            assetId: '',
            contentType: variant === 'original' ? 'video/mp4' : 'image/webp',
            totalSize: BigInt(size),
            sha256: new Uint8Array(createHash('sha256').update(content).digest())
        });
        if (!('Ok' in started)) throw new Error('begin');
        for (let i = 0; i < started.Ok.chunkCount; i++) {
            f.sessions.chunk('aaaaa-aa', started.Ok.uploadId, i, content.subarray(i * started.Ok.chunkSize, (i + 1) * started.Ok.chunkSize));
        }
        if (!('Ok' in f.sessions.commit('aaaaa-aa', started.Ok.uploadId))) throw new Error('commit');
    }
    const ctx: HttpContext = {
        self: SELF,
        keyring,
        nowSeconds: NOW + 10,
        assets: f.assets,
        streamGraceSeconds: 300,
        certification: [
            ['IC-Certificate', 'certificate=:x:'],
            ['IC-CertificateExpression', 'default_certification(ValidationArgs{no_certification:Empty{}})']
        ],
        health: () => '{"status":"ok"}',
        metricsText: () => 'bucket_asset_count 2\n'
    };
    return { f, ctx, contents };
}

const header = (response: HttpResponse, name: string) => response.headers.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
const get = (ctx: HttpContext, url: string, headers: [string, string][] = [], method = 'GET') => handleHttpRequest({ method, url, headers }, ctx);

describe('http_request', () => {
    it('serves a small asset with the exact bytes and every required header', () => {
        const { ctx, contents } = setup();
        const response = get(ctx, `/asset/m1/preview?token=${token()}`);
        expect(response.statusCode).toBe(200);
        expect(response.body).toEqual(contents.preview);
        expect(header(response, 'Content-Type')).toBe('image/webp');
        expect(header(response, 'Content-Length')).toBe('100');
        expect(header(response, 'Cache-Control')).toBe('private, no-store');
        expect(header(response, 'X-Content-Type-Options')).toBe('nosniff');
        expect(header(response, 'ETag')).toBe(`"${createHash('sha256').update(contents.preview!).digest('hex')}"`);
        expect(header(response, 'Accept-Ranges')).toBe('bytes');
        expect(header(response, 'Access-Control-Expose-Headers')).toContain('X-Token-Error');
        expect(header(response, 'IC-Certificate')).toBeDefined();
        expect(header(response, 'IC-CertificateExpression')).toBeDefined();
        expect(response.streaming).toBeUndefined();
    });

    it('accepts the token as a bearer header and in the ?id= form', () => {
        const { ctx, contents } = setup();
        expect(get(ctx, '/asset/m1/preview', [['authorization', `Bearer ${token()}`]]).body).toEqual(contents.preview);
        expect(get(ctx, `/asset?id=m1&variant=preview&token=${token()}`).body).toEqual(contents.preview);
    });

    it.each([
        ['missing', () => '/asset/m1/preview', 401, 'missing'],
        ['malformed', () => '/asset/m1/preview?token=%%%', 401, 'malformed'],
        ['garbage', () => '/asset/m1/preview?token=AAAA', 401, 'malformed'],
        ['expired', () => `/asset/m1/preview?token=${token({ iat: NOW - 1000, exp: NOW - 500 })}`, 403, 'expired'],
        ['another memory', () => `/asset/m1/preview?token=${token({ scope: { memoryId: 'm2', variants: ['preview'] } })}`, 403, 'scope_mismatch'],
        ['another variant', () => `/asset/m1/preview?token=${token({ scope: { memoryId: 'm1', variants: ['thumbnail'] } })}`, 403, 'scope_mismatch'],
        ['another bucket', () => `/asset/m1/preview?token=${token({ aud: OTHER_BUCKET })}`, 403, 'wrong_audience'],
        ['an upload grant', () => `/asset/m1/preview?token=${token({ purpose: 'upload', sub: '2vxsx-fae' })}`, 403, 'scope_mismatch'],
        ['two different tokens', () => `/asset/m1/preview?token=${token()}&token=${token()}`, 401, 'malformed']
    ])('refuses a %s token with status and X-Token-Error', (_label, url, status, code) => {
        const { ctx } = setup();
        const response = get(ctx, url());
        expect(response.statusCode).toBe(status);
        expect(header(response, 'X-Token-Error')).toBe(code);
        expect(header(response, 'Cache-Control')).toBe('private, no-store');
        expect(header(response, 'IC-Certificate')).toBeDefined();
    });

    it('checks the token before saying whether an asset exists', () => {
        const { ctx } = setup();
        expect(get(ctx, '/asset/m1/placeholder').statusCode).toBe(401);
        const scoped = token({ scope: { memoryId: 'm1', variants: ['placeholder'] } });
        expect(get(ctx, `/asset/m1/placeholder?token=${scoped}`).statusCode).toBe(404);
    });

    it('answers 304, HEAD, routes, 400, 404, 405 and CORS preflight', () => {
        const { ctx } = setup();
        const etag = header(get(ctx, `/asset/m1/preview?token=${token()}`), 'ETag')!;
        const notModified = get(ctx, `/asset/m1/preview?token=${token()}`, [['If-None-Match', `"other", ${etag}`]]);
        expect(notModified.statusCode).toBe(304);
        expect(notModified.body.length).toBe(0);
        const head = get(ctx, `/asset/m1/original?token=${token()}`, [], 'HEAD');
        expect([head.statusCode, head.body.length, header(head, 'Content-Length')]).toEqual([200, 0, '5000']);
        expect(get(ctx, '/health').statusCode).toBe(200);
        expect(new TextDecoder().decode(get(ctx, '/metrics').body)).toContain('bucket_asset_count');
        expect(get(ctx, '/asset/../x/preview').statusCode).toBe(400);
        expect(get(ctx, '/elsewhere').statusCode).toBe(404);
        const post = get(ctx, '/asset/m1/preview', [], 'POST');
        expect([post.statusCode, header(post, 'Allow')]).toEqual([405, 'GET, HEAD, OPTIONS']);
        const preflight = get(ctx, '/asset/m1/preview', [], 'OPTIONS');
        expect([preflight.statusCode, header(preflight, 'Access-Control-Allow-Headers')]).toEqual([204, 'Authorization, Range, If-None-Match']);
    });

    it.each([
        ['bytes=0-99', 206, 0, 100, 'bytes 0-99/5000'],
        ['bytes=4900-', 206, 4900, 5000, 'bytes 4900-4999/5000'],
        ['bytes=-10', 206, 4990, 5000, 'bytes 4990-4999/5000'],
        ['bytes=4990-9999', 206, 4990, 5000, 'bytes 4990-4999/5000'],
        ['bytes=5-1', 200, 0, 5000, undefined],
        ['bytes=0-1,5-6', 200, 0, 5000, undefined],
        ['lines=0-1', 200, 0, 5000, undefined]
    ])('Range %s → %d', (range, status, start, end, contentRange) => {
        const { ctx, contents } = setup();
        const response = get(ctx, `/asset/m1/original?token=${token()}`, [['Range', range]]);
        expect(response.statusCode).toBe(status);
        expect(response.body).toEqual(contents.original!.subarray(start, end));
        expect(header(response, 'Content-Range')).toBe(contentRange);
    });

    it('answers 416 with bytes */size for an unsatisfiable range', () => {
        const { ctx } = setup();
        const response = get(ctx, `/asset/m1/original?token=${token()}`, [['Range', 'bytes=5000-']]);
        expect([response.statusCode, header(response, 'Content-Range')]).toEqual([416, 'bytes */5000']);
    });

    it('never throws or answers 5xx on hostile requests', () => {
        const { ctx } = setup();
        const good = token();
        fc.assert(
            fc.property(
                fc.string({ maxLength: 200 }),
                fc.constantFrom('GET', 'HEAD', 'POST', 'DELETE', 'OPTIONS', 'get', ''),
                fc.array(fc.tuple(fc.constantFrom('Range', 'If-None-Match', 'Authorization', 'X-Other'), fc.string({ maxLength: 60 })), { maxLength: 4 }),
                (path, method, headers) => {
                    for (const url of [path, `/asset/${path}`, `/asset/m1/original?token=${good}&${path}`, `/asset/m1/original/${path}?token=${good}`]) {
                        const response = handleHttpRequest({ method, url, headers }, ctx);
                        expect(response.statusCode).toBeLessThan(500);
                    }
                }
            ),
            { numRuns: 500 }
        );
    });
});

describe('streaming', () => {
    it('streams a large asset: first chunk inline, the rest through MAC-checked callbacks', () => {
        const { ctx, contents } = setup({ original: 3_500_000 });
        const response = get(ctx, `/asset/m1/original?token=${token()}`);
        expect(response.statusCode).toBe(200);
        expect(response.body.length).toBe(1_048_576);
        const parts = [response.body];
        let next = response.streaming;
        let calls = 0;
        while (next) {
            const result = handleStreamingCallback(next, ctx);
            if ('reject' in result) throw new Error(result.reject);
            parts.push(result.ok.body);
            next = result.ok.token;
            calls += 1;
        }
        expect(calls).toBe(3);
        expect(Buffer.concat(parts).equals(Buffer.from(contents.original!))).toBe(true);
        expect(INLINE_LIMIT).toBe(2_000_000);
    });

    it('streams a large range from its start to its end', () => {
        const { ctx, contents } = setup({ original: 3_500_000 });
        const response = get(ctx, `/asset/m1/original?token=${token()}`, [['Range', 'bytes=1000000-3200000']]);
        expect(response.statusCode).toBe(206);
        const parts = [response.body];
        let next = response.streaming;
        while (next) {
            const result = handleStreamingCallback(next, ctx);
            if ('reject' in result) throw new Error(result.reject);
            parts.push(result.ok.body);
            next = result.ok.token;
        }
        expect(Buffer.concat(parts).equals(Buffer.from(contents.original!.subarray(1_000_000, 3_200_001)))).toBe(true);
    });

    it('refuses a tampered stream token, a changed asset, and expired tokens beyond the grace period', () => {
        const { ctx, f } = setup({ original: 3_500_000 });
        const started = get(ctx, `/asset/m1/original?token=${token({ exp: NOW + 60 })}`).streaming!;
        expect(handleStreamingCallback({ ...started, end: started.end + 1n }, ctx)).toMatchObject({ reject: expect.stringMatching(/not a stream this bucket started/) });
        expect(handleStreamingCallback({ ...started, access_token: token() }, ctx)).toMatchObject({ reject: expect.stringMatching(/not a stream/) });
        expect(handleStreamingCallback({ ...started, access_token: started.access_token.slice(0, -2) + 'AA' }, ctx)).toHaveProperty('reject');
        // Within the grace period after expiry: still served; after it: refused.
        expect(handleStreamingCallback(started, { ...ctx, nowSeconds: NOW + 60 + 30 + 200 })).toHaveProperty('ok');
        expect(handleStreamingCallback(started, { ...ctx, nowSeconds: NOW + 60 + 30 + 301 })).toMatchObject({ reject: expect.stringMatching(/EXPIRED/) });
        // A forged stream token for an expired access token gets no grace.
        const expired = token({ iat: NOW - 1000, exp: NOW - 100 });
        expect(handleStreamingCallback({ ...started, access_token: expired }, ctx)).toMatchObject({ reject: expect.stringMatching(/not a stream/) });
        f.assets.deleteAsset('m1', 'original', '');
        expect(handleStreamingCallback(started, ctx)).toMatchObject({ reject: expect.stringMatching(/no longer exists/) });
    });
});

describe('get_asset_chunk', () => {
    it('returns chunks with the same token check as HTTP', () => {
        const { ctx, contents } = setup({ original: 1_500_000 });
        const first = assetChunk({ token: token(), memoryId: 'm1', variant: 'original', index: 1 }, ctx);
        expect(first).toMatchObject({ Ok: { index: 1, chunk_count: 2, size: 1_500_000n, content_type: 'video/mp4' } });
        if ('Ok' in first) expect(first.Ok.bytes).toEqual(contents.original!.subarray(1_048_576));
        expect(assetChunk({ token: token(), memoryId: 'm1', variant: 'original', index: 2 }, ctx)).toEqual({ Err: { ChunkOutOfRange: { chunk_count: 2 } } });
        expect(assetChunk({ token: 'x', memoryId: 'm1', variant: 'original', index: 0 }, ctx)).toMatchObject({ Err: { Token: { code: 'MALFORMED', status: 401 } } });
        expect(assetChunk({ token: token(), memoryId: '../', variant: 'original', index: 0 }, ctx)).toHaveProperty(['Err', 'InvalidRequest']);
    });
});
