/**
 * The unmodified PicJS client (`PocketIc`) against the REST server, with the protocol test double
 * behind it: proves that every PicJS call PicJS makes is routed, decoded and answered in a form
 * PicJS accepts. Real canister execution is covered by the lead's end-to-end tests.
 */
import { PocketIc, SubnetStateType } from '@dfinity/pic';
import { IDL } from '@icp-sdk/core/candid';
import { Principal } from '@icp-sdk/core/principal';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProtocolTestDoubleIc } from './support/protocolTestDouble';
import type { TestServer } from './support/testServer';
import { startTestServer } from './support/testServer';

let t: TestServer;
let pic: PocketIc;
let ic: ProtocolTestDoubleIc;

beforeEach(async () => {
    t = await startTestServer();
    pic = await PocketIc.create(t.url);
    ic = t.factory.created[0]!;
});
afterEach(async () => {
    await t.server.close();
});

const alice = Principal.fromText('xkbqi-2qaaa-aaaah-qbpqq-cai');

describe('PicJS against localnet REST', () => {
    it('creates an instance and reads its topology', async () => {
        const [subnet] = await pic.getApplicationSubnets();
        expect(subnet?.type).toBe('Application');
        expect(subnet?.size).toBe(1);
        expect(subnet?.canisterRanges).toHaveLength(1);
        expect((await pic.getDefaultEffectiveCanisterId()).toText()).toBe(ic.topology().defaultEffectiveCanisterId.toText());
        expect(await pic.getPubKey(ic.topology().subnets[0]!.id)).toEqual([0x30, 0x81, 0x82, 0]);
    });

    it('passes the subnet configuration through', async () => {
        const fresh = { state: { type: SubnetStateType.New } } as const;
        await PocketIc.create(t.url, { nns: fresh, application: [fresh, fresh] });
        expect(t.factory.created[1]?.config.subnets).toEqual([{ kind: 'NNS' }, { kind: 'Application' }, { kind: 'Application' }]);
    });

    it('gets, sets and advances time with nanosecond precision', async () => {
        expect(await pic.getTime()).toBe(1_700_000_000_000);
        await pic.setTime(1_800_000_000_123);
        expect(await pic.getTime()).toBe(1_800_000_000_123);
        await pic.setCertifiedTime(1_800_000_000_124);
        await pic.advanceTime(1_000);
        expect(await pic.getTime()).toBe(1_800_000_001_124);
        await pic.tick(3);
        expect(ic.log.filter((entry) => entry === 'tick:end')).toHaveLength(3);
    });

    it('creates a canister through the management canister and manages its cycles and memory', async () => {
        const canisterId = await pic.createCanister({ sender: alice });
        expect((await pic.getControllers(canisterId)).map((p) => p.toText())).toEqual([alice.toText()]);
        expect((await pic.getCanisterSubnetId(canisterId))?.toText()).toBe(ic.topology().subnets[0]!.id.toText());
        expect(await pic.addCycles(canisterId, 2n ** 100n)).toBe(2n ** 100n);
        expect(await pic.getCyclesBalance(canisterId)).toBe(2n ** 100n);
        await pic.setStableMemory(canisterId, new Uint8Array([5, 6, 7]));
        expect(await pic.getStableMemory(canisterId)).toEqual(new Uint8Array([5, 6, 7]));
    });

    it('makes query and update calls and surfaces rejects as PicJS errors', async () => {
        const canisterId = ic.addCanister();
        const arg = new Uint8Array(IDL.encode([IDL.Text], ['hi']));
        expect(await pic.queryCall({ canisterId, method: 'echo', arg })).toEqual(arg);
        expect(await pic.updateCall({ canisterId, method: 'whoami', sender: alice })).toEqual(alice.toUint8Array());
        await expect(pic.updateCall({ canisterId, method: 'trap' })).rejects.toThrow(
            /Reject code: CanisterError\. Error code: CanisterCalledTrap\. Certified: true/
        );
        await expect(pic.queryCall({ canisterId, method: 'nope' })).rejects.toThrow(/Error code: CanisterMethodNotFound\. Certified: false/);
        const missing = Principal.fromText('rrkah-fqaaa-aaaaa-aaaaq-cai');
        await expect(pic.queryCall({ canisterId: missing, method: 'echo' })).rejects.toThrow(/Error code: CanisterNotFound/);
    });

    it('supports deferred update calls (submit now, await later)', async () => {
        const canisterId = ic.addCanister();
        const actor = pic.createDeferredActor<{ echo: (text: string) => Promise<() => Promise<string>> }>(
            ({ IDL: idl }) => idl.Service({ echo: idl.Func([idl.Text], [idl.Text], []) }),
            canisterId
        );
        const pending = await actor.echo('later');
        expect(await pending()).toBe('later');
    });

    it('reports HTTP outcalls as not emulated (makeLive is covered in test/gateway/restHttpGateway.test.ts)', async () => {
        expect(await pic.getPendingHttpsOutcalls()).toEqual([]);
        await expect(
            pic.mockPendingHttpsOutcall({
                requestId: 0,
                subnetId: ic.topology().subnets[0]!.id,
                response: { type: 'success', statusCode: 200, headers: [], body: new Uint8Array() }
            })
        ).rejects.toThrow('HTTP outcalls are not emulated by localnet');
    });

    it('tears the instance down', async () => {
        await pic.tearDown();
        expect(ic.disposed).toBe(true);
        expect((await t.request('GET', '/instances')).body).toEqual(['Deleted']);
    });
});
