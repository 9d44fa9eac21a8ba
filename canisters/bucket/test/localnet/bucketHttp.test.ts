/**
 * The bucket served through localnet's HTTP gateway on the certified host (<bucket>.localhost,
 * response verification on), as browsers load assets: the issue's test matrix.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localhostFetch, type ClientResponse } from '@icp-private-assets/localnet';
import { deriveBucketKey, mintToken, randomNonce } from '@icp-private-assets/shared';
import { MASTER, startBucket, type BucketHarness } from '../support/bucketNetwork';

let h: BucketHarness;
let origin: string;
const content = {
    small: Uint8Array.from({ length: 50_000 }, (_, i) => (i * 7 + 3) & 0xff),
    fiveMb: Uint8Array.from({ length: 5_000_000 }, (_, i) => (i * 13 + 1) & 0xff),
    twentyFiveMb: Uint8Array.from({ length: 25_000_000 }, (_, i) => (i * 17 + 5) & 0xff)
};
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

beforeAll(async () => {
    h = await startBucket();
    await h.pushKeys(1n, [{ kid: 'k1' }]);
    await h.upload('m1', 'thumbnail', content.small, { contentType: 'image/jpeg' });
    await h.upload('m1', 'original', content.fiveMb, { contentType: 'video/mp4' });
    await h.upload('m2', 'original', content.twentyFiveMb, { contentType: 'video/mp4', assetId: 'clip' });
    const port = await h.pic.makeLive();
    origin = `http://${h.bucketId.toText()}.localhost:${port}`;
});

afterAll(async () => {
    await h?.pic.stopLive().catch(() => undefined);
    await h?.stop();
});

const get = (path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<ClientResponse> =>
    localhostFetch(`${origin}${path}`, { method, headers });

describe('serving through the gateway (certified host)', () => {
    it('serves a small asset: 200, exact bytes, the required headers', async () => {
        const response = await get(`/asset/m1/thumbnail?token=${await h.token()}`);
        expect(response.status).toBe(200);
        expect(response.body.equals(Buffer.from(content.small))).toBe(true);
        expect(response.headers['content-type']).toBe('image/jpeg');
        expect(response.headers['content-length']).toBe('50000');
        expect(response.headers['cache-control']).toBe('private, no-store');
        expect(response.headers['x-content-type-options']).toBe('nosniff');
        expect(response.headers['etag']).toBe(`"${sha256(content.small)}"`);
        expect(response.headers['accept-ranges']).toBe('bytes');
        expect(response.headers['access-control-allow-origin']).toBe('*');
        expect(response.headers['access-control-expose-headers']).toMatch(/ETag.*Content-Range.*X-Token-Error/);
    });

    it('accepts the token as an Authorization bearer header and in the ?id= form', async () => {
        const token = await h.token();
        expect((await get('/asset/m1/thumbnail', { authorization: `Bearer ${token}` })).status).toBe(200);
        expect((await get(`/asset?id=m1&variant=thumbnail&token=${token}`)).body.equals(Buffer.from(content.small))).toBe(true);
    });

    it.each([
        ['missing', async () => '', 401, 'missing'],
        ['malformed', async () => 'not-a-token!', 401, 'malformed'],
        ['expired', async () => h.token({ iat: (await h.nowSeconds()) - 1000, ttl: 300 }), 403, 'expired'],
        ['for another memory', async () => h.token({ memoryId: 'm2' }), 403, 'scope_mismatch'],
        ['for another variant', async () => h.token({ variants: ['preview'] }), 403, 'scope_mismatch'],
        ['for an unknown kid', async () => h.token({ kid: 'k7' }), 401, 'unknown_key']
    ])('refuses a %s token with its status and X-Token-Error, never a 500', async (_label, makeToken, status, code) => {
        const token = await makeToken();
        const response = await get(`/asset/m1/thumbnail${token ? `?token=${token}` : ''}`);
        expect(response.status).toBe(status);
        expect(response.headers['x-token-error']).toBe(code);
    });

    it('refuses a token minted for another bucket (its own derived key) with 403', async () => {
        const other = 'r7inp-6aaaa-aaaaa-aaabq-cai';
        const now = await h.nowSeconds();
        const token = mintToken(
            { purpose: 'read', aud: other, scope: { memoryId: 'm1', variants: ['thumbnail'] }, iat: now, exp: now + 60, nonce: randomNonce() },
            { kid: 'k1', secret: deriveBucketKey(MASTER, 'k1', other) }
        );
        const response = await get(`/asset/m1/thumbnail?token=${token}`);
        expect([response.status, response.headers['x-token-error']]).toEqual([403, 'bad_signature']);
    });

    it('answers 404 for an unknown asset only after a valid token, 400 for a malformed path', async () => {
        expect((await get(`/asset/m1/preview?token=${await h.token()}`)).status).toBe(404);
        expect((await get(`/asset/m1/preview`)).status).toBe(401);
        expect((await get(`/asset/m1/bad%2Fid?token=${await h.token()}`)).status).toBe(400);
        expect((await get('/nowhere')).status).toBe(404);
        expect((await get('/health')).status).toBe(200);
    });

    it('answers 304 to If-None-Match and HEAD with headers only', async () => {
        const token = await h.token();
        const etag = `"${sha256(content.small)}"`;
        expect((await get(`/asset/m1/thumbnail?token=${token}`, { 'if-none-match': etag })).status).toBe(304);
        const head = await get(`/asset/m1/thumbnail?token=${token}`, {}, 'HEAD');
        expect([head.status, head.body.length, head.headers['etag']]).toEqual([200, 0, etag]);
    });

    it.each([
        ['bytes=0-99', 206, 0, 100],
        ['bytes=49900-', 206, 49_900, 50_000],
        ['bytes=-100', 206, 49_900, 50_000],
        ['bytes=100-99', 200, 0, 50_000],
        ['bytes=0-1,5-6', 200, 0, 50_000]
    ])('Range %s → %d with the right bytes', async (range, status, start, end) => {
        const response = await get(`/asset/m1/thumbnail?token=${await h.token()}`, { range });
        expect(response.status).toBe(status);
        expect(response.body.equals(Buffer.from(content.small.subarray(start, end)))).toBe(true);
        if (status === 206) expect(response.headers['content-range']).toBe(`bytes ${start}-${end - 1}/50000`);
    });

    it('answers 416 with Content-Range bytes */size to an unsatisfiable range', async () => {
        const response = await get(`/asset/m1/thumbnail?token=${await h.token()}`, { range: 'bytes=50000-' });
        expect([response.status, response.headers['content-range']]).toEqual([416, 'bytes */50000']);
    });

    it('streams a 5 MB asset completely with the right SHA-256', async () => {
        const response = await get(`/asset/m1/original?token=${await h.token()}`);
        expect(response.status).toBe(200);
        expect(response.aborted).toBe(false);
        expect(sha256(response.body)).toBe(sha256(content.fiveMb));
    });

    it('streams a 25 MB asset completely with the right SHA-256', async () => {
        const token = await h.token({ memoryId: 'm2', variants: ['original'], assetIds: ['clip'] });
        const response = await get(`/asset/m2/original/clip?token=${token}`);
        expect(response.status).toBe(200);
        expect(response.body.length).toBe(25_000_000);
        expect(sha256(response.body)).toBe(sha256(content.twentyFiveMb));
    });

    it('streams a large range of a video (seek) as 206', async () => {
        const response = await get(`/asset/m1/original?token=${await h.token()}`, { range: 'bytes=1000000-4499999' });
        expect(response.status).toBe(206);
        expect(sha256(response.body)).toBe(sha256(content.fiveMb.subarray(1_000_000, 4_500_000)));
    });

    it('never answers 5xx to random paths, headers and tokens', async () => {
        const good = await h.token();
        await fc.assert(
            fc.asyncProperty(
                fc.string({ unit: fc.constantFrom(...'/%.?&=#+aZ09_-~'.split('')), maxLength: 40 }),
                fc.constantFrom('', `token=${good}`, 'token=AAAA', 'token=%zz', `token=${good}&token=${good}`),
                fc.option(fc.string({ unit: fc.constantFrom(...'bytes=-0123456789,'.split('')), maxLength: 20 }), { nil: undefined }),
                async (path, query, range) => {
                    const url = `/asset/${path.replace(/^\/+/, '')}${path.includes('?') ? '&' : '?'}${query}`;
                    const response = await get(url, range === undefined ? {} : { range });
                    expect(response.status).toBeLessThan(500);
                }
            ),
            { numRuns: 60 }
        );
    });
});

