/**
 * @dfinity/agent 3.4.3, unmodified, against localnet's IC HTTP interface: root key, updates through
 * the synchronous v3 call, queries with signature verification (the default), read_state, the
 * async v2 call with polling, and every identity kind agents ship.
 *
 * This suite stays on @dfinity/agent, @dfinity/candid, @dfinity/identity and @dfinity/principal on
 * purpose (the rest of localnet uses @icp-sdk/core): apps that have not moved yet must keep working
 * against localnet. Only the calls into localnet's own API convert principals.
 */
import {
    Actor,
    AnonymousIdentity,
    Certificate,
    CanisterStatus,
    HttpAgent,
    lookupResultToBuffer,
    pollForResponse,
    type ActorSubclass,
    type Identity
} from '@dfinity/agent';
import { IDL } from '@dfinity/candid';
import { DelegationChain, DelegationIdentity, ECDSAKeyIdentity, Ed25519KeyIdentity } from '@dfinity/identity';
import { Secp256k1KeyIdentity } from '@dfinity/identity-secp256k1';
import { Principal } from '@dfinity/principal';
import { Principal as LocalnetPrincipal } from '@icp-sdk/core/principal';
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex } from '@noble/hashes/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counterIdl, type CounterService, type PingpongService } from '../support/testCanisterInterfaces';
import { testCanisterWasm } from '../support/testCanisters';
import { installThroughCore } from '../support/installThroughCore';
import { startIcHttp, type IcHttpFixture } from './fixture';

let fixture: IcHttpFixture;
let counterId: Principal;
let pingpongId: Principal;
const controller = Ed25519KeyIdentity.generate();
const toLocalnet = (principal: Principal) => LocalnetPrincipal.fromText(principal.toText());
const fromLocalnet = (principal: LocalnetPrincipal) => Principal.fromText(principal.toText());

beforeAll(async () => {
    fixture = await startIcHttp();
    // Live instance: time follows the wall clock, as agents' ingress expiry assumes.
    await fixture.network.autoProgress();
    counterId = fromLocalnet(await installThroughCore(fixture.network, testCanisterWasm('counter'), [toLocalnet(controller.getPrincipal())]));
    pingpongId = fromLocalnet(await installThroughCore(fixture.network, testCanisterWasm('pingpong'), [toLocalnet(controller.getPrincipal())]));
});

afterAll(async () => {
    await fixture?.close();
});

async function agentFor(identity: Identity = new AnonymousIdentity()): Promise<HttpAgent> {
    return HttpAgent.create({ host: fixture.url, identity, shouldFetchRootKey: true, retryTimes: 0 });
}

async function counterFor(identity?: Identity): Promise<ActorSubclass<CounterService>> {
    return Actor.createActor<CounterService>(counterIdl as never, { agent: await agentFor(identity), canisterId: counterId });
}

describe('root key', () => {
    it('GET /api/v2/status gives agents the instance root key', async () => {
        const agent = await agentFor();
        expect(bytesToHex(agent.rootKey!)).toBe(bytesToHex(fixture.network.rootKey));
        const status = (await agent.status()) as Record<string, unknown>;
        expect(status.replica_health_status).toBe('healthy');
    });
});

describe('identities: update via /api/v3 call, query via /api/v2 query with signature verification', () => {
    const cases: [string, () => Promise<Identity>][] = [
        ['Ed25519', async () => Ed25519KeyIdentity.generate()],
        ['secp256k1', async () => Secp256k1KeyIdentity.generate()],
        ['ECDSA P-256', async () => ECDSAKeyIdentity.generate()],
        ['anonymous', async () => new AnonymousIdentity()],
        [
            'delegation (Ed25519 → session key, targeted at the counter)',
            async () => {
                const root = Ed25519KeyIdentity.generate();
                const session = Ed25519KeyIdentity.generate();
                const chain = await DelegationChain.create(root, session.getPublicKey(), new Date(Date.now() + 60_000), { targets: [counterId] });
                return DelegationIdentity.fromDelegation(session, chain);
            }
        ]
    ];

    it.each(cases)('%s', async (_name, makeIdentity) => {
        const identity = await makeIdentity();
        const counter = await counterFor(identity);
        const key = `key-${identity.getPrincipal().toText()}`;
        expect(await counter.increment(key)).toBe(1n);
        expect(await counter.increment(key)).toBe(2n);
        expect(await counter.get(key)).toBe(2n);
    });

    it('a delegation chain of two delegations', async () => {
        const root = await ECDSAKeyIdentity.generate();
        const middle = Ed25519KeyIdentity.generate();
        const session = Secp256k1KeyIdentity.generate();
        const first = await DelegationChain.create(root, middle.getPublicKey(), new Date(Date.now() + 60_000));
        const chain = await DelegationChain.create(middle, session.getPublicKey(), new Date(Date.now() + 60_000), { previous: first });
        const identity = DelegationIdentity.fromDelegation(session, chain);
        const counter = await counterFor(identity);
        expect(await counter.increment('two-hop')).toBe(1n);
        expect(await counter.get('two-hop')).toBe(1n);
        expect(identity.getPrincipal().toText()).toBe(root.getPrincipal().toText());
    });
});

