/** The real Azle 0.33 canister templates instrument, validate, keep their custom sections and run. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ByteWriter } from '../../src/wasm/byteWriter';
import { DirtyPageTracker } from '../../src/wasm/dirtyPageTracker';
import { instrumentModule } from '../../src/wasm/instrument';
import { InstrumentedInstance } from '../../src/wasm/instrumentedInstance';
import { splitSections } from '../../src/wasm/moduleSections';
import { AZLE_TEMPLATES } from './wasmTestKit';

function customSections(bytes: Uint8Array): Map<string, Buffer> {
    return new Map(
        splitSections(bytes)
            .filter((s) => s.id === 0)
            .map((s) => [s.name!, Buffer.from(bytes.subarray(s.start, s.end))])
    );
}

/** Appends a custom section, as Azle/dfx do when embedding candid and metadata. */
function withCustomSection(bytes: Uint8Array, name: string, content: string): Uint8Array<ArrayBuffer> {
    const payload = new ByteWriter();
    payload.name(name);
    payload.bytes(new TextEncoder().encode(content));
    const out = new ByteWriter(bytes.length + 64);
    out.bytes(bytes);
    out.u8(0);
    out.u32(payload.length);
    out.bytes(payload.toBytes());
    return out.toBytes();
}

function stubImports(module: WebAssembly.Module): WebAssembly.Imports {
    const imports: Record<string, Record<string, () => never>> = {};
    for (const { module: from, name } of WebAssembly.Module.imports(module)) {
        imports[from] ??= {};
        imports[from][name] = () => {
            throw new Error(`${from}.${name} called`);
        };
    }
    return imports;
}

describe.each(['stable.wasm', 'experimental.wasm'])('Azle template %s', (file) => {
    const original = new Uint8Array(readFileSync(new URL(file, AZLE_TEMPLATES)));
    const wasm = withCustomSection(
        withCustomSection(original, 'icp:public candid:service', 'service : { greet : (text) -> (text) query }'),
        'icp:private azle',
        '{"version":"0.33.0"}'
    );

    const started = performance.now();
    const result = instrumentModule(wasm);
    const elapsed = performance.now() - started;
    console.log(
        `instrumented ${file}: ${(wasm.length / 1e6).toFixed(2)} MB -> ${(result.bytes.length / 1e6).toFixed(2)} MB in ${elapsed.toFixed(0)} ms (first run, includes JIT warm-up)`
    );

    it('produces a valid module', () => {
        expect(WebAssembly.validate(result.bytes)).toBe(true);
    });

    it('keeps every custom section byte for byte, candid metadata included', () => {
        const before = customSections(wasm);
        const after = customSections(result.bytes);
        expect([...after.keys()]).toEqual([...before.keys()]);
        expect(after.get('icp:public candid:service')?.toString()).toContain('service : { greet');
        for (const [name, payload] of before) expect(after.get(name)?.equals(payload), name).toBe(true);
        expect(result.customSections).toEqual([...before.keys()]);
    });

    it('keeps imports and exports', () => {
        const plain = new WebAssembly.Module(wasm);
        const instrumented = new WebAssembly.Module(result.bytes);
        expect(WebAssembly.Module.imports(instrumented)).toEqual(WebAssembly.Module.imports(plain));
        const exportNames = WebAssembly.Module.exports(instrumented).map((e) => e.name);
        for (const e of WebAssembly.Module.exports(plain)) expect(exportNames).toContain(e.name);
        expect(result.imports.every((i) => i.module === 'ic0')).toBe(true);
        expect(result.exports.some((e) => e.name === 'canister_update _azle_chunk')).toBe(true);
        expect(result.exportNames.memory).toBe('memory');
        expect(result.exportNames.table).toBeDefined();
    });

    it('runs canister code with metering and dirty tracking', () => {
        const compiled = new WebAssembly.Module(result.bytes);
        const instance = new WebAssembly.Instance(compiled, stubImports(compiled));
        const tracker = new DirtyPageTracker();
        tracker.attach(instance, result.exportNames);
        const canister = new InstrumentedInstance(instance, result);
        canister.instructions = 0n;
        expect((instance.exports.js_passive_data_size as () => number)()).toBe(0);
        expect(canister.instructions).toBeGreaterThan(10n);
        // Without a real ic0 the Rust code stops at its first system call, after writing to the heap.
        canister.instructions = 0n;
        expect(instance.exports.get_candid_and_method_meta_pointer as () => void).toThrow(/ic0\.\w+ called/);
        expect(canister.instructions).toBeGreaterThan(1000n);
        expect(tracker.takeDirtyPages().length).toBeGreaterThan(0);
    });
});
