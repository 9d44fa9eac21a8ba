/**
 * The gateway's protocol behaviour against a scripted canister with real certificates: response
 * verification and the header-forwarding rules, streaming and its limits, upgrades, and how every
 * failure reaches the client.
 */
import { connect } from 'node:net';
import { IDL } from '@icp-sdk/core/candid';
import { Principal } from '@icp-sdk/core/principal';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reconstruct } from '../../src/certification/hashTree';
import { skipCertificationHeaders, skipCertificationTree } from '../../src/certification/httpCertification';
import { RejectCode } from '../../src/core/localIc';
import { createHttpGatewayHandler, type HttpGatewayOptions } from '../../src/gateway';
import { localhostFetch } from '../../src/localhostFetch';
import {
    dataCertificate,
    decodeRequest,
    fullyCertifiedHeaders,
    otherKeys,
    responseCodec,
    SCRIPTED_CANISTER,
    ScriptedNetwork,
    type Header
} from './support/scriptedCanister';
import { serveOnLoopback, type LoopbackServer } from '../support/loopbackServer';

let network: ScriptedNetwork | undefined;
let server: LoopbackServer;
let port: number;
let logged: string[];

async function startGateway(options: HttpGatewayOptions = {}): Promise<void> {
    logged = [];
    const handler = createHttpGatewayHandler(() => network, { log: (m) => logged.push(m), ...options });
    server = await serveOnLoopback((request, response) => {
        void handler(request, response).then((answered) => {
            if (!answered) response.writeHead(418).end('declined');
        });
    });
    port = server.port;
}

beforeEach(async () => {
    network = new ScriptedNetwork();
    await startGateway();
});
afterEach(async () => {
    await server.close();
});

const certifiedUrl = (path: string) => `http://${SCRIPTED_CANISTER.toText()}.localhost:${port}${path}`;
const rawUrl = (path: string) => `http://${SCRIPTED_CANISTER.toText()}.raw.localhost:${port}${path}`;
const skipHeaders = (): Header[] => skipCertificationHeaders(dataCertificate(reconstruct(skipCertificationTree())));
const codec = responseCodec();
const names = (headers: [string, string][]) => headers.map(([name]) => name).filter((name) => !['date', 'connection', 'transfer-encoding'].includes(name));

