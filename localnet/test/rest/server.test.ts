/** The REST server's routing, error handling and lifecycle, driven with raw HTTP requests. */
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { Principal } from '@icp-sdk/core/principal';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRestServer } from '../../src/rest/server';
import type { TestServer } from './support/testServer';
import { DEFAULT_INSTANCE_CONFIG, startTestServer } from './support/testServer';

let t: TestServer;

beforeEach(async () => {
    t = await startTestServer();
});
afterEach(async () => {
    await t.server.close();
});

const b64 = (principal: Principal) => Buffer.from(principal.toUint8Array()).toString('base64');

async function createInstance(): Promise<number> {
    const { status, body } = await t.request('POST', '/instances', DEFAULT_INSTANCE_CONFIG);
    expect(status).toBe(201);
    return (body as { Created: { instance_id: number } }).Created.instance_id;
}

describe('bad requests', () => {
    it('answers malformed JSON with 400 and a JSON message', async () => {
        const id = await createInstance();
        for (const body of ['{', '', 'nul', '{"canister_id": "AA==",}']) {
            const response = await t.request('POST', `/instances/${id}/read/get_cycles`, body);
            expect(response.status).toBe(400);
            expect(response.body).toEqual({ message: expect.stringContaining('Failed to parse the request body as JSON') });
        }
    });

    it('answers well-formed JSON of the wrong shape with 422 naming the field', async () => {
        const id = await createInstance();
        const response = await t.request('POST', `/instances/${id}/update/set_time`, '{"nanos_since_epoch":"soon"}');
        expect(response.status).toBe(422);
        expect(response.body).toEqual({ message: expect.stringContaining('body.nanos_since_epoch: expected an unsigned integer') });
    });

    it('answers unknown and non-numeric instance ids with 400', async () => {
        expect(await t.request('GET', '/instances/7/read/get_time')).toMatchObject({ status: 400, body: { message: 'Instance not found: 7' } });
        expect(await t.request('GET', '/instances/abc/read/get_time')).toMatchObject({
            status: 400,
            body: { message: expect.stringContaining('Cannot parse `abc`') }
        });
        expect(await t.request('DELETE', '/instances/3')).toMatchObject({ status: 400 });
    });

    it('answers unknown canisters with 400 on state endpoints and a reject on call endpoints', async () => {
        const id = await createInstance();
        const unknown = Principal.fromText('rrkah-fqaaa-aaaaa-aaaaq-cai');
        const cycles = await t.request('POST', `/instances/${id}/read/get_cycles`, JSON.stringify({ canister_id: b64(unknown) }));
        expect(cycles).toMatchObject({ status: 400, body: { message: expect.stringContaining('CanisterNotFound') } });

        const call = { sender: b64(Principal.anonymous()), canister_id: b64(unknown), method: 'echo', payload: '', effective_principal: 'None' };
        const query = await t.request('POST', `/instances/${id}/read/query`, JSON.stringify(call));
        expect(query).toMatchObject({ status: 200, body: { Err: { reject_code: 'DestinationInvalid', error_code: 'CanisterNotFound' } } });
        const submit = await t.request('POST', `/instances/${id}/update/submit_ingress_message`, JSON.stringify(call));
        expect(submit).toMatchObject({ status: 200, body: { Err: { error_code: 'CanisterNotFound' } } });
    });

    it('answers unknown routes with 404 and wrong methods with 405, both as JSON', async () => {
        expect(await t.request('GET', '/nope')).toMatchObject({ status: 404, body: { message: 'Not found: GET /nope' } });
        const id = await createInstance();
        expect(await t.request('GET', `/instances/${id}/api/v2/status`)).toMatchObject({ status: 404 });
        expect(await t.request('POST', `/instances/${id}/read/get_time`, '{}')).toMatchObject({
            status: 405,
            body: { message: expect.stringContaining('allowed: GET') }
        });
    });

    it('turns an exception in the core into a 500 JSON error and keeps serving', async () => {
        const id = await createInstance();
        const canister = t.factory.created[0]!.addCanister();
        const call = { sender: b64(Principal.anonymous()), canister_id: b64(canister), method: 'core-bug', payload: '', effective_principal: 'None' };
        const response = await t.request('POST', `/instances/${id}/read/query`, JSON.stringify(call));
        expect(response).toMatchObject({ status: 500, body: { message: 'Internal error: simulated defect in the core' } });
        expect(t.logged.join('\n')).toContain('simulated defect in the core');
        expect((await t.request('GET', `/instances/${id}/read/get_time`)).status).toBe(200);
    });

    it('reports a failing core factory as a tagged CreateInstanceResponse error', async () => {
        const failing = await startTestServer({
            createLocalIc: async () => {
                throw new Error('core unavailable');
            }
        });
        try {
            const response = await failing.request('POST', '/instances', DEFAULT_INSTANCE_CONFIG);
            expect(response).toMatchObject({ status: 500, body: { Error: { message: 'Internal error: core unavailable' } } });
            const bad = await failing.request('POST', '/instances', '{"subnet_config_set": {"application": 3}}');
            expect(bad).toMatchObject({ status: 422, body: { Error: { message: expect.stringContaining('expected an array') } } });
        } finally {
            await failing.server.close();
        }
    });

    it('rejects oversized bodies with 413', async () => {
        const small = await startTestServer({ maxBodyBytes: 1024 });
        try {
            const response = await small.request('POST', '/blobstore', new Uint8Array(4096), {});
            expect(response.status).toBe(413);
            expect(response.body).toEqual({ message: expect.stringContaining('exceeds the limit') });
        } finally {
            await small.server.close();
        }
    });

    it('answers garbage that is not HTTP with 400', async () => {
        const reply = await new Promise<string>((resolve, reject) => {
            const socket = connect(Number(new URL(t.url).port), '127.0.0.1', () => socket.write('HELLO\r\n\r\n'));
            let data = '';
            socket.on('data', (chunk) => (data += chunk.toString()));
            socket.on('end', () => resolve(data));
            socket.on('error', reject);
        });
        expect(reply).toMatch(/^HTTP\/1\.1 400/);
        expect((await t.request('GET', '/status')).status).toBe(200);
    });
});

