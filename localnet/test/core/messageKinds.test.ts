/**
 * Composite queries, canister_inspect_message, raw_rand, heartbeats, cleanup callbacks and
 * gzipped modules on localnet, through PicJS.
 */
import { IDL } from '@icp-sdk/core/candid';
import { Principal } from '@icp-sdk/core/principal';
import { sha256 } from '@noble/hashes/sha256';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { counterIdl, type CounterService } from '../support/testCanisterInterfaces';
import { testCanisterWasm } from '../support/testCanisters';
import { networkForSuite } from '../support/suiteNetwork';
import { callbacksCanisterWasm, u32 } from '../support/watCanisters';

const suite = networkForSuite();
let a: Principal;
let b: Principal;

const text = (value: string) => new Uint8Array(IDL.encode([IDL.Text], [value]));
const principalAndText = (p: Principal, value: string) => new Uint8Array(IDL.encode([IDL.Principal, IDL.Text], [p, value]));
const none = new Uint8Array(IDL.encode([], []));

beforeAll(async () => {
    ({ canisterId: a } = await suite.install('pingpong'));
    ({ canisterId: b } = await suite.install('pingpong'));
});

describe('composite queries', () => {
    it('call another canister query inside a query', async () => {
        const reply = await suite.pic.queryCall({ canisterId: a, method: 'compositePing', arg: principalAndText(b, 'x') });
        expect(IDL.decode([IDL.Text], reply)[0]).toBe('pongQuery:x');
    });

    it('cannot run in replicated mode', async () => {
        await expect(suite.pic.updateCall({ canisterId: a, method: 'compositePing', arg: principalAndText(b, 'x') })).rejects.toThrow(
            /Composite query cannot be called in replicated mode/
        );
    });
});

describe('canister_inspect_message', () => {
    it('refuses an ingress message the canister does not accept, before it runs', async () => {
        await expect(suite.pic.updateCall({ canisterId: a, method: 'refusedByInspect', arg: none })).rejects.toThrow(/rejected the message/);
    });

    it('does not apply to calls from other canisters', async () => {
        const reply = await suite.pic.updateCall({
            canisterId: a,
            method: 'callMethod',
            arg: new Uint8Array(IDL.encode([IDL.Principal, IDL.Text, IDL.Text], [b, 'refusedByInspect', 'x']))
        });
        const CallResult = IDL.Variant({ Ok: IDL.Text, Err: IDL.Record({ code: IDL.Nat32, message: IDL.Text }) });
        expect(IDL.decode([CallResult], reply)[0]).toEqual({ Ok: 'ran' });
    });
});

describe('raw_rand', () => {
    it('returns 32 fresh random bytes to canisters', async () => {
        const first = IDL.decode([IDL.Vec(IDL.Nat8)], await suite.pic.updateCall({ canisterId: a, method: 'randomBytes', arg: none }))[0] as unknown as Uint8Array;
        const second = IDL.decode([IDL.Vec(IDL.Nat8)], await suite.pic.updateCall({ canisterId: a, method: 'randomBytes', arg: none }))[0] as unknown as Uint8Array;
        expect(first.length).toBe(32);
        expect(Buffer.from(first).equals(Buffer.from(second))).toBe(false);
    });

    it('is refused to ingress messages', async () => {
        await expect(suite.pic.updateCall({ canisterId: Principal.managementCanister(), method: 'raw_rand', arg: none })).rejects.toThrow(
            /only be called by canisters/
        );
    });
});

describe('callbacks and system tasks', () => {
    it('runs the cleanup callback when a reject callback traps, and keeps its changes', async () => {
        const fixture = await suite.pic.setupCanister({ idlFactory: () => IDL.Service({}), wasm: await callbacksCanisterWasm() });
        const id = fixture.canisterId;
        expect(u32(await suite.pic.queryCall({ canisterId: id, method: 'cleanup_flag', arg: new Uint8Array() }))).toBe(0);
        await expect(suite.pic.updateCall({ canisterId: id, method: 'call_and_trap_in_callback', arg: id.toUint8Array() })).rejects.toThrow(
            /reject callback boom/
        );
        expect(u32(await suite.pic.queryCall({ canisterId: id, method: 'cleanup_flag', arg: new Uint8Array() }))).toBe(1);
    });

    it('runs canister_heartbeat once per round', async () => {
        const fixture = await suite.pic.setupCanister({ idlFactory: () => IDL.Service({}), wasm: await callbacksCanisterWasm() });
        const id = fixture.canisterId;
        const before = u32(await suite.pic.queryCall({ canisterId: id, method: 'heartbeats', arg: new Uint8Array() }));
        await suite.pic.tick(3);
        const after = u32(await suite.pic.queryCall({ canisterId: id, method: 'heartbeats', arg: new Uint8Array() }));
        expect(after - before).toBe(3);
    });
});

describe('gzipped modules', () => {
    it('installs a gzipped wasm and reports the hash of the bytes as submitted', async () => {
        const gzipped = new Uint8Array(gzipSync(testCanisterWasm('counter')));
        const fixture = await suite.pic.setupCanister<CounterService>({ idlFactory: counterIdl, wasm: gzipped });
        expect(await fixture.actor.increment('gz')).toBe(1n);
        const status = await suite.pic.canisterStatus({ canisterId: fixture.canisterId });
        expect(Buffer.from(status.moduleHash!).toString('hex')).toBe(Buffer.from(sha256(gzipped)).toString('hex'));
    });
});