describe('response verification and header forwarding', () => {
    const body = new TextEncoder().encode('<h1>certified</h1>');
    const served: Header[] = [
        ['Content-Type', 'text/html'],
        ['X-Not-Certified', 'injected by a malicious node'],
        ['Content-Length', String(body.length)]
    ];

    function serveFullyCertified(options: { tamperBody?: boolean; keys?: typeof otherKeys; timeNanos?: bigint } = {}) {
        const certification = fullyCertifiedHeaders({ status: 200, headers: served, body, path: '/page', certifiedHeaders: ['content-type'] }, options);
        network!.methods.set('http_request', () =>
            codec.response({ headers: [...served, ...certification], body: options.tamperBody ? new TextEncoder().encode('<h1>forged</h1>') : body })
        );
    }

    it('forwards only the certified headers of a fully certified v2 response', async () => {
        serveFullyCertified();
        const response = await localhostFetch(certifiedUrl('/page'));
        expect(response.status).toBe(200);
        expect(response.text).toBe('<h1>certified</h1>');
        expect(response.headers['content-type']).toBe('text/html');
        expect(response.headers['x-not-certified']).toBeUndefined();
        // What @dfinity/response-verification returns as the certified response's headers.
        expect(names(response.headerList)).toEqual(['content-type', 'ic-certificateexpression', 'ic-certificate', 'content-length']);
        // The gateway frames the body itself.
        expect(response.headers['content-length']).toBe(String(body.length));
    });

    it('forwards all headers of the same response on the raw domain (not verified)', async () => {
        serveFullyCertified();
        const response = await localhostFetch(rawUrl('/page'));
        expect(response.headers['x-not-certified']).toBe('injected by a malicious node');
        expect(response.headers['ic-certificate']).toBeDefined();
    });

    it('refuses a body that does not match the certificate with a 500 naming the reason', async () => {
        serveFullyCertified({ tamperBody: true });
        const response = await localhostFetch(certifiedUrl('/page'));
        expect(response.status).toBe(500);
        expect(response.text).toMatch(/^Response verification failed: .*(hash|Invalid)/i);
        expect((await localhostFetch(rawUrl('/page'))).text).toBe('<h1>forged</h1>');
    });

    it('refuses a certificate that does not chain to the instance root key', async () => {
        serveFullyCertified({ keys: otherKeys });
        const response = await localhostFetch(certifiedUrl('/page'));
        expect(response.status).toBe(500);
        expect(response.text).toMatch(/Response verification failed: .*certificate verification failed/i);
    });

    it('checks certificate freshness against the instance time, not the wall clock', async () => {
        serveFullyCertified({ timeNanos: network!.nowNanos - 4n * 60n * 1_000_000_000n });
        expect((await localhostFetch(certifiedUrl('/page'))).status).toBe(200);
        network!.nowNanos += 2n * 60n * 1_000_000_000n;
        const response = await localhostFetch(certifiedUrl('/page'));
        expect(response.status).toBe(500);
        expect(response.text).toMatch(/Response verification failed: Certificate verification failed/);
    });

    it('refuses a response without certificate headers', async () => {
        network!.methods.set('http_request', () => codec.response({ body: 'plain' }));
        const response = await localhostFetch(certifiedUrl('/'));
        expect(response.status).toBe(500);
        expect(response.text).toMatch(/Response verification failed/);
    });

    it('forwards every header of a skip-certified response', async () => {
        network!.methods.set('http_request', () =>
            codec.response({ headers: [['X-Anything', '1'], ['Content-Range', 'bytes 0-0/9'], ...skipHeaders()], body: 'x', status: 206 })
        );
        const response = await localhostFetch(certifiedUrl('/any/path'));
        expect(response.status).toBe(206);
        expect(response.headers['x-anything']).toBe('1');
        expect(response.headers['content-range']).toBe('bytes 0-0/9');
        expect(response.headers['ic-certificateexpression']).toMatch(/no_certification/);
    });

    it('drops Content-Length and Content-Range of unverified responses unless the client sent Range', async () => {
        network!.methods.set('http_request', () =>
            codec.response({ status: 206, headers: [['Content-Range', 'bytes 0-1/10'], ['Content-Length', '2'], ['X-Kept', 'yes']], body: 'ab' })
        );
        const plain = await localhostFetch(rawUrl('/file'));
        expect(plain.headers['content-range']).toBeUndefined();
        expect(plain.headers['x-kept']).toBe('yes');
        const ranged = await localhostFetch(rawUrl('/file'), { headers: { range: 'bytes=0-1' } });
        expect(ranged.headers['content-range']).toBe('bytes 0-1/10');
        expect(ranged.headers['content-length']).toBe('2');
    });

    it('passes 304 Not Modified through with its validators and no body', async () => {
        network!.methods.set('http_request', (arg) => {
            const request = decodeRequest(arg);
            const matches = request.headers.some(([name, value]) => name === 'if-none-match' && value === '"v1"');
            return codec.response({
                status: matches ? 304 : 200,
                headers: [['ETag', '"v1"'], ['Content-Length', '5'], ...skipHeaders()],
                body: matches ? '' : 'hello'
            });
        });
        const fresh = await localhostFetch(certifiedUrl('/photo'));
        expect([fresh.status, fresh.text, fresh.headers['etag']]).toEqual([200, 'hello', '"v1"']);
        const cached = await localhostFetch(certifiedUrl('/photo'), { headers: { 'If-None-Match': '"v1"' } });
        expect(cached.status).toBe(304);
        expect(cached.headers['etag']).toBe('"v1"');
        expect(cached.headers['content-length']).toBe('5');
        expect(cached.body.length).toBe(0);
    });

    it('sends 204 without Content-Length', async () => {
        network!.methods.set('http_request', () => codec.response({ status: 204, headers: [['Content-Length', '0'], ...skipHeaders()] }));
        const response = await localhostFetch(certifiedUrl('/'));
        expect(response.status).toBe(204);
        expect(response.headers['content-length']).toBeUndefined();
    });

    it('drops hop-by-hop headers and refuses headers Node cannot send', async () => {
        network!.methods.set('http_request', () => codec.response({ headers: [['Connection', 'upgrade'], ['Transfer-Encoding', 'gzip'], ['X-Ok', '1']], body: 'ok' }));
        const ok = await localhostFetch(rawUrl('/'));
        expect(ok.headers['x-ok']).toBe('1');
        expect(ok.headers['transfer-encoding']).toBeUndefined();
        network!.methods.set('http_request', () => codec.response({ headers: [['Bad Name', 'x']], body: 'ok' }));
        const bad = await localhostFetch(rawUrl('/'));
        expect(bad.status).toBe(502);
        expect(bad.text).toMatch(/invalid header "Bad Name"/);
    });
});