describe('nothing stored runs on the bucket origin (through the gateway)', () => {
    const expectSecurityHeaders = (response: ClientResponse, what: string) => {
        expect(response.headers['cache-control'], what).toBe('private, no-store');
        expect(response.headers['x-content-type-options'], what).toBe('nosniff');
        expect(response.headers['content-security-policy'], what).toBe("default-src 'none'; sandbox");
        expect(response.headers['cross-origin-resource-policy'], what).toBe('cross-origin');
        expect(response.headers['access-control-allow-origin'], what).toBe('*');
        expect(response.headers['access-control-expose-headers'], what).toMatch(/X-Token-Error/);
    };

    it('carries the CSP, CORP, nosniff, no-store and CORS headers on streamed, 206, 304, HEAD and error responses', async () => {
        const token = await h.token();
        const etag = `"${sha256(content.small)}"`;
        const cases: [string, Promise<ClientResponse>, number][] = [
            ['200', get(`/asset/m1/thumbnail?token=${token}`), 200],
            ['streamed 200', get(`/asset/m1/original?token=${token}`), 200],
            ['206', get(`/asset/m1/thumbnail?token=${token}`, { range: 'bytes=0-9' }), 206],
            ['streamed 206', get(`/asset/m1/original?token=${token}`, { range: 'bytes=10-' }), 206],
            ['304', get(`/asset/m1/thumbnail?token=${token}`, { 'if-none-match': etag }), 304],
            ['HEAD', get(`/asset/m1/original?token=${token}`, {}, 'HEAD'), 200],
            ['416', get(`/asset/m1/thumbnail?token=${token}`, { range: 'bytes=50000-' }), 416],
            ['401', get('/asset/m1/thumbnail'), 401],
            ['403', get(`/asset/m1/thumbnail?token=${await h.token({ memoryId: 'm2' })}`), 403],
            ['404', get(`/asset/m1/preview?token=${token}`), 404],
            ['400', get(`/asset/m1/bad%2Fid?token=${token}`), 400],
            ['405', get('/asset/m1/thumbnail', {}, 'DELETE'), 405],
            ['service worker', get(`/asset/m1/thumbnail?token=${token}`, { 'service-worker': 'script' }), 403]
        ];
        for (const [what, pending, status] of cases) {
            const response = await pending;
            expect(response.status, what).toBe(status);
            expectSecurityHeaders(response, what);
        }
    });

    it('refuses a service-worker script fetch of a stored asset even with a valid token', async () => {
        const response = await get(`/asset?id=m1&variant=thumbnail&token=${await h.token()}`, { 'service-worker': 'script', 'sec-fetch-dest': 'serviceworker' });
        expect(response.status).toBe(403);
        expect(response.body.toString()).toBe('scripts and workers are not served\n');
    });
});

