import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { Principal } from '@dfinity/principal';
import { describe, expect, it } from 'vitest';
import { Keyring, mintToken, randomNonce, type MintClaims } from '@icp-private-assets/shared';
import { handleHttpRequest, handleStreamingCallback, INLINE_LIMIT, REQUEST_HEADERS_READ, type HttpContext } from '../src/assetHttp';
import { assetChunk } from '../src/assetChunkQuery';
import { listAssets } from '../src/assetListing';
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

function setup(sizes: { original?: number; preview?: number } = {}, revoked = new Map<string, number>()) {
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
            sha256: new Uint8Array(createHash('sha256').update(content).digest()),
            grantIssuedAt: NOW
        });
        if (!('Ok' in started)) throw new Error('begin');
        for (let i = 0; i < started.Ok.chunkCount; i++) {
            f.sessions.chunk('aaaaa-aa', started.Ok.uploadId, i, content.subarray(i * started.Ok.chunkSize, (i + 1) * started.Ok.chunkSize));
        }
        if (!('Ok' in f.sessions.commit('aaaaa-aa', started.Ok.uploadId))) throw new Error('commit');
    }
    const ctx: HttpContext = {
        self: SELF,
        selfBytes: Principal.fromText(SELF).toUint8Array(),
        keyring,
        nowSeconds: NOW + 10,
        assets: f.assets,
        streamGraceSeconds: 300,
        notBefore: (memoryId) => revoked.get(memoryId),
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
            if ('Err' in result) throw new Error(result.Err);
            parts.push(result.Ok.body);
            next = result.Ok.token;
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
            if ('Err' in result) throw new Error(result.Err);
            parts.push(result.Ok.body);
            next = result.Ok.token;
        }
        expect(Buffer.concat(parts).equals(Buffer.from(contents.original!.subarray(1_000_000, 3_200_001)))).toBe(true);
    });

    it('refuses a tampered stream token, a changed asset, and expired tokens beyond the grace period', () => {
        const { ctx, f } = setup({ original: 3_500_000 });
        const started = get(ctx, `/asset/m1/original?token=${token({ exp: NOW + 60 })}`).streaming!;
        expect(handleStreamingCallback({ ...started, end: started.end + 1n }, ctx)).toEqual({ Err: 'invalid streaming token' });
        expect(handleStreamingCallback({ ...started, access_token: token() }, ctx)).toEqual({ Err: 'invalid streaming token' });
        expect(handleStreamingCallback({ ...started, access_token: started.access_token.slice(0, -2) + 'AA' }, ctx)).toHaveProperty('Err');
        // A forged stream token for an expired access token gets no grace.
        const expired = token({ iat: NOW - 1000, exp: NOW - 100 });
        expect(handleStreamingCallback({ ...started, access_token: expired }, ctx)).toEqual({ Err: 'invalid streaming token' });
        f.assets.deleteAsset('m1', 'original', '');
        expect(handleStreamingCallback(started, ctx)).toEqual({ Err: 'asset no longer exists' });
    });

    it.each([
        ['offset rewound to 0', { offset: 0n }],
        ['offset moved ahead', { offset: 2_000_000n }],
        ['chunk index changed', { chunk_index: 99 }],
        ['end widened', { end: 3_500_000n }],
        ['end narrowed', { end: 2_500_000n }],
        ['issue time moved forward', { issued_at: BigInt(NOW + 10_000) }],
        ['another asset id', { asset_id: 'a1' }],
        ['another variant', { variant: 'preview' }],
        ['another etag', { etag: 'f'.repeat(64) }],
        ['a MAC of the wrong length', { stream_mac: new Uint8Array(31) }]
    ])('seals every field of a stream token: %s is refused', (_label, change) => {
        const { ctx } = setup({ original: 3_500_000 });
        const started = get(ctx, `/asset/m1/original?token=${token()}`, [['Range', 'bytes=100-3000000']]).streaming!;
        expect(handleStreamingCallback(started, ctx)).toHaveProperty('Ok');
        expect(handleStreamingCallback({ ...started, ...change } as typeof started, ctx)).toHaveProperty('Err');
    });

    it('after the access token expired, a stream only goes forward from the positions it was handed', () => {
        const { ctx, contents } = setup({ original: 5_000_000 });
        const expiresAt = NOW + 10 + 1;
        const response = get(ctx, `/asset/m1/original?token=${token({ exp: expiresAt })}`, [['Range', 'bytes=100-4000000']]);
        const first = response.streaming!;
        // 45 s after expiry (skew 30 s included) the HTTP request itself is refused…
        const late = { ...ctx, nowSeconds: expiresAt + 45 };
        expect(get(late, `/asset/m1/original?token=${first.access_token}`).statusCode).toBe(403);
        // …a rewind to byte 0 is not a position the bucket handed out…
        expect(handleStreamingCallback({ ...first, offset: 0n }, late)).toEqual({ Err: 'invalid streaming token' });
        expect(handleStreamingCallback({ ...first, offset: 0n, chunk_index: 0 }, late)).toEqual({ Err: 'invalid streaming token' });
        // …and a position handed out more than a minute ago cannot be continued after expiry.
        expect(handleStreamingCallback(first, { ...ctx, nowSeconds: ctx.nowSeconds + 61 })).toEqual({ Err: 'access token refused: expired' });
        expect(handleStreamingCallback(first, { ...ctx, nowSeconds: ctx.nowSeconds + 60 })).toHaveProperty('Ok');
        // Pulled at once, as the gateway does, the stream goes on past expiry, forward only.
        let now = ctx.nowSeconds;
        const parts = [response.body];
        let next: typeof first | undefined = first;
        const handedOut: (typeof first)[] = [];
        while (next) {
            now += 40; // each pull after the previous one, the token long expired by the end
            const result = handleStreamingCallback(next, { ...ctx, nowSeconds: now });
            if ('Err' in result) throw new Error(result.Err);
            handedOut.push(next);
            parts.push(result.Ok.body);
            next = result.Ok.token;
        }
        expect(now).toBeGreaterThan(expiresAt + 30);
        expect(Buffer.concat(parts).equals(Buffer.from(contents.original!.subarray(100, 4_000_001)))).toBe(true);
        // Replaying an earlier position later (a rewind) is refused once the token expired.
        expect(handleStreamingCallback(handedOut[0]!, { ...ctx, nowSeconds: now + 1 })).toEqual({ Err: 'access token refused: expired' });
        // Nothing at all after the grace period.
        const last = handedOut[handedOut.length - 1]!;
        expect(handleStreamingCallback(last, { ...ctx, nowSeconds: expiresAt + 30 + 301 })).toEqual({ Err: 'access token refused: expired' });
    });

    it('each callback hands out the next position, sealed anew, with its own issue time', () => {
        const { ctx } = setup({ original: 5_000_000 });
        const first = get(ctx, `/asset/m1/original?token=${token()}`).streaming!;
        expect(first).toMatchObject({ chunk_index: 1, offset: 1_048_576n, end: 5_000_000n, issued_at: BigInt(ctx.nowSeconds) });
        const result = handleStreamingCallback(first, { ...ctx, nowSeconds: ctx.nowSeconds + 5 });
        if ('Err' in result) throw new Error(result.Err);
        expect(result.Ok.token).toMatchObject({ chunk_index: 2, offset: 2_097_152n, end: 5_000_000n, issued_at: BigInt(ctx.nowSeconds + 5) });
        expect(Buffer.from(result.Ok.token!.stream_mac).equals(Buffer.from(first.stream_mac))).toBe(false);
    });

    it('stops a stream whose memory was revoked meanwhile', () => {
        const revoked = new Map<string, number>();
        const { ctx } = setup({ original: 3_500_000 }, revoked);
        const started = get(ctx, `/asset/m1/original?token=${token()}`).streaming!;
        revoked.set('m1', NOW + 1);
        expect(handleStreamingCallback(started, ctx)).toEqual({ Err: 'access token refused: revoked' });
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

describe('nothing stored runs on the bucket origin', () => {
    const SECURITY_HEADERS = {
        'Cache-Control': 'private, no-store',
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'; sandbox",
        'Cross-Origin-Resource-Policy': 'cross-origin',
        'Access-Control-Allow-Origin': '*'
    };

    function expectSecurityHeaders(response: HttpResponse, what: string) {
        for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(header(response, name), `${name} on ${what}`).toBe(value);
        expect(header(response, 'Access-Control-Expose-Headers'), what).toContain('X-Token-Error');
    }

    it('puts the CSP, CORP, nosniff, no-store and CORS headers on every kind of response', () => {
        const { ctx } = setup({ original: 3_500_000 });
        const etag = header(get(ctx, `/asset/m1/preview?token=${token()}`), 'ETag') as string;
        const responses: [string, HttpResponse][] = [
            ['200', get(ctx, `/asset/m1/preview?token=${token()}`)],
            ['streamed 200', get(ctx, `/asset/m1/original?token=${token()}`)],
            ['206', get(ctx, `/asset/m1/preview?token=${token()}`, [['Range', 'bytes=0-9']])],
            ['streamed 206', get(ctx, `/asset/m1/original?token=${token()}`, [['Range', 'bytes=0-']])],
            ['304', get(ctx, `/asset/m1/preview?token=${token()}`, [['If-None-Match', etag]])],
            ['HEAD', get(ctx, `/asset/m1/original?token=${token()}`, [], 'HEAD')],
            ['416', get(ctx, `/asset/m1/preview?token=${token()}`, [['Range', 'bytes=999-']])],
            ['401', get(ctx, '/asset/m1/preview')],
            ['403', get(ctx, `/asset/m1/preview?token=${token({ aud: OTHER_BUCKET })}`)],
            ['404 asset', get(ctx, `/asset/m1/thumbnail?token=${token({ scope: { memoryId: 'm1', variants: ['thumbnail'] } })}`)],
            ['404 route', get(ctx, '/elsewhere')],
            ['400', get(ctx, '/asset/../x/preview')],
            ['405', get(ctx, '/asset/m1/preview', [], 'PUT')],
            ['OPTIONS', get(ctx, '/asset/m1/preview', [], 'OPTIONS')],
            ['worker refused', get(ctx, `/asset/m1/preview?token=${token()}`, [['Service-Worker', 'script']])],
            ['health', get(ctx, '/health')],
            ['metrics', get(ctx, '/metrics')]
        ];
        for (const [what, response] of responses) expectSecurityHeaders(response, what);
        expect(responses.map(([what, r]) => `${what}:${r.statusCode}`)).toContain('streamed 206:206');
    });

    it.each([
        ['Service-Worker: script', [['Service-Worker', 'script']]],
        ['service-worker in lower case', [['service-worker', 'script']]],
        ['Sec-Fetch-Dest: serviceworker', [['Sec-Fetch-Dest', 'serviceworker']]],
        ['Sec-Fetch-Dest: worker', [['Sec-Fetch-Dest', 'worker']]],
        ['Sec-Fetch-Dest: sharedworker', [['Sec-Fetch-Dest', 'sharedworker']]],
        ['Sec-Fetch-Dest: script', [['Sec-Fetch-Dest', 'Script']]]
    ] as [string, [string, string][]][])('refuses a script or worker fetch (%s) even with a valid token', (_label, headers) => {
        const { ctx } = setup();
        const response = get(ctx, `/asset/m1/preview?token=${token()}`, headers);
        expect(response.statusCode).toBe(403);
        expect(new TextDecoder().decode(response.body)).toBe('scripts and workers are not served\n');
        // Images, video and documents (opening the original in a tab) are still served.
        for (const dest of ['image', 'video', 'document', 'empty']) {
            expect(get(ctx, `/asset/m1/preview?token=${token()}`, [['Sec-Fetch-Dest', dest]]).statusCode).toBe(200);
        }
    });

    it('serves content stored before types were checked as a download, never as a page or script', () => {
        const { ctx, f } = setup();
        const record = f.assets.find('m1', 'preview', '')!;
        for (const [i, stored] of ['text/html', 'application/javascript', 'image/svg+xml'].entries()) {
            f.assets.writeChunk(`legacy${i}`, 0, f.assets.readStoredChunk(record.contentId, 0)!);
            f.assets.commit({ ...record, assetId: 'legacy', contentType: stored, contentId: `legacy${i}` });
            const response = get(ctx, `/asset/m1/preview/legacy?token=${token()}`);
            expect(response.statusCode).toBe(200);
            expect(header(response, 'Content-Type')).toBe('application/octet-stream');
            expect(header(response, 'Content-Disposition')).toBe('attachment');
            expect(header(response, 'Content-Security-Policy')).toBe("default-src 'none'; sandbox");
        }
    });

    it('answers token failures with a fixed text per code: no key id, nothing echoed', () => {
        const { ctx } = setup();
        const unknownKid = mintToken(
            { purpose: 'read', aud: SELF, scope: { memoryId: 'm1', variants: ['preview'] }, iat: NOW, exp: NOW + 180, nonce: randomNonce() },
            { kid: 'k42', secret: key }
        );
        const cases: [string, string, string][] = [
            [`/asset/m1/preview?token=${unknownKid}`, 'unknown_key', 'token signed with a key this bucket does not hold\n'],
            ['/asset/m1/preview?token=AAAA<script>', 'malformed', 'token malformed\n'],
            [`/asset/m1/preview?token=${token({ scope: { memoryId: 'm2', variants: ['preview'] } })}`, 'scope_mismatch', 'token does not cover this asset\n']
        ];
        for (const [url, code, body] of cases) {
            const response = get(ctx, url);
            expect(header(response, 'X-Token-Error')).toBe(code);
            expect(new TextDecoder().decode(response.body)).toBe(body);
        }
        expect(new TextDecoder().decode(get(ctx, '/asset/m1/preview', [], 'X<b>').body)).toBe('method not allowed\n');
    });
});

describe('revocation', () => {
    it('refuses tokens issued before a pushed cutoff with 403 revoked, and accepts newer ones', () => {
        const revoked = new Map<string, number>();
        const { ctx, contents } = setup({}, revoked);
        const old = token();
        expect(get(ctx, `/asset/m1/preview?token=${old}`).statusCode).toBe(200);
        revoked.set('m1', NOW + 5);
        const refused = get(ctx, `/asset/m1/preview?token=${old}`);
        expect([refused.statusCode, header(refused, 'X-Token-Error'), new TextDecoder().decode(refused.body)]).toEqual([403, 'revoked', 'token revoked\n']);
        expect(get(ctx, `/asset/m1/preview?token=${token({ iat: NOW + 5, exp: NOW + 185 })}`).body).toEqual(contents.preview);
        expect(assetChunk({ token: old, memoryId: 'm1', variant: 'preview', index: 0 }, ctx)).toEqual({ Err: { Token: { code: 'REVOKED', detail: 'token revoked', status: 403 } } });
        // Other memories are unaffected.
        revoked.set('m2', NOW + 5);
        revoked.delete('m1');
        expect(get(ctx, `/asset/m1/preview?token=${old}`).statusCode).toBe(200);
    });
});

describe('request headers the canister keeps', () => {
    it('REQUEST_HEADERS_READ lists every header the handler reads: dropping the others changes no answer', () => {
        const { ctx } = setup({ original: 3_000 });
        const good = token();
        const names = ['Range', 'If-None-Match', 'Authorization', 'Service-Worker', 'Sec-Fetch-Dest', 'Accept', 'Cookie', 'X-Forwarded-For', 'Origin', 'If-Range', 'Referer', 'User-Agent'];
        fc.assert(
            fc.property(
                fc.array(fc.tuple(fc.constantFrom(...names), fc.constantFrom('bytes=0-9', `"x"`, `Bearer ${good}`, 'script', 'worker', 'image', '*', '')), { maxLength: 6 }),
                fc.constantFrom(`/asset/m1/original?token=${good}`, '/asset/m1/original', `/asset/m1/preview?token=${good}`),
                (headers, url) => {
                    const kept = headers.filter(([name]) => (REQUEST_HEADERS_READ as readonly string[]).includes(name.toLowerCase()));
                    const all = handleHttpRequest({ method: 'GET', url, headers }, ctx);
                    const filtered = handleHttpRequest({ method: 'GET', url, headers: kept }, ctx);
                    expect([filtered.statusCode, filtered.headers, filtered.body]).toEqual([all.statusCode, all.headers, all.body]);
                }
            ),
            { numRuns: 300 }
        );
    });
});

describe('list_assets', () => {
    it('lists the assets of one variant, oldest first, for a read token of that memory and variant', () => {
        const { ctx, f } = setup();
        const record = f.assets.find('m1', 'preview', '')!;
        for (const [i, assetId] of ['b', 'a'].entries()) {
            f.assets.writeChunk(`extra${assetId}`, 0, f.assets.readStoredChunk(record.contentId, 0)!);
            f.assets.commit({ ...record, assetId, contentId: `extra${assetId}`, createdAt: (BigInt(record.createdAt) + BigInt(i + 1)).toString() });
        }
        const listed = listAssets({ token: token(), memoryId: 'm1', variant: 'preview' }, ctx);
        expect(listed).toMatchObject({ Ok: [{ assetId: '', contentType: 'image/webp', size: 100 }, { assetId: 'b' }, { assetId: 'a' }] });
        expect(listAssets({ token: token(), memoryId: 'm1', variant: 'original' }, ctx)).toMatchObject({ Ok: [{ assetId: '', size: 5000 }] });
        expect(listAssets({ token: token({ scope: { memoryId: 'm1', variants: ['thumbnail'] } }), memoryId: 'm1', variant: 'preview' }, ctx)).toMatchObject({ Err: { Token: { code: 'SCOPE_MISMATCH', status: 403 } } });
        expect(listAssets({ token: token({ scope: { memoryId: 'm1', variants: ['preview'], assetIds: ['a'] } }), memoryId: 'm1', variant: 'preview' }, ctx)).toMatchObject({ Err: { Token: { code: 'SCOPE_MISMATCH' } } });
        expect(listAssets({ token: token(), memoryId: '../x', variant: 'preview' }, ctx)).toHaveProperty(['Err', 'InvalidRequest']);
        expect(listAssets({ token: token({ scope: { memoryId: 'm9', variants: ['preview'] } }), memoryId: 'm9', variant: 'preview' }, ctx)).toEqual({ Ok: [] });
    });
});
