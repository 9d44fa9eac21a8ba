/**
 * Certified data on localnet: a canister sets it in an update, reads a data certificate in a query,
 * and the agent's own certificate verification (@icp-sdk/core) accepts it with the instance's root key.
 */
import { Certificate, lookupResultToBuffer } from '@icp-sdk/core/agent';
import type { Actor } from '@dfinity/pic';
import type { Principal } from '@icp-sdk/core/principal';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeUnsignedLeb128 } from '../../src/leb128';
import { startNetwork } from '../../src/startNetwork';
import { counterIdl, type CounterService } from '../support/testCanisterInterfaces';
import { networkForSuite } from '../support/suiteNetwork';

const suite = networkForSuite();
let counter: Actor<CounterService>;
let canisterId: Principal;
let rootKey: Uint8Array;

beforeAll(async () => {
    ({ actor: counter, canisterId } = await suite.install<CounterService>('counter', counterIdl));
    const subnet = await suite.pic.getCanisterSubnetId(canisterId);
    if (!subnet) throw new Error('canister has no subnet');
    rootKey = new Uint8Array(await suite.pic.getPubKey(subnet));
});

async function verifiedCertificate(): Promise<Certificate> {
    const [bytes] = await counter.certificate();
    if (!bytes) throw new Error('no data certificate in a query');
    return Certificate.create({ certificate: new Uint8Array(bytes), rootKey, principal: { canisterId } });
}

describe('certified data', () => {
    it('is empty before the canister sets it, and certified', async () => {
        const certificate = await verifiedCertificate();
        const data = lookupResultToBuffer(certificate.lookup_path(['canister', canisterId.toUint8Array(), 'certified_data']));
        expect(data).toEqual(new Uint8Array(0));
    });

    it('returns the data set by an update, with the instance time, under a valid signature', async () => {
        const data = new Uint8Array(32).map((_, i) => i * 3);
        await suite.pic.advanceTime(1_000);
        await counter.certify(data);
        const certificate = await verifiedCertificate();
        expect(lookupResultToBuffer(certificate.lookup_path(['canister', canisterId.toUint8Array(), 'certified_data']))).toEqual(data);
        const timeLeb = lookupResultToBuffer(certificate.lookup_path(['time']));
        expect(timeLeb).toBeDefined();
        const nanos = decodeUnsignedLeb128(timeLeb!);
        expect(Number(nanos / 1_000_000n)).toBeGreaterThanOrEqual((await suite.pic.getTime()) - 5_000);
    });

    it('is rejected by the agent under another root key', async () => {
        const [bytes] = await counter.certificate();
        const otherNetwork = await startNetwork();
        try {
            const topology = await otherNetwork.pic.getApplicationSubnets();
            const otherKey = new Uint8Array(await otherNetwork.pic.getPubKey(topology[0]!.id));
            await expect(
                Certificate.create({ certificate: new Uint8Array(bytes!), rootKey: otherKey, principal: { canisterId } })
            ).rejects.toThrow();
        } finally {
            await otherNetwork.stop();
        }
    });

    it('is not available to update calls (only queries get a data certificate)', async () => {
        // certificate() is a query; called as an update (replicated) it must see no certificate.
        const reply = await suite.pic.updateCall({ canisterId, method: 'certificate', arg: new Uint8Array([0x44, 0x49, 0x44, 0x4c, 0x00, 0x00]) });
        // Candid reply: opt vec nat8 = none.
        expect(reply[reply.length - 1]).toBe(0);
    });
});
