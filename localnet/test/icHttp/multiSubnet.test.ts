/**
 * An instance with a root (NNS) subnet and an application subnet: canisters on the application
 * subnet are served with certificates carrying the root's delegation, and their query responses are
 * signed by the application subnet's node, whose key agents find through that delegation.
 */
// @dfinity/agent on purpose, in its own test: apps still on it must keep working with delegated certificates.
import { Actor as DfinityActor, CanisterStatus as DfinityCanisterStatus, HttpAgent as DfinityAgent } from '@dfinity/agent';
import { Ed25519KeyIdentity as DfinityEd25519KeyIdentity } from '@dfinity/identity';
import { Principal as DfinityPrincipal } from '@dfinity/principal';
import { Actor, AnonymousIdentity, Cbor, HttpAgent } from '@icp-sdk/core/agent';
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity';
import { Principal } from '@icp-sdk/core/principal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCertificate } from '../../src/certification/certificate';
import { counterIdl, type CounterService } from '../support/testCanisterInterfaces';
import { testCanisterWasm } from '../support/testCanisters';
import { installThroughCore } from '../support/installThroughCore';
import { anonymousEnvelope, post, startIcHttp, type IcHttpFixture } from './fixture';

let fixture: IcHttpFixture;
let counterId: Principal;

beforeAll(async () => {
    fixture = await startIcHttp({ subnets: [{ kind: 'NNS' }, { kind: 'Application' }] });
    await fixture.network.autoProgress();
    counterId = await installThroughCore(fixture.network, testCanisterWasm('counter'), [Ed25519KeyIdentity.generate().getPrincipal()]);
});

afterAll(async () => {
    await fixture?.close();
});

const applicationSubnet = () => fixture.network.subnets.find((subnet) => subnet.kind === 'Application')!;
const rootSubnet = () => fixture.network.rootSubnet;

describe('a canister on a non-root subnet', () => {
    it('lives on the application subnet', () => {
        expect(fixture.network.subnetOf(counterId)?.toText()).toBe(applicationSubnet().id.toText());
        expect(rootSubnet().kind).toBe('NNS');
    });

    it('works through @dfinity/agent 3.x (delegated certificates, node keys via the delegation)', async () => {
        const agent = await DfinityAgent.create({ host: fixture.url, identity: DfinityEd25519KeyIdentity.generate(), shouldFetchRootKey: true, retryTimes: 0 });
        const canisterId = DfinityPrincipal.fromText(counterId.toText());
        const counter = DfinityActor.createActor<CounterService>(counterIdl as never, { agent, canisterId });
        expect(await counter.increment('multi')).toBe(1n);
        expect(await counter.get('multi')).toBe(1n);
        const status = await DfinityCanisterStatus.request({ canisterId, agent, paths: ['subnet'] });
        expect((status.get('subnet') as { subnetId: string }).subnetId).toBe(applicationSubnet().id.toText());
    });

    it('works through @icp-sdk/core (v4 call, v3 query and read_state)', async () => {
        const agent = await HttpAgent.create({ host: fixture.url, identity: new AnonymousIdentity(), shouldFetchRootKey: true, retryTimes: 0 });
        const counter = Actor.createActor<CounterService>(counterIdl, { agent, canisterId: counterId });
        expect(await counter.increment('sdk-multi')).toBe(1n);
        expect(await counter.get('sdk-multi')).toBe(1n);
        expect((await agent.getSubnetIdFromCanister(counterId.toText())).toText()).toBe(applicationSubnet().id.toText());
    });
});

describe('read_state on v2 and v3', () => {
    const label = (text: string) => new TextEncoder().encode(text);
    const readState = async (version: 2 | 3, paths: Uint8Array[][]) =>
        post(
            fixture.url,
            `/api/v${version}/canister/${counterId.toText()}/read_state`,
            anonymousEnvelope({ request_type: 'read_state', paths, sender: Principal.anonymous(), ingress_expiry: BigInt(Date.now() + 60_000) * 1_000_000n })
        );

    it('certificates of the application subnet carry the root delegation', async () => {
        const response = await readState(2, [[label('time')]]);
        expect(response.status).toBe(200);
        const { certificate } = Cbor.decode<{ certificate: Uint8Array }>(response.body);
        const decoded = decodeCertificate(certificate);
        expect(Principal.fromUint8Array(decoded.delegation!.subnetId).toText()).toBe(applicationSubnet().id.toText());
    });

    it('/subnet/<id>/canister_ranges of a non-root subnet is refused on v3 (404) and served on v2', async () => {
        const path = [[label('subnet'), applicationSubnet().id.toUint8Array(), label('canister_ranges')]];
        expect((await readState(3, path)).status).toBe(404);
        expect((await readState(2, path)).status).toBe(200);
        const rootPath = [[label('subnet'), rootSubnet().id.toUint8Array(), label('canister_ranges')]];
        expect((await readState(3, rootPath)).status).toBe(200);
    });
});