describe('rejects', () => {
    it('a trap comes back as a certified reject from the synchronous call', async () => {
        const counter = await counterFor();
        await expect(counter.incrementThenTrap('t')).rejects.toThrow(/trap|Trap/);
    });

    it('canister_inspect_message refusing is a non-replicated rejection', async () => {
        const pingpong = Actor.createActor<PingpongService & { refusedByInspect: () => Promise<string> }>(
            (({ IDL: idl }: { IDL: typeof IDL }) =>
                idl.Service({ refusedByInspect: idl.Func([], [idl.Text], []) })) as never,
            { agent: await agentFor(), canisterId: pingpongId }
        );
        await expect(pingpong.refusedByInspect()).rejects.toThrow(/rejected the message/);
    });

    it('a query reject is signed too', async () => {
        const agent = await agentFor();
        const response = await agent.query(counterId, { methodName: 'noSuchMethod', arg: new Uint8Array(IDL.encode([], [])) });
        expect(response.status).toBe('rejected');
        expect((response as { reject_message: string }).reject_message).toMatch(/has no query method 'noSuchMethod'/);
    });
});

describe('read_state', () => {
    it('CanisterStatus reads controllers, module_hash and time', async () => {
        const agent = await agentFor();
        const status = await CanisterStatus.request({ canisterId: counterId, agent, paths: ['controllers', 'module_hash', 'time', 'subnet'] });
        expect((status.get('controllers') as Principal[]).map((p) => p.toText())).toEqual([controller.getPrincipal().toText()]);
        expect(status.get('module_hash')).toBe(bytesToHex(sha256(testCanisterWasm('counter'))));
        expect(status.get('time')).toBeInstanceOf(Date);
        const subnet = status.get('subnet') as { subnetId: string; nodeKeys: Map<string, unknown> };
        const [serving] = fixture.network.subnets;
        expect(subnet.subnetId).toBe(serving!.id.toText());
        expect([...subnet.nodeKeys.keys()]).toEqual(serving!.nodeIds.map((id) => id.toText()));
    });

    it('the async v2 call answers 202, and request_status of the completed call is readable by its sender', async () => {
        const identity = Ed25519KeyIdentity.generate();
        const agent = await agentFor(identity);
        const arg = new Uint8Array(IDL.encode([IDL.Text], ['async']));
        const { requestId, response } = await agent.call(counterId, { methodName: 'increment', arg, callSync: false });
        expect(response.status).toBe(202);
        const { reply } = await pollForResponse(agent, counterId, requestId);
        expect(IDL.decode([IDL.Nat64], reply)[0]).toBe(1n);

        const read = await agent.readState(counterId, { paths: [[new TextEncoder().encode('request_status'), requestId]] });
        const certificate = await Certificate.create({ certificate: read.certificate, rootKey: agent.rootKey!, canisterId: counterId });
        const status = lookupResultToBuffer(certificate.lookup_path(['request_status', requestId, 'status']));
        expect(new TextDecoder().decode(status)).toBe('replied');
        // The witness reveals exactly the requested paths: no canister data, for instance.
        expect(certificate.lookup_path(['canister', counterId.toUint8Array(), 'module_hash']).status).not.toBe('Found');
    });
});

describe('management canister', () => {
    const management = ({ IDL: idl }: { IDL: typeof IDL }) =>
        idl.Service({
            provisional_create_canister_with_cycles: idl.Func(
                [idl.Record({ amount: idl.Opt(idl.Nat), settings: idl.Opt(idl.Record({ controllers: idl.Opt(idl.Vec(idl.Principal)) })) })],
                [idl.Record({ canister_id: idl.Principal })],
                []
            ),
            canister_status: idl.Func(
                [idl.Record({ canister_id: idl.Principal })],
                [idl.Record({ status: idl.Variant({ running: idl.Null, stopping: idl.Null, stopped: idl.Null }), module_hash: idl.Opt(idl.Vec(idl.Nat8)) })],
                []
            )
        });

    it('creates a canister on the subnet of the effective canister id and reads its status as controller', async () => {
        const identity = Ed25519KeyIdentity.generate();
        const agent = await agentFor(identity);
        const ecid = fromLocalnet(fixture.network.topology().defaultEffectiveCanisterId);
        const create = Actor.createActor<{
            provisional_create_canister_with_cycles: (arg: unknown) => Promise<{ canister_id: Principal }>;
        }>(management as never, { agent, canisterId: Principal.managementCanister(), effectiveCanisterId: ecid });
        const { canister_id: created } = await create.provisional_create_canister_with_cycles({ amount: [], settings: [] });
        expect(fixture.network.canister(toLocalnet(created))).toBeDefined();

        const status = Actor.createActor<{ canister_status: (arg: unknown) => Promise<{ status: Record<string, null>; module_hash: [] | [Uint8Array] }> }>(
            management as never,
            { agent, canisterId: Principal.managementCanister(), effectiveCanisterId: created }
        );
        const result = await status.canister_status({ canister_id: created });
        expect(Object.keys(result.status)).toEqual(['running']);
        expect(result.module_hash).toEqual([]);
    });
});
