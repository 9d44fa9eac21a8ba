/**
 * @icp-sdk/core 5.4's agent, unmodified: it calls /api/v4/…/call, queries /api/v3/…/query and reads
 * /api/v3/{canister,subnet}/…/read_state (the v3 shapes of canister ranges and delegations).
 */
import { Actor, AnonymousIdentity, CanisterStatus, HttpAgent, SubnetStatus, type ActorSubclass, type Identity } from '@icp-sdk/core/agent';
import { IDL } from '@icp-sdk/core/candid';
import { DelegationChain, DelegationIdentity, ECDSAKeyIdentity, Ed25519KeyIdentity } from '@icp-sdk/core/identity';
import { Secp256k1KeyIdentity } from '@icp-sdk/core/identity/secp256k1';
import { Principal } from '@icp-sdk/core/principal';
import { bytesToHex } from '@noble/hashes/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counterIdl, type CounterService } from '../support/testCanisterInterfaces';
import { testCanisterWasm } from '../support/testCanisters';
import { installThroughCore } from '../support/installThroughCore';
import { startIcHttp, type IcHttpFixture } from './fixture';

let fixture: IcHttpFixture;
let counterId: Principal;
const controller = Ed25519KeyIdentity.generate();
const requestedPaths: string[] = [];

beforeAll(async () => {
    fixture = await startIcHttp();
    await fixture.network.autoProgress();
    counterId = await installThroughCore(fixture.network, testCanisterWasm('counter'), [controller.getPrincipal()]);
});

afterAll(async () => {
    await fixture?.close();
});

const recordingFetch: typeof fetch = (input, init) => {
    requestedPaths.push(new URL(input instanceof Request ? input.url : input.toString()).pathname);
    return fetch(input, init);
};

async function agentFor(identity: Identity = new AnonymousIdentity()): Promise<HttpAgent> {
    return HttpAgent.create({ host: fixture.url, identity, shouldFetchRootKey: true, retryTimes: 0, fetch: recordingFetch });
}

async function counterFor(identity?: Identity): Promise<ActorSubclass<CounterService>> {
    return Actor.createActor<CounterService>(counterIdl, { agent: await agentFor(identity), canisterId: counterId });
}

describe('@icp-sdk/core agent', () => {
    it.each<[string, () => Promise<Identity>]>([
        ['Ed25519', async () => Ed25519KeyIdentity.generate()],
        ['secp256k1', async () => Secp256k1KeyIdentity.generate()],
        ['ECDSA P-256', async () => ECDSAKeyIdentity.generate()],
        ['anonymous', async () => new AnonymousIdentity()],
        [
            'delegation',
            async () => {
                const session = Ed25519KeyIdentity.generate();
                const chain = await DelegationChain.create(Ed25519KeyIdentity.generate(), session.getPublicKey(), new Date(Date.now() + 60_000), {
                    targets: [counterId]
                });
                return DelegationIdentity.fromDelegation(session, chain);
            }
        ]
    ])('updates and queries with a %s identity', async (_name, makeIdentity) => {
        const identity = await makeIdentity();
        const counter = await counterFor(identity);
        const key = `sdk-${identity.getPrincipal().toText()}`;
        expect(await counter.increment(key)).toBe(1n);
        expect(await counter.get(key)).toBe(1n);
    });

    it('uses the v4 call, v3 query and v3 read_state endpoints', async () => {
        requestedPaths.length = 0;
        const counter = await counterFor(Ed25519KeyIdentity.generate());
        await counter.increment('endpoints');
        await counter.get('endpoints');
        const id = counterId.toText();
        expect(new Set(requestedPaths)).toEqual(
            new Set(['/api/v2/status', `/api/v4/canister/${id}/call`, `/api/v3/canister/${id}/query`, `/api/v3/canister/${id}/read_state`])
        );
    });

    it('reads canister status (controllers, module hash) through v3 read_state', async () => {
        const status = await CanisterStatus.request({ canisterId: counterId, agent: await agentFor(), paths: ['controllers', 'module_hash'] });
        expect((status.get('controllers') as Principal[]).map((p) => p.toText())).toEqual([controller.getPrincipal().toText()]);
        expect(typeof status.get('module_hash')).toBe('string');
    });

    it('reads subnet state: node keys and the subnet public key', async () => {
        const subnet = fixture.network.subnets[0]!;
        const agent = await agentFor();
        const status = await SubnetStatus.request({ subnetId: subnet.id, agent, paths: ['time', 'nodeKeys', 'publicKey'] });
        expect(status.get('time')).toBeInstanceOf(Date);
        expect(bytesToHex(status.get('publicKey') as Uint8Array)).toBe(bytesToHex(subnet.publicKeyDer));
        const nodeKeys = status.get('nodeKeys') as Map<string, Uint8Array>;
        expect([...nodeKeys.entries()].map(([id, key]) => [id, bytesToHex(key)])).toEqual(
            subnet.nodes.map((node) => [node.id.toText(), bytesToHex(node.publicKeyDer)])
        );
        const subnetId = await agent.getSubnetIdFromCanister(counterId);
        expect(subnetId.toText()).toBe(subnet.id.toText());
    });

    it('gets a certified reject for a trapping update', async () => {
        const counter = await counterFor();
        await expect(counter.incrementThenTrap('t')).rejects.toThrow(/trap/i);
        const agent = await agentFor();
        const arg = new Uint8Array(IDL.encode([IDL.Text], ['t']));
        await expect(agent.update(counterId, { methodName: 'incrementThenTrap', arg, effectiveCanisterId: counterId })).rejects.toThrow(/IC0503|trap/i);
    });
});