describe('a burst through the gateway', () => {
    it('answers 300 parallel mixed requests (small, streamed, ranged, bad tokens) all correctly', async () => {
        const token = await h.token();
        const other = await h.token({ memoryId: 'm2' });
        type Case = { path: string; headers?: Record<string, string>; status: number; sha?: string; code?: string };
        const cases: Case[] = [];
        for (let i = 0; i < 300; i++) {
            switch (i % 5) {
                case 0:
                case 1:
                    cases.push({ path: `/asset/m1/thumbnail?token=${token}`, status: 200, sha: sha256(content.small) });
                    break;
                case 2:
                    if (i % 15 === 2) cases.push({ path: `/asset/m1/original?token=${token}`, status: 200, sha: sha256(content.fiveMb) });
                    else {
                        const start = (i * 7919) % 4_000_000;
                        cases.push({ path: `/asset/m1/original?token=${token}`, headers: { range: `bytes=${start}-${start + 99_999}` }, status: 206, sha: sha256(content.fiveMb.subarray(start, start + 100_000)) });
                    }
                    break;
                case 3:
                    cases.push({ path: `/asset/m1/thumbnail?token=${other}`, status: 403, code: 'scope_mismatch' });
                    break;
                default:
                    cases.push({ path: `/asset/m1/thumbnail?token=${token.slice(0, -4)}AAAA`, status: 403, code: 'bad_signature' });
            }
        }
        const responses = await Promise.all(cases.map((c) => get(c.path, c.headers)));
        const wrong = responses.flatMap((response, i) => {
            const c = cases[i]!;
            const problems: string[] = [];
            if (response.status !== c.status) problems.push(`status ${response.status}`);
            if (c.sha && sha256(response.body) !== c.sha) problems.push('bytes');
            if (c.code && response.headers['x-token-error'] !== c.code) problems.push(`code ${response.headers['x-token-error']}`);
            if (response.aborted) problems.push('aborted');
            return problems.length ? [`#${i} ${c.path.slice(0, 30)}: ${problems.join(', ')}`] : [];
        });
        expect(wrong).toEqual([]);
        expect(cases.filter((c) => c.status === 206).length).toBeGreaterThan(30);
        expect(cases.filter((c) => c.sha === sha256(content.fiveMb)).length).toBe(20);
    });
});

