/**
 * Canister signatures, as Internet Identity issues them: a canister certifies the root hash of a
 * tree holding `/sig/<sha256(seed)>/<sha256(message)>`, and the signature is its data certificate
 * plus that tree. Here the Azle counter canister plays the signing canister (certify + certificate).
 */
import { Actor, Cbor, HttpAgent, SignIdentity, type DerEncodedPublicKey, type PublicKey, type Signature } from '@icp-sdk/core/agent';
import { DelegationChain, DelegationIdentity, Ed25519KeyIdentity } from '@icp-sdk/core/identity';
import type { Principal } from '@icp-sdk/core/principal';
import { sha256 } from '@noble/hashes/sha2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labeled, leaf, reconstruct, type HashTree } from '../../src/certification/hashTree';
import { canisterSignaturePublicKeyDer } from '../../src/icHttp';
import { counterIdl, type CounterService } from '../support/testCanisterInterfaces';
import { testCanisterWasm } from '../support/testCanisters';
import { installThroughCore } from '../support/installThroughCore';
import { startIcHttp, type IcHttpFixture } from './fixture';

let fixture: IcHttpFixture;
let signerId: Principal;
let otherId: Principal;
let targetId: Principal;
let signer: CounterService;

/** Signs by having the signing canister certify the signature tree, then reading its data certificate. */
class CanisterSignatureIdentity extends SignIdentity {
    constructor(
        private readonly claimedCanister: Principal,
        private readonly seed: Uint8Array,
        /** For negative tests: certify a different message than the one to sign. */
        private readonly certifiedMessage: (message: Uint8Array) => Uint8Array = (message) => message
    ) {
        super();
    }
    getPublicKey(): PublicKey {
        const der = canisterSignaturePublicKeyDer(this.claimedCanister, this.seed) as DerEncodedPublicKey;
        return { toDer: () => der, derKey: der, rawKey: der } as unknown as PublicKey;
    }
    async sign(message: Uint8Array): Promise<Signature> {
        const tree: HashTree = labeled('sig', labeled(sha256(this.seed), labeled(sha256(this.certifiedMessage(message)), leaf(new Uint8Array()))));
        await signer.certify(reconstruct(tree));
        const [certificate] = await signer.certificate();
        if (!certificate) throw new Error('no data certificate');
        return Cbor.encode({ certificate: new Uint8Array(certificate), tree }) as Signature;
    }
}

beforeAll(async () => {
    fixture = await startIcHttp();
    await fixture.network.autoProgress();
    const controller = Ed25519KeyIdentity.generate();
    signerId = await installThroughCore(fixture.network, testCanisterWasm('counter'), [controller.getPrincipal()]);
    otherId = await installThroughCore(fixture.network, testCanisterWasm('counter'), [controller.getPrincipal()]);
    targetId = await installThroughCore(fixture.network, testCanisterWasm('counter'), [controller.getPrincipal()]);
    const agent = await HttpAgent.create({ host: fixture.url, identity: controller, shouldFetchRootKey: true, retryTimes: 0 });
    signer = Actor.createActor<CounterService>(counterIdl, { agent, canisterId: signerId });
});

afterAll(async () => {
    await fixture?.close();
});

async function targetFor(identity: SignIdentity): Promise<CounterService> {
    const agent = await HttpAgent.create({ host: fixture.url, identity, shouldFetchRootKey: true, retryTimes: 0 });
    return Actor.createActor<CounterService>(counterIdl, { agent, canisterId: targetId });
}

describe('canister signatures', () => {
    it('authenticate a request signed directly by a canister signature', async () => {
        const target = await targetFor(new CanisterSignatureIdentity(signerId, new TextEncoder().encode('user 1')));
        expect(await target.increment('canister-signed')).toBe(1n);
    });

    it('authenticate an Internet Identity style delegation to a session key', async () => {
        const user = new CanisterSignatureIdentity(signerId, new TextEncoder().encode('user 2'));
        const session = Ed25519KeyIdentity.generate();
        const chain = await DelegationChain.create(user, session.getPublicKey(), new Date(Date.now() + 60_000));
        const identity = DelegationIdentity.fromDelegation(session, chain);
        const target = await targetFor(identity);
        expect(await target.increment('ii-session')).toBe(1n);
        expect(await target.get('ii-session')).toBe(1n);
        expect(identity.getPrincipal().toText()).toBe(user.getPrincipal().toText());
    });

    it('refuse a signature certified by a different canister than the key names', async () => {
        const target = await targetFor(new CanisterSignatureIdentity(otherId, new TextEncoder().encode('user 3')));
        await expect(target.increment('forged')).rejects.toThrow(
            /Status: 400[\s\S]*Invalid signature: Invalid canister signature: IcCanisterSignature signature could not be verified: .*certified data does not match/
        );
    });

    it('refuse a signature tree that signs another message', async () => {
        const identity = new CanisterSignatureIdentity(signerId, new TextEncoder().encode('user 4'), (message) => Uint8Array.of(...message, 0));
        const target = await targetFor(identity);
        await expect(target.increment('other-message')).rejects.toThrow(/Invalid canister signature: .*the signature tree does not sign this message/);
    });
});
