/**
 * An instance of the execution core plus the HTTP gateway on a local port, in the test process:
 * fast to set up, and the tests can reach into the core (time, canister state) directly.
 */
import type { Principal } from '@icp-sdk/core/principal';
import { LocalNetwork } from '../../../src/core/localNetwork';
import { createHttpGatewayHandler, type HttpGatewayOptions } from '../../../src/gateway';
import { installThroughCore } from '../../support/installThroughCore';
import { serveOnLoopback } from '../../support/loopbackServer';
import { testCanisterWasm, type TestCanister } from '../../support/testCanisters';

export interface InProcessGateway {
    readonly network: LocalNetwork;
    readonly port: number;
    /** `http://<id>.localhost:<port>` or, with raw, `http://<id>.raw.localhost:<port>`. */
    origin(canisterId: Principal, options?: { raw?: boolean }): string;
    /** Creates a canister and installs a test canister on it, as dfx/PicJS would. */
    install(canister: TestCanister): Promise<Principal>;
    /** Messages the gateway logged (faults it could not show the client). */
    readonly logged: string[];
    close(): Promise<void>;
}

export async function startInProcessGateway(options: HttpGatewayOptions = {}): Promise<InProcessGateway> {
    const network = new LocalNetwork({ log: () => undefined });
    const logged: string[] = [];
    const gateway = createHttpGatewayHandler(() => network, { log: (message) => logged.push(message), ...options });
    const server = await serveOnLoopback((request, response) => {
        void gateway(request, response).then((answered) => {
            if (!answered) {
                response.writeHead(404, { 'content-type': 'text/plain' });
                response.end('declined by the gateway\n');
            }
        });
    });
    return {
        network,
        port: server.port,
        logged,
        origin: (canisterId, { raw = false } = {}) => `http://${canisterId.toText()}${raw ? '.raw' : ''}.localhost:${server.port}`,
        install: (canister) => installThroughCore(network, testCanisterWasm(canister)),
        async close() {
            await server.close();
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
