/**
 * The gateway end to end with a real Azle canister (test/canisters/http) on the execution core,
 * fetched like a browser would: inline, streamed and upgraded responses, certification on the
 * certified and raw hosts, pass-through of methods and headers, and failures.
 */
import type { Principal } from '@icp-sdk/core/principal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedStreamBytes, startInProcessGateway, type InProcessGateway } from './support/inProcessGateway';
import { localhostFetch } from '../../src/localhostFetch';

let gateway: InProcessGateway;
let canisterId: Principal;
let certified: (path: string) => string;
let raw: (path: string) => string;

beforeAll(async () => {
    gateway = await startInProcessGateway();
    canisterId = await gateway.install('http');
    certified = (path) => `${gateway.origin(canisterId)}${path}`;
    raw = (path) => `${gateway.origin(canisterId, { raw: true })}${path}`;
});
afterAll(async () => {
    await gateway?.close();
});

interface Echo {
    method: string;
    url: string;
    headers: [string, string][];
    bodyLength: number;
    certificateVersion: number | null;
}

describe('responses', () => {
    it('serves an inline, skip-certified reply on the certified host', async () => {
        const response = await localhostFetch(certified('/inline'));
        expect(response.status).toBe(200);
        expect(response.text).toBe('Hello from http_request');
        expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
        expect(response.headers['x-route']).toBe('inline');
        expect(response.headers['ic-certificateexpression']).toBe('default_certification(ValidationArgs{no_certification:Empty{}})');
        expect(response.headers['ic-certificate']).toMatch(/^certificate=:.+:, tree=:.+:, expr_path=:.+:, version=2$/);
    });

    it('passes a 404 through with its body', async () => {
        const response = await localhostFetch(certified('/no/such/thing'));
        expect(response.status).toBe(404);
        expect(response.text).toBe('Not found: /no/such/thing');
    });

    it('streams a three-chunk reply with the bytes unchanged end to end', async () => {
        const response = await localhostFetch(certified('/stream?chunks=3&size=100000'));
        expect(response.status).toBe(200);
        expect(response.headers['x-chunks']).toBe('3');
        expect(response.body.length).toBe(300_000);
        expect(response.body.equals(expectedStreamBytes(300_000))).toBe(true);
    });

    it('streams a long reply to the client chunk by chunk as the callbacks return', async () => {
        const response = await localhostFetch(certified('/stream?chunks=10&size=500000'));
        expect(response.status).toBe(200);
        expect(response.headers['transfer-encoding']).toBe('chunked');
        expect(response.dataEvents).toBeGreaterThan(10);
        expect(response.body.equals(expectedStreamBytes(5_000_000))).toBe(true);
    });

    it('upgrades to http_request_update when the canister asks, and its state change persists', async () => {
        const first = await localhostFetch(certified('/update'));
        expect(first.status).toBe(200);
        expect(first.text).toMatch(/^updated \d+ via GET \/update$/);
        const second = await localhostFetch(certified('/update'), { method: 'POST', body: 'x=1' });
        expect(Number(second.headers['x-update-count'])).toBe(Number(first.headers['x-update-count']) + 1);
        expect(second.text).toMatch(/via POST \/update$/);
    });

    it('rejects an uncertified response on the certified host and serves it on the raw host', async () => {
        const rejected = await localhostFetch(certified('/uncertified'));
        expect(rejected.status).toBe(500);
        expect(rejected.text).toMatch(/^Response verification failed: /);
        const served = await localhostFetch(raw('/uncertified'));
        expect(served.status).toBe(200);
        expect(served.text).toBe('not certified');
    });
});

