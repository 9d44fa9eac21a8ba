/**
 * Inter-canister calls and the management canister on localnet through PicJS: replies, rejects
 * with the IC's codes, cycles moving with calls, stopped canisters, controllers and module checks.
 */
import { IDL } from '@icp-sdk/core/candid';
import type { Actor } from '@dfinity/pic';
import { Principal } from '@icp-sdk/core/principal';
import { beforeAll, describe, expect, it } from 'vitest';
import { pingpongIdl, type PingpongService } from '../support/testCanisterInterfaces';
import { testCanisterWasm } from '../support/testCanisters';
import { networkForSuite } from '../support/suiteNetwork';
import { wasmWithImport } from '../support/wasmFixtures';

const suite = networkForSuite();
let a: Actor<PingpongService>;
let b: Actor<PingpongService>;
let aId: Principal;
let bId: Principal;

beforeAll(async () => {
    ({ actor: a, canisterId: aId } = await suite.install<PingpongService>('pingpong', pingpongIdl));
    ({ actor: b, canisterId: bId } = await suite.install<PingpongService>('pingpong', pingpongIdl));
});

describe('inter-canister calls', () => {
    it('delivers a call and its reply, with the caller as msg_caller', async () => {
        expect(await a.ping(bId, 'hi')).toEqual({ Ok: `pong:hi from ${aId.toText()}` });
    });

    it('rejects a call to a missing method with DESTINATION_INVALID (3)', async () => {
        const result = await a.callMethod(bId, 'nope', 'x');
        expect(result).toMatchObject({ Err: { code: 3 } });
        expect('Err' in result && result.Err.message).toMatch(/has no update method 'nope'/);
    });

    it('rejects a call to a trapping callee with CANISTER_ERROR (5) and the trap message', async () => {
        const result = await a.callMethod(bId, 'boom', 'bang');
        expect(result).toMatchObject({ Err: { code: 5 } });
        expect('Err' in result && result.Err.message).toMatch(/boom: bang/);
    });

    it('rejects a call to a canister that does not exist with DESTINATION_INVALID (3)', async () => {
        const ghost = Principal.fromUint8Array(new Uint8Array([0, 0, 0, 0, 0, 0x0f, 0xff, 0xfe, 1, 1]));
        const result = await a.callMethod(ghost, 'pong', 'x');
        expect(result).toMatchObject({ Err: { code: 3 } });
    });

    it('moves cycles with a call: the callee accepts half, the rest is refunded', async () => {
        const aBefore = await suite.pic.getCyclesBalance(aId);
        const bBefore = await suite.pic.getCyclesBalance(bId);
        expect(await a.sendCycles(bId, 1_000_000n)).toBe(500_000n);
        expect(await b.receivedCycles()).toBe(500_000n);
        expect(await suite.pic.getCyclesBalance(aId)).toBe(aBefore - 500_000n);
        expect(await suite.pic.getCyclesBalance(bId)).toBe(bBefore + 500_000n);
    });

    it('rejects calls to a stopped canister and serves them again once started', async () => {
        await suite.pic.stopCanister({ canisterId: bId });
        const stopped = await a.ping(bId, 'zzz');
        expect(stopped).toMatchObject({ Err: { code: 5 } });
        expect('Err' in stopped && stopped.Err.message).toMatch(/is stopped/);
        await suite.pic.startCanister({ canisterId: bId });
        expect(await a.ping(bId, 'awake')).toEqual({ Ok: `pong:awake from ${aId.toText()}` });
    });
});

describe('management canister', () => {
    it('lets only controllers manage a canister', async () => {
        const owner = Principal.fromText('2vxsx-fae');
        const stranger = Principal.selfAuthenticating(new Uint8Array(32).fill(5));
        const canisterId = await suite.pic.createCanister({ sender: owner });
        await expect(suite.pic.installCode({ canisterId, wasm: testCanisterWasm('pingpong'), sender: stranger })).rejects.toThrow(
            /Only controllers of canister/
        );
        await expect(suite.pic.stopCanister({ canisterId, sender: stranger })).rejects.toThrow(/Only controllers of canister/);
        expect((await suite.pic.getControllers(canisterId)).map((p) => p.toText())).toEqual([owner.toText()]);
    });

    it('changes controllers with update_settings: the new one may manage, the old one no longer', async () => {
        const first = Principal.selfAuthenticating(new Uint8Array(32).fill(7));
        const second = Principal.selfAuthenticating(new Uint8Array(32).fill(8));
        const canisterId = await suite.pic.createCanister({ sender: first });
        await suite.pic.updateCanisterSettings({ canisterId, sender: first, controllers: [second] });
        expect((await suite.pic.getControllers(canisterId)).map((p) => p.toText())).toEqual([second.toText()]);
        await expect(suite.pic.updateCanisterSettings({ canisterId, sender: first, controllers: [first] })).rejects.toThrow(/Only controllers/);
        await suite.pic.stopCanister({ canisterId, sender: second });
        expect((await suite.pic.canisterStatus({ canisterId, sender: second })).status).toEqual({ stopped: null });
    });

    it('reports status, module hash and settings', async () => {
        const status = await suite.pic.canisterStatus({ canisterId: aId });
        expect(status.status).toEqual({ running: null });
        expect(status.moduleHash?.length).toBe(32);
        expect(status.memorySize).toBeGreaterThan(0n);
        expect(status.settings.controllers.length).toBe(1);
    });

    it('refuses a module importing a function the IC does not provide, naming it', async () => {
        const canisterId = await suite.pic.createCanister();
        await expect(suite.pic.installCode({ canisterId, wasm: wasmWithImport('ic0', 'not_a_system_call') })).rejects.toThrow(
            /not_a_system_call/
        );
        await expect(suite.pic.installCode({ canisterId, wasm: wasmWithImport('env', 'memcpy') })).rejects.toThrow(/'memcpy' from 'env'/);
    });

    it('deletes only stopped canisters', async () => {
        const canisterId = await suite.pic.createCanister();
        await expect(
            suite.pic.updateCall({
                canisterId: Principal.managementCanister(),
                method: 'delete_canister',
                arg: encodeCanisterId(canisterId)
            })
        ).rejects.toThrow(/must be stopped/);
        await suite.pic.stopCanister({ canisterId });
        await suite.pic.updateCall({ canisterId: Principal.managementCanister(), method: 'delete_canister', arg: encodeCanisterId(canisterId) });
        await expect(suite.pic.getControllers(canisterId)).rejects.toThrow();
    });
});

function encodeCanisterId(id: { toUint8Array(): Uint8Array }): Uint8Array {
    return new Uint8Array(
        IDL.encode([IDL.Record({ canister_id: IDL.Principal })], [{ canister_id: Principal.fromUint8Array(id.toUint8Array()) }])
    );
}
