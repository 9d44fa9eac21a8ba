/**
 * Message semantics on localnet through PicJS: what persists (updates, stable memory across
 * upgrades), what never does (a trapping update, any query), timers and instruction limits.
 */
import type { Actor } from '@dfinity/pic';
import { IDL } from '@icp-sdk/core/candid';
import type { Principal } from '@icp-sdk/core/principal';
import { beforeAll, describe, expect, it } from 'vitest';
import { counterIdl, type CounterService } from '../support/testCanisterInterfaces';
import { testCanisterWasm } from '../support/testCanisters';
import { networkForSuite } from '../support/suiteNetwork';

const suite = networkForSuite();
let counter: Actor<CounterService>;
let canisterId: Principal;

beforeAll(async () => {
    ({ actor: counter, canisterId } = await suite.install<CounterService>('counter', counterIdl));
});

describe('updates and stable memory', () => {
    it('persists updates in a StableBTreeMap', async () => {
        expect(await counter.increment('a')).toBe(1n);
        expect(await counter.increment('a')).toBe(2n);
        expect(await counter.get('a')).toBe(2n);
        expect(await counter.get('unknown')).toBe(0n);
    });

    it('rolls back heap and stable memory when an update traps after writing', async () => {
        const heapBefore = await counter.heap();
        await expect(counter.incrementThenTrap('a')).rejects.toThrow(/trapped after writing a/);
        expect(await counter.get('a')).toBe(2n);
        expect(await counter.heap()).toBe(heapBefore);
        // The canister still works afterwards.
        expect(await counter.increment('a')).toBe(3n);
    });

    it('discards every change a query makes', async () => {
        const before = await counter.get('q');
        const heapBefore = await counter.heap();
        expect(await counter.incrementInQuery('q')).toBe(before + 1n);
        expect(await counter.incrementInQuery('q')).toBe(before + 1n);
        expect(await counter.get('q')).toBe(before);
        expect(await counter.heap()).toBe(heapBefore);
    });

    it('keeps the stable map and loses heap fields across an upgrade', async () => {
        await counter.increment('upgrade');
        expect(await counter.heap()).toBeGreaterThan(0n);
        expect(await counter.wasUpgraded()).toBe(false);
        await suite.pic.upgradeCanister({ canisterId, wasm: testCanisterWasm('counter'), arg: new Uint8Array(IDL.encode([], [])) });
        expect(await counter.get('upgrade')).toBe(1n);
        expect(await counter.get('a')).toBe(3n);
        expect(await counter.heap()).toBe(0n);
        expect(await counter.wasUpgraded()).toBe(true);
    });
});

describe('timers', () => {
    it('fires a timer only once the instance clock passes it', async () => {
        expect(await counter.timerFired()).toBe(0n);
        await counter.scheduleTimer(30n);
        await suite.pic.tick();
        expect(await counter.timerFired()).toBe(0n);
        await suite.pic.advanceTime(29_000);
        await suite.pic.tick();
        expect(await counter.timerFired()).toBe(0n);
        await suite.pic.advanceTime(1_000);
        await suite.pic.tick();
        await suite.pic.tick();
        expect(await counter.timerFired()).toBe(1n);
    });

    it('shows the instance time to the canister', async () => {
        const time = await suite.pic.getTime();
        await suite.pic.advanceTime(5_000);
        await suite.pic.tick();
        const seen = Number((await counter.now()) / 1_000_000n);
        expect(seen).toBeGreaterThanOrEqual(time + 5_000);
    });
});

describe('limits', () => {
    it('stops a query at the 5 billion instruction limit with the IC message', async () => {
        await expect(counter.spin()).rejects.toThrow(/exceeded the limit of 5000000000 instructions/);
        // The canister is unaffected.
        expect(await counter.get('a')).toBe(3n);
    });

    it('accepts a 2.9 MiB query reply and rejects one over the 3 MiB limit', async () => {
        const accepted = await counter.blob(Math.floor(2.9 * 1024 * 1024));
        expect(accepted.length).toBe(Math.floor(2.9 * 1024 * 1024));
        expect(accepted.every((b) => b === 7)).toBe(true);
        await expect(counter.blob(Math.floor(3.1 * 1024 * 1024))).rejects.toThrow(/cannot be larger than 3145728/);
    });

    it('counts instructions with ic0.performance_counter', async () => {
        const counted = await counter.instructionsSoFar();
        expect(counted).toBeGreaterThan(10_000n);
        expect(counted).toBeLessThan(100_000_000n);
    });
});
