/**
 * Instances that do not follow the wall clock (PocketIC's default): agents resynchronise their
 * clock from the replica's expiry message, submitted calls are executed without anyone ticking,
 * and a synchronous call that cannot complete in time falls back to 202 and polling.
 */
// @dfinity/agent on purpose, in the first clock test only: apps still on it must keep working here.
import { Actor as DfinityActor, HttpAgent as DfinityAgent } from '@dfinity/agent';
import { Ed25519KeyIdentity as DfinityEd25519KeyIdentity } from '@dfinity/identity';
import { Actor, AnonymousIdentity, HttpAgent, pollForResponse } from '@icp-sdk/core/agent';
import { IDL } from '@icp-sdk/core/candid';
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity';
import type { Principal } from '@icp-sdk/core/principal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counterIdl, type CounterService } from '../support/testCanisterInterfaces';
import { testCanisterWasm } from '../support/testCanisters';
import { installThroughCore } from '../support/installThroughCore';
import { startIcHttp, type IcHttpFixture } from './fixture';

let fixture: IcHttpFixture;
let counterId: Principal;
const THREE_MINUTES_NANOS = 3n * 60n * 1_000_000_000n;

beforeAll(async () => {
    // Three minutes behind the wall clock and frozen: agents' default expiry is out of range.
    fixture = await startIcHttp({ initialTimeNanos: BigInt(Date.now()) * 1_000_000n - THREE_MINUTES_NANOS }, { syncCallTimeoutMs: 300 });
    counterId = await installThroughCore(fixture.network, testCanisterWasm('counter'), [Ed25519KeyIdentity.generate().getPrincipal()]);
});

afterAll(async () => {
    await fixture?.close();
});

const newAgent = () => HttpAgent.create({ host: fixture.url, identity: Ed25519KeyIdentity.generate(), shouldFetchRootKey: true, retryTimes: 0 });

describe('clock', () => {
    it('@dfinity/agent resyncs on "Invalid request expiry" and succeeds', async () => {
        const agent = await DfinityAgent.create({ host: fixture.url, identity: DfinityEd25519KeyIdentity.generate(), shouldFetchRootKey: true, retryTimes: 0 });
        const counter = DfinityActor.createActor<CounterService>(counterIdl as never, { agent, canisterId: counterId.toText() });
        expect(await counter.increment('clock')).toBe(1n);
        expect(await counter.get('clock')).toBe(1n);
        expect(agent.hasSyncedTime()).toBe(true);
        expect(agent.getTimeDiffMsecs()).toBeLessThan(-170_000);
    });

    it('@icp-sdk/core resyncs the same way', async () => {
        const agent = await HttpAgent.create({ host: fixture.url, identity: new AnonymousIdentity(), shouldFetchRootKey: true, retryTimes: 0 });
        const counter = Actor.createActor<CounterService>(counterIdl, { agent, canisterId: counterId });
        expect(await counter.increment('clock-sdk')).toBe(1n);
        expect(await counter.get('clock-sdk')).toBe(1n);
        expect(agent.hasSyncedTime()).toBe(true);
    });
});

describe('completion', () => {
    it('executes asynchronously submitted calls without anyone ticking the instance', async () => {
        const agent = await newAgent();
        await agent.syncTime(counterId);
        const arg = new Uint8Array(IDL.encode([IDL.Text], ['async']));
        const { requestId, response } = await agent.call(counterId, { methodName: 'increment', arg, effectiveCanisterId: counterId, callSync: false });
        expect(response.status).toBe(202);
        const { reply } = await pollForResponse(agent, counterId, requestId);
        expect(IDL.decode([IDL.Nat64], reply)[0]).toBe(1n);
    });

    it('answers a synchronous call 202 when it does not complete within the timeout; the agent then polls', async () => {
        const agent = await newAgent();
        await agent.syncTime(counterId);
        const network = fixture.network;
        // A replica too busy to execute anything for a while.
        network.runRound = () => false;
        const arg = new Uint8Array(IDL.encode([IDL.Text], ['slow']));
        let pending: Promise<unknown>;
        try {
            const { requestId, response } = await agent.call(counterId, { methodName: 'increment', arg, effectiveCanisterId: counterId });
            expect(response.status).toBe(202);
            pending = pollForResponse(agent, counterId, requestId);
        } finally {
            delete (network as { runRound?: unknown }).runRound;
        }
        const { reply } = (await pending) as { reply: Uint8Array };
        expect(IDL.decode([IDL.Nat64], reply)[0]).toBe(1n);
    });

    it('serves many concurrent calls', async () => {
        const agent = await newAgent();
        await agent.syncTime(counterId);
        const counter = Actor.createActor<CounterService>(counterIdl, { agent, canisterId: counterId });
        const results = await Promise.all(Array.from({ length: 20 }, () => counter.increment('concurrent')));
        expect([...results].sort((a, b) => Number(a - b))).toEqual(Array.from({ length: 20 }, (_, i) => BigInt(i + 1)));
        expect(await counter.get('concurrent')).toBe(20n);
    });

    it('returns the certificate again for a call already executed (same request id)', async () => {
        const agent = await newAgent();
        await agent.syncTime(counterId);
        const arg = new Uint8Array(IDL.encode([IDL.Text], ['replay']));
        const nonce = new Uint8Array(16).fill(7);
        const first = await agent.call(counterId, { methodName: 'increment', arg, effectiveCanisterId: counterId, nonce: nonce as never });
        const second = await agent.call(counterId, { methodName: 'increment', arg, effectiveCanisterId: counterId, nonce: nonce as never });
        expect(first.requestId).toEqual(second.requestId);
        expect(second.response.status).toBe(200);
        const counter = Actor.createActor<CounterService>(counterIdl, { agent, canisterId: counterId });
        expect(await counter.get('replay')).toBe(1n);
    });
});