describe('streaming', () => {
    /** Serves `chunks` chunks of `size` bytes: chunk i is filled with byte i. */
    function serveStream(chunks: number, size: number, options: { certified?: boolean; callbackOpt?: boolean; canister?: Principal } = {}) {
        const streamCodec = responseCodec(IDL.Nat, options.callbackOpt);
        const chunk = (i: number) => new Uint8Array(size).fill(i);
        network!.methods.set('http_request', () =>
            streamCodec.response({
                headers: options.certified ? skipHeaders() : [],
                body: chunk(0),
                ...(chunks > 1 ? { stream: { token: 1n, ...(options.canister ? { canister: options.canister } : {}) } } : {})
            })
        );
        network!.methods.set('next', (arg) => {
            const index = Number(streamCodec.decodeToken(arg));
            return streamCodec.callbackReply(chunk(index), index + 1 < chunks ? BigInt(index + 1) : undefined);
        });
    }
    const expected = (chunks: number, size: number) => Buffer.concat(Array.from({ length: chunks }, (_, i) => Buffer.alloc(size, i)));

    it('collects a body of up to 4 callbacks, verifies it whole and sends it with Content-Length', async () => {
        serveStream(5, 1000, { certified: true });
        const response = await localhostFetch(certifiedUrl('/'));
        expect(response.status).toBe(200);
        expect(response.body.equals(expected(5, 1000))).toBe(true);
        expect(response.headers['content-length']).toBe('5000');
        expect(network!.calls.filter((c) => c.method === 'next')).toHaveLength(4);
    });

    it('refuses an uncertified body of up to 4 callbacks on the certified domain', async () => {
        serveStream(3, 10);
        expect((await localhostFetch(certifiedUrl('/'))).status).toBe(500);
        expect((await localhostFetch(rawUrl('/'))).body.equals(expected(3, 10))).toBe(true);
    });

    it('streams a longer body chunk by chunk, unverified, as ic-http-gateway does', async () => {
        serveStream(12, 200_000);
        const response = await localhostFetch(certifiedUrl('/'));
        expect(response.status).toBe(200);
        expect(response.headers['transfer-encoding']).toBe('chunked');
        expect(response.headers['content-length']).toBeUndefined();
        expect(response.body.equals(expected(12, 200_000))).toBe(true);
        expect(response.dataEvents).toBeGreaterThan(1);
        expect(network!.calls.filter((c) => c.method === 'next')).toHaveLength(11);
    });

    it('reads callbacks that reply with opt StreamingCallbackHttpResponse', async () => {
        serveStream(3, 7, { callbackOpt: true });
        expect((await localhostFetch(rawUrl('/'))).body.equals(expected(3, 7))).toBe(true);
    });

    it('refuses a callback on another canister', async () => {
        serveStream(3, 7, { canister: Principal.fromText('aaaaa-aa') });
        const response = await localhostFetch(rawUrl('/'));
        expect(response.status).toBe(500);
        expect(response.text).toMatch(/not a method of canister/);
    });

    it('cuts the connection when a callback fails after the headers were sent', async () => {
        serveStream(8, 1000);
        const next = network!.methods.get('next')!;
        network!.methods.set('next', (arg, kind) => {
            if (Number(responseCodec().decodeToken(arg)) === 6) {
                return { kind: 'reject', rejectCode: RejectCode.CanisterError, errorCode: 'IC0503', message: 'chunk 6 trapped', certified: false };
            }
            return next(arg, kind);
        });
        const response = await localhostFetch(rawUrl('/'));
        expect(response.status).toBe(200);
        expect(response.aborted).toBe(true);
        expect(response.body.length).toBe(6000);
        expect(logged.join('\n')).toMatch(/streaming aborted: .*chunk 6 trapped/);
    });

    it('stops a stream that does not end within the chunk limit', async () => {
        server.close();
        await startGateway({ maxStreamChunks: 10 });
        serveStream(50, 10);
        const response = await localhostFetch(rawUrl('/'));
        expect(response.aborted).toBe(true);
        expect(response.body.length).toBe(100);
        expect(logged.join('\n')).toMatch(/did not end within 10 chunks/);
    });

    it('does not fetch further chunks for HEAD', async () => {
        serveStream(10, 10);
        const response = await localhostFetch(rawUrl('/'), { method: 'HEAD' });
        expect(response.status).toBe(200);
        expect(response.body.length).toBe(0);
        expect(network!.calls.filter((c) => c.method === 'next').length).toBeLessThanOrEqual(4);
    });
});

