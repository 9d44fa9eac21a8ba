/**
 * The gateway behind the PocketIC REST server: PicJS's makeLive()/stopLive() (`POST /http_gateway`,
 * auto progress), an unmodified agent and a browser-like client on the port it returns, the
 * endpoints' errors, and the default instance served on the main port.
 */
import { Actor, HttpAgent } from '@icp-sdk/core/agent';
import { Principal } from '@icp-sdk/core/principal';
import type { PocketIc } from '@dfinity/pic';
import { PocketIc as PicJs } from '@dfinity/pic';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalIc } from '../../src/core/createLocalIc';
import { createRestServer, type RestServer } from '../../src/rest/server';
import { attachToInstance } from '../../src/startNetwork';
import { httpIdl, type HttpTestService } from '../support/testCanisterInterfaces';
import { setupTestCanister } from '../support/suiteNetwork';
import { localhostFetch } from '../../src/localhostFetch';

let server: RestServer;
let url: string;
let defaultInstanceId: number;

beforeAll(async () => {
    server = createRestServer({ createLocalIc, log: () => undefined });
    ({ url } = await server.listen(0));
    ({ instanceId: defaultInstanceId } = await server.createDefaultInstance());
});
afterAll(async () => {
    await server?.close();
});

async function installHttpCanister(pic: PocketIc): Promise<string> {
    return (await setupTestCanister(pic, 'http', httpIdl)).canisterId.toText();
}

/** An agent query through the IC HTTP interface on `host`, or undefined when that interface is absent. */
async function agentHttpRequest(host: string, canisterId: string, path: string) {
    const agent = await HttpAgent.create({ host, shouldFetchRootKey: true, verifyQuerySignatures: true });
    const actor = Actor.createActor<HttpTestService>(httpIdl, { agent, canisterId: Principal.fromText(canisterId) });
    return actor.http_request({ method: 'GET', url: path, headers: [], body: new Uint8Array(), certificate_version: [2] });
}

describe('PicJS makeLive()', () => {
    let pic: PocketIc;
    let canisterId: string;
    let port: number;

    beforeAll(async () => {
        pic = await PicJs.create(url);
        canisterId = await installHttpCanister(pic);
        port = await pic.makeLive();
    });
    afterAll(async () => {
        await pic?.tearDown();
    });

    it('returns the port of a gateway serving the instance to browsers', async () => {
        expect(port).toBeGreaterThan(0);
        const response = await localhostFetch(`http://${canisterId}.localhost:${port}/inline`);
        expect(response.status).toBe(200);
        expect(response.text).toBe('Hello from http_request');
        const streamed = await localhostFetch(`http://${canisterId}.localhost:${port}/stream?chunks=6&size=1000`);
        expect(streamed.body.length).toBe(6000);
    });

    it('serves the IC HTTP interface on the same port, for an unmodified agent', async () => {
        const reply = await agentHttpRequest(`http://127.0.0.1:${port}`, canisterId, '/inline');
        expect(reply.status_code).toBe(200);
        expect(new TextDecoder().decode(reply.body)).toBe('Hello from http_request');
    });

    it('keeps the instance live: updates through the gateway complete without ticks', async () => {
        const response = await localhostFetch(`http://${canisterId}.localhost:${port}/update`);
        expect(response.status).toBe(200);
        expect(await pic.makeLive()).toBe(port);
    });

    it('lists the gateway, and stopLive() stops it', async () => {
        const listed = (await (await fetch(`${url}/http_gateway`)).json()) as { port: number; forward_to: unknown }[];
        expect(listed).toContainEqual(expect.objectContaining({ port, forward_to: { PocketIcInstance: expect.any(Number) } }));
        await pic.stopLive();
        await expect(localhostFetch(`http://${canisterId}.localhost:${port}/inline`)).rejects.toThrow(/ECONNREFUSED/);
        const after = (await (await fetch(`${url}/http_gateway`)).json()) as { port: number }[];
        expect(after.map((g) => g.port)).not.toContain(port);
    });
});

describe('POST /http_gateway errors', () => {
    const post = async (body: unknown) => {
        const response = await fetch(`${url}/http_gateway`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        return { status: response.status, body: (await response.json()) as { Error?: { message: string }; Created?: unknown } };
    };

    it('names what is wrong, in the tagged error shape PicJS reads', async () => {
        const unknown = await post({ forward_to: { PocketIcInstance: 999 } });
        expect(unknown.status).toBe(400);
        expect(unknown.body.Error?.message).toMatch(/Instance not found: 999/);
        const replica = await post({ forward_to: { Replica: 'http://127.0.0.1:1' } });
        expect(replica.body.Error?.message).toMatch(/Replica is not supported/);
        const https = await post({ forward_to: { PocketIcInstance: defaultInstanceId }, https_config: { cert_path: 'a', key_path: 'b' } });
        expect(https.body.Error?.message).toMatch(/https_config is not supported/);
        const taken = Number(new URL(url).port);
        const inUse = await post({ forward_to: { PocketIcInstance: defaultInstanceId }, port: taken });
        expect(inUse.status).toBe(502);
        expect(inUse.body.Error?.message).toMatch(/Failed to bind to address 127.0.0.1:\d+/);
    });

    it('serves the requested domains', async () => {
        const created = await post({ forward_to: { PocketIcInstance: defaultInstanceId }, domains: ['ic.test'] });
        const { port } = created.body.Created as { port: number };
        const notOurs = await localhostFetch(`http://rwlgt-iiaaa-aaaaa-aaaaa-cai.localhost:${port}/`);
        expect(notOurs.status).toBe(404);
        expect(notOurs.text).toMatch(/this port serves the IC HTTP interface/);
    });
});

describe('the default instance on the main port', () => {
    let pic: PocketIc;
    let canisterId: string;
    let port: number;

    beforeAll(async () => {
        pic = attachToInstance(url, defaultInstanceId);
        canisterId = await installHttpCanister(pic);
        port = Number(new URL(url).port);
    });

    it('serves canisters to browsers on the same port as the REST protocol', async () => {
        const response = await localhostFetch(`http://${canisterId}.localhost:${port}/inline`);
        expect(response.status).toBe(200);
        expect(response.text).toBe('Hello from http_request');
        expect((await localhostFetch(`http://127.0.0.1:${port}/inline?canisterId=${canisterId}`)).text).toBe('Hello from http_request');
        // The REST routes still answer whatever the front ends decline.
        expect((await fetch(`${url}/status`)).status).toBe(200);
        expect(await (await fetch(`${url}/instances`)).json()).toContain('Available');
    });

    it('serves the IC HTTP interface on the same port', async () => {
        const status = await fetch(`${url}/api/v2/status`);
        expect(status.status).toBe(200);
        expect(status.headers.get('content-type')).toBe('application/cbor');
        const reply = await agentHttpRequest(url, canisterId, '/no-such-page');
        expect(reply.status_code).toBe(404);
    });

    it('refuses a second default instance', async () => {
        await expect(server.createDefaultInstance()).rejects.toThrow(/already has a default instance/);
    });
});
