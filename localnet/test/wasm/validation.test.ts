/** Modules using features we do not support are rejected with a clear error, never mis-instrumented. */
import { describe, expect, it } from 'vitest';
import { instrumentModule, WasmDecodeError } from '../../src/wasm/instrument';
import { wat, watUnchecked } from './wasmTestKit';

/** Hand-assembles a module from [section id, payload] pairs (payloads shorter than 128 bytes). */
function moduleBytes(...sections: [number, number[]][]): Uint8Array<ArrayBuffer> {
    const bytes = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
    for (const [id, payload] of sections) bytes.push(id, payload.length, ...payload);
    return new Uint8Array(bytes);
}

/** One function of type () -> () with the given body instructions (no locals). */
function functionWithBody(code: number[], memory = true): Uint8Array<ArrayBuffer> {
    const body = [0x00, ...code, 0x0b];
    return moduleBytes(
        [1, [1, 0x60, 0, 0]],
        [3, [1, 0]],
        ...(memory ? [[5, [1, 0x00, 1]] as [number, number[]]] : []),
        [10, [1, body.length, ...body]]
    );
}

describe('rejected features', () => {
    it('rejects memory64', async () => {
        const bytes = await wat('(module (memory i64 1))', { memory64: true });
        expect(() => instrumentModule(bytes)).toThrow(/memory64 is not supported/);
    });

    it('rejects shared memory', async () => {
        const bytes = await watUnchecked('(module (memory 1 1 shared))', { threads: true });
        expect(() => instrumentModule(bytes)).toThrow(/shared memory \(threads\) is not supported/);
    });

    it('rejects atomics', async () => {
        const bytes = await watUnchecked('(module (memory 1) (func i32.const 0 i32.atomic.load drop))', { threads: true });
        expect(() => instrumentModule(bytes)).toThrow(/threads\/atomics \(0xFE prefix\) are not supported/);
    });

    it('rejects multiple memories', () => {
        const twoMemories = moduleBytes([5, [2, 0x00, 1, 0x00, 1]]);
        expect(() => instrumentModule(twoMemories)).toThrow(/multiple memories are not supported/);
        // i32.load with the multi-memory memarg flag (align | 0x40) naming memory 0.
        const memarg = functionWithBody([0x41, 0x00, 0x28, 0x42, 0x00, 0x00, 0x1a]);
        expect(() => instrumentModule(memarg)).toThrow(/multiple memories/);
        // memory.size with a non-zero memory index.
        expect(() => instrumentModule(functionWithBody([0x3f, 0x01, 0x1a]))).toThrow(/multiple memories/);
    });

    it('rejects exception handling', async () => {
        const bytes = await watUnchecked('(module (tag $e) (func (try (do nop) (catch $e))))', { exceptions: true });
        expect(() => instrumentModule(bytes)).toThrow(/exception handling/);
        expect(() => instrumentModule(functionWithBody([0x06, 0x40, 0x0b]))).toThrow(/unsupported opcode 0x6/);
    });

    it('rejects relaxed SIMD', async () => {
        const bytes = await watUnchecked(
            '(module (func (result v128) v128.const i64x2 0 0 v128.const i64x2 0 0 v128.const i64x2 0 0 f32x4.relaxed_madd))',
            { relaxed_simd: true }
        );
        expect(() => instrumentModule(bytes)).toThrow(/unsupported SIMD sub-opcode/);
    });

    it('rejects malformed binaries', () => {
        expect(() => instrumentModule(new Uint8Array([1, 2, 3, 4]))).toThrow(/not a wasm 1.0 binary/);
        expect(() => instrumentModule(moduleBytes([1, [5, 0x60]]))).toThrow(WasmDecodeError);
        expect(() => instrumentModule(functionWithBody([0x41]))).toThrow(WasmDecodeError); // truncated immediate
        expect(() => instrumentModule(functionWithBody([0xfc, 0x12]))).toThrow(/0xFC sub-opcode 18/);
    });

    it('accepts every supported feature together', async () => {
        const bytes = await wat(`
          (module
            (memory 1) (table 2 funcref) (table $ext 1 externref)
            (data $d "x") (elem $e func $f)
            (func $f (param i32 f32) (result i32 i32)
              local.get 0 i32.extend8_s
              local.get 1 i32.trunc_sat_f32_s
              i32.const 0 i32.const 0 i32.const 1 memory.init $d
              i32.const 0 i32.const 0 i32.const 0 memory.copy
              i32.const 0 i32.const 0 i32.const 0 memory.fill
              i32.const 0 i32.const 0 i32.const 0 table.init $e
              i32.const 0 i32.const 0 i32.const 0 table.copy
              ref.null func i32.const 0 table.grow drop
              table.size drop
              i32.const 0 ref.func $f i32.const 0 table.fill
              data.drop $d elem.drop $e
              i32.const 0 table.get $ext ref.is_null drop
              i32.const 0 ref.null extern table.set $ext
              i32.const 0 i32.const 0 i32.const 1 select (result i32) drop
              i32.const 0 v128.const i64x2 1 2 i8x16.popcnt v128.store))`);
        const instrumented = instrumentModule(bytes).bytes;
        expect(WebAssembly.validate(instrumented)).toBe(true);
    });
});