describe('upgrade to update calls', () => {
    it('calls http_request_update as an update and does not verify its response', async () => {
        network!.methods.set('http_request', () => codec.response({ upgrade: true, body: 'ignored' }));
        network!.methods.set('http_request_update', (arg, kind) => {
            const request = decodeRequest(arg);
            return codec.response({ body: `${kind} ${request.method} ${request.url}`, headers: [['X-Updated', 'yes']] });
        });
        const response = await localhostFetch(certifiedUrl('/form?a=1'), { method: 'POST', body: 'field=1' });
        expect(response.status).toBe(200);
        expect(response.text).toBe('update POST /form?a=1');
        expect(response.headers['x-updated']).toBe('yes');
        expect(network!.calls.map((c) => `${c.kind} ${c.method}`)).toEqual(['query http_request', 'update http_request_update']);
    });

    it('names a failing http_request_update', async () => {
        network!.methods.set('http_request', () => codec.response({ upgrade: true }));
        network!.methods.set('http_request_update', () => ({ kind: 'reject', rejectCode: RejectCode.CanisterReject, errorCode: '', message: 'no updates today', certified: true }));
        const response = await localhostFetch(certifiedUrl('/'));
        expect(response.status).toBe(502);
        expect(response.text).toMatch(/Replica Error \(http_request_update\): reject code CanisterReject, message no updates today/);
    });
});