describe('streaming callback', () => {
    type Token = Record<string, unknown> & { stream_mac: Uint8Array; end: bigint; offset: bigint; chunk_index: number; access_token: string };
    async function startStream(ttl = 180, range?: string) {
        const token = await h.token({ ttl });
        const response = await h.actor.http_request({
            method: 'GET',
            url: `/asset/m1/original?token=${token}`,
            headers: range ? [['Range', range]] : [],
            body: new Uint8Array(),
            certificate_version: [2]
        });
        expect(response.streaming_strategy.length).toBe(1);
        return response.streaming_strategy[0].Callback.token as Token;
    }
    const pull = (token: Token) => h.actor.http_request_streaming_callback(token);
    const later = async (ms: number) => {
        await h.pic.advanceTime(ms);
        await h.pic.tick(2);
    };

    it('serves the next chunk for a stream the bucket started, and hands out the next position', async () => {
        const token = await startStream();
        const next = await pull(token);
        expect(next.body.length).toBe(1_899_968);
        expect(next.token[0]).toMatchObject({ chunk_index: 2, offset: 3_799_936n, end: 5_000_000n });
    });

    it('refuses a tampered streaming token: every field is sealed (reject, not a trap)', async () => {
        const token = await startStream();
        const mac = Uint8Array.from(token.stream_mac);
        mac[0]! ^= 1;
        for (const tampered of [{ end: token.end - 1n }, { offset: 0n }, { chunk_index: 99 }, { issued_at: 1n }, { stream_mac: mac }]) {
            await expect(pull({ ...token, ...tampered })).rejects.toThrow(/invalid streaming token/);
        }
        await expect(pull({ ...token, access_token: token.access_token.slice(0, -3) + 'AAA' })).rejects.toThrow(/access token refused/);
    });

    it('a ranged stream cannot be rewound to byte 0', async () => {
        const token = await startStream(180, 'bytes=100-4000000');
        expect(token).toMatchObject({ offset: 1_899_968n, end: 4_000_001n });
        await expect(pull({ ...token, offset: 0n })).rejects.toThrow(/invalid streaming token/);
        await expect(pull({ ...token, end: 5_000_000n })).rejects.toThrow(/invalid streaming token/);
        expect((await pull(token)).body).toEqual(content.fiveMb.subarray(1_899_968, 3_799_936));
    });

    it('after its token expired, a stream only goes forward, and not beyond the grace period', async () => {
        const first = await startStream(1);
        await later(45_000); // the 1 s token expired 44 s ago (30 s skew included): HTTP answers 403 now
        const refused = await get(`/asset/m1/original?token=${first.access_token}`);
        expect([refused.status, refused.headers['x-token-error']]).toEqual([403, 'expired']);
        await expect(pull({ ...first, offset: 0n })).rejects.toThrow(/invalid streaming token/);
        const second = await pull(first); // handed out 45 s ago: still the stream going forward
        expect(second.body).toEqual(content.fiveMb.subarray(1_899_968, 3_799_936));
        await later(30_000);
        await expect(pull(first)).rejects.toThrow(/access token refused: expired/); // a rewind, 75 s on
        expect((await pull(second.token[0])).body).toEqual(content.fiveMb.subarray(3_799_936));
        await later(300_000);
        await expect(pull(second.token[0])).rejects.toThrow(/access token refused: expired/);
    });

    it('refuses to continue a stream once the asset changed', async () => {
        const token = await startStream();
        await h.upload('m1', 'original', content.fiveMb.map((b) => b ^ 0xff), { contentType: 'video/mp4' });
        await expect(pull(token)).rejects.toThrow(/asset changed since the stream started/);
        await h.upload('m1', 'original', content.fiveMb, { contentType: 'video/mp4' });
    });
});

describe('keys over time', () => {
    it('keeps a verify-only kid working inside its window and refuses it once retired', async () => {
        const now = await h.nowSeconds();
        const oldToken = await h.token({ kid: 'k1' });
        const version = (await h.actor.keyring_status()).version as bigint;
        await h.pushKeys(version + 1n, [{ kid: 'k1', state: 'verify_only', notAfter: BigInt(now + 20) }, { kid: 'k2' }]);
        try {
            expect((await get(`/asset/m1/thumbnail?token=${oldToken}`)).status).toBe(200);
            expect((await get(`/asset/m1/thumbnail?token=${await h.token({ kid: 'k2' })}`)).status).toBe(200);
            await h.pic.advanceTime(30_000);
            await h.pic.tick(2);
            const retired = await get(`/asset/m1/thumbnail?token=${oldToken}`);
            expect([retired.status, retired.headers['x-token-error']]).toEqual([401, 'unknown_key']);
        } finally {
            // The other tests mint with k1: give it back.
            await h.pushKeys(version + 2n, [{ kid: 'k1' }]);
        }
    });
});
