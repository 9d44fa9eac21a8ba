/**
 * A network for one test file through PicJS, as the canister-behaviour suites (test/core) use it:
 * started before the file's tests (localnet, or real PocketIC when POCKET_IC_BIN is set), stopped
 * after them, with the Azle test canisters installable in one call.
 */
import type { ActorInterface, CanisterFixture, PocketIc } from '@dfinity/pic';
import { IDL } from '@icp-sdk/core/candid';
import { afterAll, beforeAll } from 'vitest';
import { startNetwork, type Network } from '../../src/startNetwork';
import { testCanisterWasm, type TestCanister } from './testCanisters';

export interface SuiteNetwork {
    /** The running network (from the first beforeAll until the last afterAll). */
    readonly network: Network;
    readonly pic: PocketIc;
    install<Service extends ActorInterface<Service> = ActorInterface>(canister: TestCanister, idlFactory?: IDL.InterfaceFactory): Promise<CanisterFixture<Service>>;
}

/** For canisters a suite calls by raw method name rather than through an actor. */
const NO_INTERFACE: IDL.InterfaceFactory = () => IDL.Service({});
/** `()`: init methods need a Candid argument, and PicJS's default is no bytes at all. */
const NO_ARGUMENTS = new Uint8Array(IDL.encode([], []));

/** Creates a canister and installs a test canister on it with PicJS (any PocketIc, any server). */
export function setupTestCanister<Service extends ActorInterface<Service> = ActorInterface>(
    pic: PocketIc,
    canister: TestCanister,
    idlFactory: IDL.InterfaceFactory = NO_INTERFACE
): Promise<CanisterFixture<Service>> {
    return pic.setupCanister<Service>({ idlFactory, wasm: testCanisterWasm(canister), arg: NO_ARGUMENTS });
}

/** Registers the file's beforeAll/afterAll hooks; call it at the top level of a test file, first. */
export function networkForSuite(): SuiteNetwork {
    let running: Network | undefined;
    beforeAll(async () => {
        running = await startNetwork();
    });
    afterAll(async () => {
        await running?.stop();
    });
    const network = (): Network => {
        if (!running) throw new Error('the suite network runs only inside tests and hooks');
        return running;
    };
    return {
        get network() {
            return network();
        },
        get pic() {
            return network().pic;
        },
        install: (canister, idlFactory) => setupTestCanister(network().pic, canister, idlFactory)
    };
}