describe('failures', () => {
    /** Sends a request line as given (Node's client refuses such targets), returns status and body. */
    function rawRequest(target: string, host: string): Promise<{ status: number; body: string }> {
        return new Promise((resolve, reject) => {
            const socket = connect(port, '127.0.0.1', () => socket.write(`GET ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`));
            let received = '';
            socket.on('data', (data) => (received += data.toString('latin1')));
            socket.on('error', reject);
            socket.on('close', () => resolve({ status: Number(received.slice(9, 12)), body: received.slice(received.indexOf('\r\n\r\n') + 4) }));
        });
    }

    it.each([
        ['a double quote', '/asset/m1/preview?token=SECRETtoken0123"x'],
        ['a backtick', '/asset/m1/preview?token=SECRETtoken0123`'],
        ['a backtick in the path', '/asset/`m1?token=SECRETtoken0123'],
        ['a < in the query', '/asset/m1/preview?token=SECRETtoken0123<'],
        ['the asterisk form', '*']
    ])('answers 400 to a target with %s, without calling the canister or echoing it', async (_label, target) => {
        network!.methods.set('http_request', () => codec.response({ headers: skipHeaders(), body: 'never' }));
        for (const host of [`${SCRIPTED_CANISTER.toText()}.localhost:${port}`, `${SCRIPTED_CANISTER.toText()}.raw.localhost:${port}`]) {
            const response = await rawRequest(target, host);
            expect(response.status).toBe(400);
            expect(response.body).toBe('Bad request: the request target is not a valid URI\n');
        }
        expect(network!.calls).toHaveLength(0);
    });

    it('never repeats the target or its token in an error page or a log line', async () => {
        const target = '/asset/m1/preview?token=SECRETtoken0123&x=1';
        network!.methods.set('http_request', () => {
            throw new Error(`boom while serving ${target}`);
        });
        const response = await localhostFetch(certifiedUrl(target));
        expect(response.status).toBe(500);
        expect(response.text).not.toContain('SECRETtoken0123');
        expect(logged.join('\n')).not.toContain('SECRETtoken0123');
        expect(logged.join('\n')).toContain('/asset/m1/preview');
        const badId = await localhostFetch(`http://127.0.0.1:${port}/asset?canisterId=nope-SECRETtoken0123`);
        expect(badId.status).toBe(400);
        expect(badId.text).not.toContain('SECRETtoken0123');
    });

    it('answers 404 for a canister or method that does not exist', async () => {
        const missing = await localhostFetch(`http://${Principal.fromText('aaaaa-aa').toText()}.localhost:${port}/`);
        expect(missing.status).toBe(404);
        expect(missing.text).toMatch(/not found/);
        const noMethod = await localhostFetch(certifiedUrl('/'));
        expect(noMethod.status).toBe(404);
        expect(noMethod.text).toMatch(/no query method 'http_request'/);
    });

    it('refuses query replies over 3 MiB even if the instance let one through', async () => {
        network!.methods.set('http_request', () => codec.response({ body: new Uint8Array(3 * 1024 * 1024) }));
        const response = await localhostFetch(rawUrl('/'));
        expect(response.status).toBe(507);
        expect(response.text).toMatch(/Response size exceeds limit: http_request replied \d+ bytes, more than 3145728/);
    });

    it('answers 500 for a reply that is not an HttpResponse', async () => {
        network!.methods.set('http_request', () => new Uint8Array(IDL.encode([IDL.Text], ['hello'])));
        const response = await localhostFetch(certifiedUrl('/'));
        expect(response.status).toBe(500);
        expect(response.text).toMatch(/Failed to decode the HttpResponse of http_request/);
    });

    it('refuses status codes HTTP cannot carry', async () => {
        network!.methods.set('http_request', () => codec.response({ status: 1000, headers: skipHeaders() }));
        expect((await localhostFetch(certifiedUrl('/'))).status).toBe(400);
        network!.methods.set('http_request', () => codec.response({ status: 101, headers: skipHeaders() }));
        expect((await localhostFetch(certifiedUrl('/'))).status).toBe(502);
    });

    it('answers 413 for a request body over the limit, without calling the canister', async () => {
        server.close();
        await startGateway({ maxRequestBodyBytes: 100 });
        network!.methods.set('http_request', () => codec.response({}));
        const response = await localhostFetch(rawUrl('/'), { method: 'POST', body: new Uint8Array(101) });
        expect(response.status).toBe(413);
        expect(network!.calls).toHaveLength(0);
    });

    it('answers 503 while there is no instance, and 400 for a malformed host', async () => {
        network = undefined;
        expect((await localhostFetch(certifiedUrl('/'))).status).toBe(503);
        const malformed = await localhostFetch(`http://nope.localhost:${port}/`);
        expect(malformed.status).toBe(400);
        expect(malformed.text).toMatch(/Invalid canister id 'nope'/);
    });

    it('declines requests that are not for a canister', async () => {
        expect((await localhostFetch(`http://127.0.0.1:${port}/api/v2/status`)).status).toBe(418);
        expect((await localhostFetch(`http://localhost:${port}/instances`)).status).toBe(418);
    });
});
