/**
 * Test fixture for the IC HTTP interface: an in-process LocalNetwork behind a node:http server
 * running createIcHttpHandler on port 0, and helpers to install canisters through the core and to
 * post raw (hand-built) envelopes.
 */
import { IDL } from '@icp-sdk/core/candid';
import { Principal } from '@icp-sdk/core/principal';
import { Cbor, type SignIdentity } from '@icp-sdk/core/agent';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createIcHttpHandler, type IcHttpOptions } from '../../src/icHttp';
import { LocalNetwork, type NetworkOptions } from '../../src/core/localNetwork';
import { MANAGEMENT_CANISTER_ID } from '../../src/core/managementCanister';
import { encodeUnsignedLeb128 } from '../../src/leb128';

export interface IcHttpFixture {
    readonly network: LocalNetwork;
    readonly url: string;
    close(): Promise<void>;
}

export async function startIcHttp(networkOptions: NetworkOptions = {}, httpOptions: IcHttpOptions = {}): Promise<IcHttpFixture> {
    const network = new LocalNetwork({ log: () => undefined, ...networkOptions });
    let current: LocalNetwork | undefined = network;
    const handler = createIcHttpHandler(() => current, httpOptions);
    const server: Server = createServer((request, response) => {
        void handler(request, response).then((handled) => {
            if (!handled) response.writeHead(404).end();
        });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
        network,
        url: `http://127.0.0.1:${port}`,
        async close() {
            current = undefined;
            server.closeAllConnections();
            await new Promise<void>((resolve) => server.close(() => resolve()));
            await network.dispose();
        }
    };
}

const CreateArgs = IDL.Record({
    amount: IDL.Opt(IDL.Nat),
    settings: IDL.Opt(IDL.Record({ controllers: IDL.Opt(IDL.Vec(IDL.Principal)) })),
    specified_id: IDL.Opt(IDL.Principal)
});
const InstallArgs = IDL.Record({
    mode: IDL.Variant({ install: IDL.Null }),
    canister_id: IDL.Principal,
    wasm_module: IDL.Vec(IDL.Nat8),
    arg: IDL.Vec(IDL.Nat8)
});

/** Creates and installs a canister through the core (Azle modules exceed the 2 MiB ingress limit). */
export async function installThroughCore(network: LocalNetwork, wasm: Uint8Array, controllers: Principal[]): Promise<Principal> {
    const created = await managementCall(
        network,
        'provisional_create_canister_with_cycles',
        IDL.encode([CreateArgs], [{ amount: [], settings: [{ controllers: [controllers] }], specified_id: [] }]),
        controllers[0]!
    );
    const [{ canister_id: canisterId }] = IDL.decode([IDL.Record({ canister_id: IDL.Principal })], created) as unknown as [{ canister_id: Principal }];
    await managementCall(
        network,
        'install_code',
        IDL.encode([InstallArgs], [{ mode: { install: null }, canister_id: canisterId, wasm_module: wasm, arg: new Uint8Array() }]),
        controllers[0]!
    );
    return Principal.fromUint8Array(canisterId.toUint8Array());
}

async function managementCall(network: LocalNetwork, method: string, arg: ArrayBuffer | Uint8Array, sender: Principal): Promise<Uint8Array> {
    const submitted = await network.submit({ sender, canisterId: MANAGEMENT_CANISTER_ID, method, arg: new Uint8Array(arg) });
    if (submitted.kind !== 'accepted') throw new Error(`${method} refused: ${submitted.outcome.message}`);
    const outcome = await network.awaitIngress(submitted.messageId);
    if (outcome.kind !== 'reply') throw new Error(`${method} rejected: ${outcome.message}`);
    return outcome.bytes;
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