describe('blob store', () => {
    it('stores blobs server-wide by SHA-256 and serves them back', async () => {
        const upload = await t.request('POST', '/blobstore', new Uint8Array([1, 2, 3]), {});
        expect(upload.status).toBe(200);
        expect(upload.text).toBe('039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81');
        const download = await fetch(`${t.url}/blobstore/${upload.text}`);
        expect(new Uint8Array(await download.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
    });

    it('keeps gzip-encoded blobs compressed and decompresses them for set_stable_memory', async () => {
        const id = await createInstance();
        const canister = t.factory.created[0]!.addCanister();
        const upload = await t.request('POST', '/blobstore', gzipSync(Buffer.from('stable!')), { 'content-encoding': 'gzip' });
        const blobId = Buffer.from(upload.text, 'hex').toString('base64');
        const set = await t.request('POST', `/instances/${id}/update/set_stable_memory`, JSON.stringify({ canister_id: b64(canister), blob_id: blobId }));
        expect(set).toMatchObject({ status: 200, body: null });
        const get = await t.request('POST', `/instances/${id}/read/get_stable_memory`, JSON.stringify({ canister_id: b64(canister) }));
        expect(Buffer.from((get.body as { blob: string }).blob, 'base64').toString()).toBe('stable!');
        const raw = await fetch(`${t.url}/blobstore/${upload.text}`, { headers: { 'accept-encoding': 'identity' } });
        expect(raw.headers.get('content-encoding')).toBe('gzip');
    });

    it('rejects unsupported encodings, bad ids and unknown blobs', async () => {
        expect(await t.request('POST', '/blobstore', 'x', { 'content-encoding': 'br' })).toMatchObject({ status: 400 });
        expect(await t.request('GET', '/blobstore/xyz')).toMatchObject({ status: 400 });
        expect(await t.request('GET', `/blobstore/${'00'.repeat(32)}`)).toMatchObject({ status: 404 });
        const id = await createInstance();
        const set = await t.request('POST', `/instances/${id}/update/set_stable_memory`, JSON.stringify({ canister_id: 'AA==', blob_id: 'AAAA' }));
        expect(set).toMatchObject({ status: 400, body: { message: expect.stringContaining('BlobNotFound') } });
    });
});

describe('instance lifecycle', () => {
    it('creates instances with sequential ids and lists them with their state', async () => {
        expect(await createInstance()).toBe(0);
        expect(await createInstance()).toBe(1);
        expect(t.factory.created[0]?.config).toEqual({ subnets: [{ kind: 'Application' }] });
        expect((await t.request('DELETE', '/instances/0')).status).toBe(200);
        expect((await t.request('GET', '/instances')).body).toEqual(['Deleted', 'Available']);
    });

    it('disposes the core on delete and refuses later operations on the instance', async () => {
        const id = await createInstance();
        await t.request('DELETE', `/instances/${id}`);
        expect(t.factory.created[0]?.disposed).toBe(true);
        expect(await t.request('POST', `/instances/${id}/update/tick`, '{}')).toMatchObject({
            status: 400,
            body: { message: `Instance was deleted: ${id}` }
        });
        expect((await t.request('DELETE', `/instances/${id}`)).status).toBe(200);
    });

    it('starts the instance live for initial_time AutoProgress', async () => {
        const config = JSON.parse(DEFAULT_INSTANCE_CONFIG) as Record<string, unknown>;
        config['initial_time'] = { AutoProgress: { artificial_delay_ms: null } };
        const { body } = await t.request('POST', '/instances', JSON.stringify(config));
        const id = (body as { Created: { instance_id: number } }).Created.instance_id;
        expect((await t.request('GET', `/instances/${id}/auto_progress`)).body).toBe(true);
    });

    it('runs the operations of one instance one at a time', async () => {
        const id = await createInstance();
        const ic = t.factory.created[0]!;
        const held = ic.holdTicks();
        const tick = t.request('POST', `/instances/${id}/update/tick`, '{}');
        await held.started;
        // get_time arrives while the tick is still running: it must wait for it. (Loopback delivers the
        // request within a few event-loop turns; a server that did not serialize would log 'time' here.)
        const time = t.request('GET', `/instances/${id}/read/get_time`);
        for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
        expect(ic.log).toEqual(['tick:start']);
        held.release();
        await Promise.all([tick, time]);
        expect(ic.log).toEqual(['tick:start', 'tick:end', 'time']);
    });

    it('disposes every instance on close', async () => {
        await createInstance();
        await createInstance();
        await t.server.close();
        expect(t.factory.created.map((ic) => ic.disposed)).toEqual([true, true]);
    });
});

describe('ttl', () => {
    it('reports idleness once no request has been made for the ttl', async () => {
        let expired = 0;
        // Fake interval timers and clock (the idle check); sockets keep their real timers.
        vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
        const server = createRestServer({ createLocalIc: async () => expect.fail(), ttlSeconds: 0.2, onIdleTimeout: () => expired++ });
        try {
            const { url } = await server.listen(0);
            await fetch(`${url}/status`);
            vi.advanceTimersByTime(150);
            expect(expired).toBe(0);
            vi.advanceTimersByTime(300);
            expect(expired).toBe(1);
        } finally {
            vi.useRealTimers();
            await server.close();
        }
    });
});
