/**
 * An instance of the execution core plus the HTTP gateway on a local port, in the test process:
 * fast to set up, and the tests can reach into the core (time, canister state) directly.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IDL } from '@icp-sdk/core/candid';
import { Principal } from '@icp-sdk/core/principal';
import { LocalNetwork } from '../../../src/core/localNetwork';
import { createHttpGatewayHandler, type HttpGatewayOptions } from '../../../src/gateway';
import { testCanisterWasm, type TestCanister } from '../../support/testCanisters';

export interface InProcessGateway {
    readonly network: LocalNetwork;
    readonly port: number;
    /** `http://<id>.localhost:<port>` or, with raw, `http://<id>.raw.localhost:<port>`. */
    origin(canisterId: Principal, options?: { raw?: boolean }): string;
    install(canister: TestCanister): Promise<Principal>;
    /** Messages the gateway logged (faults it could not show the client). */
    readonly logged: string[];
    close(): Promise<void>;
}

const anonymous = Principal.anonymous();
const management = Principal.managementCanister();

async function update(network: LocalNetwork, canisterId: Principal, method: string, arg: Uint8Array): Promise<Uint8Array> {
    const submitted = await network.submit({ sender: anonymous, canisterId, method, arg });
    if (submitted.kind !== 'accepted') throw new Error(submitted.outcome.message);
    const outcome = network.awaitNow(submitted.messageId);
    if (outcome.kind !== 'reply') throw new Error(outcome.message);
    return outcome.bytes;
}

/** Creates a canister and installs a test canister's wasm on it, as dfx/PicJS would. */
export async function installTestCanister(network: LocalNetwork, canister: TestCanister): Promise<Principal> {
    const CreateArgs = IDL.Record({ amount: IDL.Opt(IDL.Nat), settings: IDL.Opt(IDL.Record({})) });
    const created = await update(network, management, 'provisional_create_canister_with_cycles', new Uint8Array(IDL.encode([CreateArgs], [{ amount: [], settings: [] }])));
    const [{ canister_id: canisterId }] = IDL.decode([IDL.Record({ canister_id: IDL.Principal })], created) as unknown as [{ canister_id: Principal }];
    const InstallArgs = IDL.Record({ mode: IDL.Variant({ install: IDL.Null }), canister_id: IDL.Principal, wasm_module: IDL.Vec(IDL.Nat8), arg: IDL.Vec(IDL.Nat8) });
    const installArg = IDL.encode([InstallArgs], [{ mode: { install: null }, canister_id: canisterId, wasm_module: testCanisterWasm(canister), arg: new Uint8Array(IDL.encode([], [])) }]);
    await update(network, management, 'install_code', new Uint8Array(installArg));
    // Azle seeds its randomness from a timer right after init; let it run.
    await network.tick();
    return Principal.fromText(canisterId.toText());
}

export async function startInProcessGateway(options: HttpGatewayOptions = {}): Promise<InProcessGateway> {
    const network = new LocalNetwork({ log: () => undefined });
    const logged: string[] = [];
    const gateway = createHttpGatewayHandler(() => network, { log: (message) => logged.push(message), ...options });
    const server: Server = createServer((request, response) => {
        void gateway(request, response).then((answered) => {
            if (!answered) {
                response.writeHead(404, { 'content-type': 'text/plain' });
                response.end('declined by the gateway\n');
            }
        });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    return {
        network,
        port,
        logged,
        origin: (canisterId, { raw = false } = {}) => `http://${canisterId.toText()}${raw ? '.raw' : ''}.localhost:${port}`,
        install: (canister) => installTestCanister(network, canister),
        async close() {
            server.closeAllConnections();
            await new Promise<void>((resolve) => server.close(() => resolve()));
            await network.dispose();
        }
    };
}

/** Byte p of a body streamed by the http test canister (see test/canisters/http). */
export function expectedStreamBytes(totalLength: number): Buffer {
    const patternLength = 65_521;
    const pattern = new Uint8Array(patternLength).map((_, i) => (i * 2_654_435_761 + 17) >>> 24);
    const out = Buffer.alloc(totalLength);
    for (let p = 0; p < totalLength; p++) out[p] = pattern[p % patternLength]!;
    return out;
}