describe('requests reach the canister as sent', () => {
    it('passes HEAD through and sends no body', async () => {
        const response = await localhostFetch(certified('/inline'), { method: 'HEAD' });
        expect(response.status).toBe(200);
        expect(response.headers['x-request-method']).toBe('HEAD');
        expect(response.headers['content-length']).toBe('23');
        expect(response.body.length).toBe(0);
    });

    it('passes Range and other headers, the body and certificate_version 2; adds identity to Accept-Encoding', async () => {
        const response = await localhostFetch(certified('/echo?a=1&b=%20'), {
            method: 'PUT',
            headers: { Range: 'bytes=10-19', 'If-None-Match': '"abc"', 'Accept-Encoding': 'gzip, br', 'X-Request-Id': 'drop-me' },
            body: new Uint8Array(1234)
        });
        expect(response.status).toBe(200);
        const echo = JSON.parse(response.text) as Echo;
        expect(echo).toMatchObject({ method: 'PUT', url: '/echo?a=1&b=%20', bodyLength: 1234, certificateVersion: 2 });
        expect(echo.headers).toContainEqual(['range', 'bytes=10-19']);
        expect(echo.headers).toContainEqual(['if-none-match', '"abc"']);
        expect(echo.headers).toContainEqual(['accept-encoding', 'gzip, br, identity']);
        expect(echo.headers).toContainEqual(['host', `${canisterId.toText()}.localhost:${gateway.port}`]);
        expect(echo.headers.map(([name]) => name)).not.toContain('x-request-id');
    });

    it('serves http://localhost:<port>/…?canisterId=<id>', async () => {
        const response = await localhostFetch(`http://localhost:${gateway.port}/inline?canisterId=${canisterId.toText()}`);
        expect(response.status).toBe(200);
        expect(response.text).toBe('Hello from http_request');
    });
});

describe('failures', () => {
    it('answers malformed hosts with a 400 naming the problem', async () => {
        const response = await localhostFetch(`http://definitely-not-a-canister.localhost:${gateway.port}/inline`);
        expect(response.status).toBe(400);
        expect(response.text).toMatch(/Invalid canister id 'definitely-not-a-canister'/);
        const nested = await localhostFetch(`http://x.${canisterId.toText()}.localhost:${gateway.port}/inline`);
        expect(nested.status).toBe(400);
    });

    it('refuses a path that is not UTF-8 once percent-decoded with 400 on the certified host, passes it on raw', async () => {
        const refused = await localhostFetch(certified('/inline/%a9'));
        expect(refused.status).toBe(400);
        expect(refused.text).toMatch(/not valid UTF-8/);
        expect((await localhostFetch(raw('/inline/%a9'))).status).not.toBe(400);
    });

    it('answers a canister that traps in http_request with a 502 naming the trap', async () => {
        const response = await localhostFetch(certified('/trap'));
        expect(response.status).toBe(502);
        expect(response.text).toMatch(/Replica Error \(http_request\): reject code CanisterError, .*http_request trapped on purpose.*error code IC0503/);
    });

    it('refuses a reply over the 3 MiB query limit', async () => {
        const response = await localhostFetch(certified('/large?bytes=3200000'));
        expect(response.status).toBeGreaterThanOrEqual(500);
        expect(response.text).toMatch(/cannot be larger than 3145728|exceeds limit/);
        // Just under the limit still works.
        expect((await localhostFetch(certified('/large?bytes=3000000'))).body.length).toBe(3_000_000);
    });

    it('answers a streaming callback that traps before the headers went out with a 502 naming it', async () => {
        const response = await localhostFetch(certified('/stream?chunks=3&size=10&trapAt=2'));
        expect(response.status).toBe(502);
        expect(response.text).toMatch(/Replica Error \(http_streaming_callback\): .*streaming callback trapped at chunk 2/);
    });

    it('cuts the connection when a streaming callback traps mid-body', async () => {
        const response = await localhostFetch(certified('/stream?chunks=10&size=1000&trapAt=7'));
        expect(response.status).toBe(200);
        expect(response.aborted).toBe(true);
        expect(response.body.length).toBe(7000);
        expect(gateway.logged.join('\n')).toMatch(/streaming callback trapped at chunk 7/);
    });

    it('answers 404 for an unknown canister', async () => {
        const response = await localhostFetch(`http://ryjl3-tyaaa-aaaaa-aaaba-cai.localhost:${gateway.port}/`);
        expect(response.status).toBe(404);
    });
});
