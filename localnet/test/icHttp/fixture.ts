/**
 * Test fixture for the IC HTTP interface: an in-process LocalNetwork behind a node:http server
 * running createIcHttpHandler on port 0, and helpers to post raw (hand-built) envelopes.
 */
import { Cbor, type SignIdentity } from '@icp-sdk/core/agent';
import { createIcHttpHandler, type IcHttpOptions } from '../../src/icHttp';
import { LocalNetwork, type NetworkOptions } from '../../src/core/localNetwork';
import { encodeUnsignedLeb128 } from '../../src/leb128';
import { serveOnLoopback } from '../support/loopbackServer';

export interface IcHttpFixture {
    readonly network: LocalNetwork;
    readonly url: string;
    close(): Promise<void>;
}

export async function startIcHttp(networkOptions: NetworkOptions = {}, httpOptions: IcHttpOptions = {}): Promise<IcHttpFixture> {
    const network = new LocalNetwork({ log: () => undefined, ...networkOptions });
    let current: LocalNetwork | undefined = network;
    const handler = createIcHttpHandler(() => current, httpOptions);
    const server = await serveOnLoopback((request, response) => {
        void handler(request, response).then((handled) => {
            if (!handled) response.writeHead(404).end();
        });
    });
    return {
        network,
        url: server.url,
        async close() {
            current = undefined;
            await server.close();
            await network.dispose();
        }
    };
}

/** Appends a custom section (e.g. `icp:private secret`) to a wasm module. */
export function withCustomSection(wasm: Uint8Array, name: string, content: Uint8Array): Uint8Array {
    const nameBytes = new TextEncoder().encode(name);
    const payload = [...leb(nameBytes.length), ...nameBytes, ...content];
    return Uint8Array.from([...wasm, 0, ...leb(payload.length), ...payload]);
}

const leb = (value: number): number[] => [...encodeUnsignedLeb128(value)];

export interface RawResponse {
    readonly status: number;
    readonly text: string;
    readonly body: Uint8Array;
}

/** Posts bytes to an API path and returns status and body (no agent involved). */
export async function post(url: string, path: string, body: Uint8Array, contentType = 'application/cbor'): Promise<RawResponse> {
    const response = await fetch(new URL(path, url), { method: 'POST', headers: { 'content-type': contentType }, body: new Uint8Array(body) });
    const bytes = new Uint8Array(await response.arrayBuffer());
    return { status: response.status, text: new TextDecoder().decode(bytes), body: bytes };
}

/** An envelope signed by `identity` exactly as agents sign it (the identity's own transformRequest). */
export async function signedEnvelope(identity: SignIdentity, content: Record<string, unknown>): Promise<Uint8Array> {
    const signed = (await identity.transformRequest({
        request: { method: 'POST', headers: {} },
        endpoint: 'call' as never,
        body: content
    } as never)) as { body: unknown };
    return Cbor.encode(signed.body);
}

export function anonymousEnvelope(content: Record<string, unknown>): Uint8Array {
    return Cbor.encode({ content });
}

export const nanosFromNow = (ms: number): bigint => BigInt(Date.now() + ms) * 1_000_000n;
