/** Exports the host needs for snapshots and callbacks: mutable globals, memory, table 0, start. */
import { describe, expect, it } from 'vitest';
import { ExportName, instrumentModule } from '../../src/wasm/instrument';
import { instantiate, wat } from './wasmTestKit';

describe('snapshot exports', async () => {
    const bytes = await wat(`
      (module
        (import "env" "imported" (global $imported (mut i32)))
        (import "env" "constant" (global $constant i32))
        (global $counter (mut i64) (i64.const 5))
        (global $fixed f64 (f64.const 1.5))
        (global $ratio (mut f64) (f64.const 0.25))
        (global $ref (mut funcref) (ref.null func))
        (memory 1)
        (table 3 funcref)
        (elem (i32.const 1) $seven $eight)
        (func $seven (result i32) i32.const 7)
        (func $eight (result i32) i32.const 8)
        (func (export "bump")
          global.get $counter i64.const 1 i64.add global.set $counter
          global.get $ratio f64.const 2 f64.mul global.set $ratio
          global.get $imported i32.const 1 i32.add global.set $imported
          ref.func $seven global.set $ref)
        (func (export "counter") (result i64) global.get $counter)
        (func (export "ratio") (result f64) global.get $ratio)
        (func $init i32.const 0 i32.const 99 i32.store)
        (start $init))`);
    const imported = new WebAssembly.Global({ value: 'i32', mutable: true }, 10);
    const imports = { env: { imported, constant: new WebAssembly.Global({ value: 'i32' }, 3) } };

    it('names every mutable global, imported ones included, with its type', () => {
        const { mutableGlobals } = instrumentModule(bytes);
        expect(mutableGlobals).toEqual([
            { name: '__localnet_global_0', index: 0, type: 'i32' },
            { name: '__localnet_global_2', index: 2, type: 'i64' },
            { name: '__localnet_global_4', index: 4, type: 'f64' },
            { name: '__localnet_global_5', index: 5, type: 'funcref' }
        ]);
    });

    it('restores mutable globals from a snapshot', () => {
        const h = instantiate(bytes, imports);
        const before = h.instrumented.snapshotGlobals();
        h.call('bump');
        h.call('bump');
        expect(h.call('counter')).toBe(7n);
        expect(h.call('ratio')).toBe(1);
        expect(imported.value).toBe(12);
        h.instrumented.restoreGlobals(before);
        expect(h.call('counter')).toBe(5n);
        expect(h.call('ratio')).toBe(0.25);
        expect(imported.value).toBe(10);
        expect(h.instrumented.snapshotGlobals()).toEqual(before);
    });

    it('exports the memory and table 0 when the module does not', () => {
        const h = instantiate(bytes, imports);
        expect(h.module.exportNames.memory).toBe(ExportName.memory);
        expect(h.module.exportNames.table).toBe(ExportName.table);
        const table = h.instrumented.table!;
        expect(table.length).toBe(3);
        expect(table.get(0)).toBeNull();
        expect((table.get(2) as () => number)()).toBe(8);
    });

    it('turns the start function into an export the host runs', () => {
        const module = instrumentModule(bytes);
        expect(module.exportNames.start).toBe(ExportName.start);
        const instance = new WebAssembly.Instance(new WebAssembly.Module(module.bytes), imports);
        const memory = new Uint8Array((instance.exports[ExportName.memory] as WebAssembly.Memory).buffer);
        expect(memory[0]).toBe(0); // not run at instantiation
        const h = instantiate(bytes, imports); // the harness attaches a tracker, then runs start
        expect(h.memory()[0]).toBe(99);
        expect([...h.tracker.takeDirtyPages()]).toEqual([0]);
    });

    it('keeps existing export names and reports imports and exports', async () => {
        const named = await wat(`
          (module
            (import "ic0" "msg_reply" (func))
            (import "ic0" "mem" (memory 1))
            (table (export "callbacks") 1 funcref)
            (func (export "canister_query hello"))
            (export "heap" (memory 0)))`);
        const module = instrumentModule(named);
        expect(module.exportNames.memory).toBe('heap');
        expect(module.exportNames.table).toBe('callbacks');
        expect(module.exportNames.start).toBeUndefined();
        expect(module.imports).toEqual([
            { module: 'ic0', name: 'msg_reply', kind: 'function' },
            { module: 'ic0', name: 'mem', kind: 'memory' }
        ]);
        expect(module.exports).toEqual([
            { name: 'callbacks', kind: 'table', index: 0 },
            { name: 'canister_query hello', kind: 'function', index: 1 },
            { name: 'heap', kind: 'memory', index: 0 }
        ]);
        const compiled = new WebAssembly.Module(module.bytes);
        expect(WebAssembly.Module.imports(compiled)).toEqual(WebAssembly.Module.imports(new WebAssembly.Module(named)));
    });

    it('reports no table for modules without one', async () => {
        const module = instrumentModule(await wat('(module (memory 1) (func (export "f")))'));
        expect(module.exportNames.table).toBeUndefined();
        expect(module.exportNames.memory).toBe(ExportName.memory);
        expect(WebAssembly.validate(module.bytes)).toBe(true);
    });

    it('rejects modules that already use the reserved export prefix', async () => {
        const clash = await wat('(module (func (export "__localnet_instruction_counter")))');
        expect(() => instrumentModule(clash)).toThrow(/reserved/);
    });
});
