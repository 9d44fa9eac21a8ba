/**
 * localnet benchmark (`npm run bench -w localnet`): the figures recorded in localnet/README.md.
 *  1. instruction counts of the test canisters' methods, next to the calibration canister
 *     (Azle's hello-world setMessage: about 1.40M instructions on the IC);
 *  2. through PicJS and the REST server, as tests use it: canister install time, query and update
 *     round-trip latencies.
 * A script, not a test: timings depend on the machine.
 */
import { IDL } from '@icp-sdk/core/candid';
import { Principal } from '@icp-sdk/core/principal';
import { cpus } from 'node:os';
import { readFileSync } from 'node:fs';

import { buildAzleCanister } from '../src/azleBuild';
import { LocalNetwork, type ExecutionEvent } from '../src/core/localNetwork';
import { startNetwork } from '../src/startNetwork';
import { installThroughCore } from '../test/support/installThroughCore';
import { counterIdl, type CounterService } from '../test/support/testCanisterInterfaces';
import { testCanisterBuild, type TestCanister } from '../test/support/testCanisters';

const encode = (types: IDL.Type[], values: unknown[]): Uint8Array => new Uint8Array(IDL.encode(types, values));

function percentile(sorted: number[], p: number): number {
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function stats(samples: number[]): string {
    const sorted = [...samples].sort((a, b) => a - b);
    return `median ${percentile(sorted, 50).toFixed(2)} ms, p90 ${percentile(sorted, 90).toFixed(2)} ms, p99 ${percentile(sorted, 99).toFixed(2)} ms (n=${sorted.length})`;
}

async function wasmOf(canister: TestCanister | 'hello'): Promise<Uint8Array> {
    const { wasmPath } = await buildAzleCanister(testCanisterBuild(canister));
    return new Uint8Array(readFileSync(wasmPath));
}

async function instructionCounts(): Promise<void> {
    const events: ExecutionEvent[] = [];
    const network = new LocalNetwork({ log: () => undefined, onExecution: (e) => events.push(e) });
    const anonymous = Principal.anonymous();
    const update = async (canisterId: Principal, method: string, arg: Uint8Array) => {
        const submitted = await network.submit({ sender: anonymous, canisterId, method, arg });
        if (submitted.kind !== 'accepted') throw new Error(submitted.outcome.message);
        const outcome = await network.awaitIngress(submitted.messageId);
        if (outcome.kind !== 'reply') throw new Error(outcome.message);
        return outcome.bytes;
    };
    const install = async (name: TestCanister | 'hello'): Promise<Principal> => installThroughCore(network, await wasmOf(name));
    const measure = async (label: string, entry: string, run: () => Promise<unknown>): Promise<void> => {
        const counts: bigint[] = [];
        for (let i = 0; i < 5; i++) {
            events.length = 0;
            await run();
            const event = events.find((e) => e.entry === entry);
            if (!event) throw new Error(`no execution of ${entry}`);
            counts.push(event.instructions);
        }
        counts.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        console.log(`| ${label} | ${counts[2]!.toLocaleString('en-US')} |`);
    };

    const hello = await install('hello');
    const counter = await install('counter');
    const key = encode([IDL.Text], ['bench']);
    console.log('\n| method (instructions per message, median of 5) | instructions |\n|---|---|');
    await measure('hello `setMessage("Hello localnet")` (update) — IC: ~1.40M', 'canister_update setMessage', () => update(hello, 'setMessage', encode([IDL.Text], ['Hello localnet'])));
    await measure('hello `getMessage()` (query)', 'canister_query getMessage', () => network.query({ sender: anonymous, canisterId: hello, method: 'getMessage', arg: encode([], []) }));
    await measure('counter `increment` (update, StableBTreeMap insert)', 'canister_update increment', () => update(counter, 'increment', key));
    await measure('counter `get` (query, StableBTreeMap lookup)', 'canister_query get', () => network.query({ sender: anonymous, canisterId: counter, method: 'get', arg: key }));
    await measure('counter `certify(32 bytes)` (update)', 'canister_update certify', () => update(counter, 'certify', encode([IDL.Vec(IDL.Nat8)], [new Uint8Array(32)])));
    await measure('counter `blob(1 MiB)` (query)', 'canister_query blob', () => network.query({ sender: anonymous, canisterId: counter, method: 'blob', arg: encode([IDL.Nat32], [1024 * 1024]) }));
    await network.dispose();
}

async function latencies(): Promise<void> {
    const network = await startNetwork();
    try {
        const pic = network.pic;
        const wasm = await wasmOf('counter');
        const installs: number[] = [];
        let counter;
        for (let i = 0; i < 3; i++) {
            const start = performance.now();
            counter = await pic.setupCanister<CounterService>({ idlFactory: counterIdl, wasm });
            installs.push(performance.now() - start);
        }
        console.log(`\ninstall Azle counter canister via PicJS (create + chunked install + init): first ${installs[0]!.toFixed(0)} ms, then ${installs.slice(1).map((t) => t.toFixed(0)).join(' ms, ')} ms`);
        const actor = counter!.actor;
        for (let i = 0; i < 20; i++) await actor.get('warm');
        const queries: number[] = [];
        for (let i = 0; i < 300; i++) {
            const start = performance.now();
            await actor.get('k');
            queries.push(performance.now() - start);
        }
        console.log(`query round trip via PicJS (counter.get): ${stats(queries)}`);
        const updates: number[] = [];
        for (let i = 0; i < 150; i++) {
            const start = performance.now();
            await actor.increment('k');
            updates.push(performance.now() - start);
        }
        console.log(`update round trip via PicJS (counter.increment): ${stats(updates)}`);
    } finally {
        await network.stop();
    }
}

console.log(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown cpu'}`);
await instructionCounts();
await latencies();
