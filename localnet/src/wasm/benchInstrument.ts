/**
 * Timing for the instrumentation pass (kept out of the tests, which must not depend on wall clock).
 *
 *   npx tsx localnet/src/wasm/benchInstrument.ts [module.wasm ...]
 *
 * Defaults to Azle's canister templates. Also measures the run-time overhead of the instrumented
 * code on a store-heavy loop (uses the `wabt` devDependency, so this script is dev-only).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import { DirtyPageTracker } from './dirtyPageTracker';
import { instrumentModule } from './instrument';

const RUNS = 10;

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)]!;
}

function benchInstrumentation(path: string): void {
    const wasm = new Uint8Array(readFileSync(path));
    const times: number[] = [];
    let outputSize = 0;
    for (let i = 0; i < RUNS; i++) {
        const started = performance.now();
        outputSize = instrumentModule(wasm).bytes.length;
        times.push(performance.now() - started);
    }
    const output = instrumentModule(wasm).bytes;
    const compileStarted = performance.now();
    new WebAssembly.Module(output);
    const compileMs = performance.now() - compileStarted;
    console.log(
        `${basename(path)}: ${(wasm.length / 1e6).toFixed(2)} MB -> ${(outputSize / 1e6).toFixed(2)} MB; ` +
            `first ${times[0]!.toFixed(0)} ms, median of ${RUNS} ${median(times).toFixed(0)} ms, ` +
            `min ${Math.min(...times).toFixed(0)} ms; WebAssembly.Module() of the result ${compileMs.toFixed(0)} ms`
    );
}

const LOOP = `
(module
  (memory (export "memory") 64)
  (func (export "run") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    loop $l
      local.get $i i32.const 1048572 i32.and
      local.get $acc local.get $i i32.add
      i32.store
      local.get $acc local.get $i i32.const 4096 i32.rem_u i32.load i32.xor local.set $acc
      local.get $i i32.const 4 i32.add local.tee $i
      local.get $n i32.lt_u br_if $l
    end
    local.get $acc))`;

async function benchRuntime(): Promise<void> {
    const require = createRequire(import.meta.url);
    const wabt = await (require('wabt') as () => Promise<{
        parseWat(name: string, text: string): { toBinary(o: object): { buffer: Uint8Array } };
    }>)();
    const plainBytes = new Uint8Array(wabt.parseWat('loop.wat', LOOP).toBinary({}).buffer);
    const instrumented = instrumentModule(plainBytes);
    const plain = new WebAssembly.Instance(new WebAssembly.Module(plainBytes)).exports.run as (n: number) => number;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(instrumented.bytes));
    const tracker = new DirtyPageTracker();
    tracker.attach(instance, instrumented.exportNames);
    const metered = instance.exports.run as (n: number) => number;
    const n = 200_000_000;
    const time = (f: (n: number) => number): number => {
        f(n / 100); // warm up (tier-up)
        const started = performance.now();
        f(n);
        return performance.now() - started;
    };
    const plainMs = time(plain);
    const meteredMs = time(metered);
    const counter = (instance.exports[instrumented.exportNames.instructionCounter] as WebAssembly.Global).value;
    console.log(
        `store/load loop, ${n / 4} iterations: plain ${plainMs.toFixed(0)} ms, instrumented ${meteredMs.toFixed(0)} ms ` +
            `(x${(meteredMs / plainMs).toFixed(2)}); ${counter} instructions counted, ${tracker.pendingCount} dirty pages`
    );
}

const paths = process.argv.slice(2);
const defaults = ['stable.wasm', 'experimental.wasm'].map(
    (f) => new URL(`../../../node_modules/azle/dist/canister_templates/${f}`, import.meta.url).pathname
);
for (const path of paths.length > 0 ? paths : defaults) benchInstrumentation(path);
await benchRuntime();
