/**
 * Latency of queries and updates through real agents against the IC HTTP interface (not a test:
 * run `npx tsx localnet/test/icHttp/measureLatency.ts` after the test canisters are built).
 * Prints median and p90 per agent, operation and instance mode.
 */
// Both agents on purpose: the figures are what apps see, and some apps are still on @dfinity/agent.
import { Actor as DfinityActor, HttpAgent as DfinityAgent } from '@dfinity/agent';
import { Ed25519KeyIdentity as DfinityEd25519KeyIdentity } from '@dfinity/identity';
import { Actor, HttpAgent } from '@icp-sdk/core/agent';
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity';
import { counterIdl, type CounterService } from '../support/testCanisterInterfaces';
import { testCanisterWasm } from '../support/testCanisters';
import { installThroughCore } from '../support/installThroughCore';
import { startIcHttp } from './fixture';

const ROUNDS = 40;

async function measure(label: string, operation: () => Promise<unknown>): Promise<void> {
    await operation(); // warm-up: root key, node keys, time sync
    const samples: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
        const start = performance.now();
        await operation();
        samples.push(performance.now() - start);
    }
    samples.sort((a, b) => a - b);
    const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!.toFixed(1);
    console.log(`${label.padEnd(48)} median ${at(0.5).padStart(6)} ms   p90 ${at(0.9).padStart(6)} ms`);
}

async function main(): Promise<void> {
    for (const live of [true, false]) {
        const fixture = await startIcHttp();
        if (live) await fixture.network.autoProgress();
        const counterId = await installThroughCore(fixture.network, testCanisterWasm('counter'), [Ed25519KeyIdentity.generate().getPrincipal()]);
        const mode = live ? 'live' : 'frozen';

        const dfinityAgent = await DfinityAgent.create({ host: fixture.url, identity: DfinityEd25519KeyIdentity.generate(), shouldFetchRootKey: true });
        const dfinityCounter = DfinityActor.createActor<CounterService>(counterIdl as never, { agent: dfinityAgent, canisterId: counterId.toText() });
        await measure(`@dfinity/agent 3.4.3 query (${mode})`, () => dfinityCounter.get('k'));
        await measure(`@dfinity/agent 3.4.3 update, v3 sync call (${mode})`, () => dfinityCounter.increment('k'));

        const agent = await HttpAgent.create({ host: fixture.url, identity: Ed25519KeyIdentity.generate(), shouldFetchRootKey: true });
        const counter = Actor.createActor<CounterService>(counterIdl, { agent, canisterId: counterId });
        await measure(`@icp-sdk/core 5.4 query (${mode})`, () => counter.get('k'));
        await measure(`@icp-sdk/core 5.4 update, v4 sync call (${mode})`, () => counter.increment('k'));
        await fixture.close();
    }
}

void main();
