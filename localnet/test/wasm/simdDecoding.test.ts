/**
 * Cross-checks the SIMD opcode table (codes and immediate sizes) against wabt's assembler, so the
 * decoder skips every SIMD instruction correctly.
 */
import { describe, expect, it } from 'vitest';
import { ByteReader } from '../../src/wasm/byteReader';
import { instrumentModule } from '../../src/wasm/instrument';
import { splitSections } from '../../src/wasm/moduleSections';
import { SIMD_OPCODES, SimdImmediate } from '../../src/wasm/simdOpcodes';
import { watUnchecked } from './wasmTestKit';

const IMMEDIATE_TEXT: Record<SimdImmediate, (name: string) => string> = {
    [SimdImmediate.None]: (name) => name,
    [SimdImmediate.MemArg]: (name) => `${name} offset=7 align=1`,
    [SimdImmediate.MemArgLane]: (name) => `${name} offset=7 align=1 1`,
    [SimdImmediate.Lane]: (name) => `${name} 1`,
    [SimdImmediate.Bytes16]: (name) =>
        name === 'v128.const' ? 'v128.const i32x4 1 2 3 4' : `${name} ${Array.from({ length: 16 }, (_, i) => i).join(' ')}`
};

// memarg = align (1 byte) + offset (1 byte)
const IMMEDIATE_BYTES: Record<SimdImmediate, number> = {
    [SimdImmediate.None]: 0,
    [SimdImmediate.MemArg]: 2,
    [SimdImmediate.MemArgLane]: 3,
    [SimdImmediate.Lane]: 1,
    [SimdImmediate.Bytes16]: 16
};

describe('SIMD opcode table', () => {
    it('has the 236 opcodes of the fixed-width SIMD proposal', () => {
        expect(SIMD_OPCODES).toHaveLength(236);
        expect(new Set(SIMD_OPCODES.map((op) => op.code)).size).toBe(236);
        expect(SIMD_OPCODES.filter((op) => op.storeWidth > 0).map((op) => [op.name, op.storeWidth])).toEqual([
            ['v128.store', 16],
            ['v128.store8_lane', 1],
            ['v128.store16_lane', 2],
            ['v128.store32_lane', 4],
            ['v128.store64_lane', 8]
        ]);
    });

    it.each(SIMD_OPCODES.map((op) => [op.name, op] as const))('%s matches wabt', async (_, op) => {
        const bytes = await watUnchecked(`(module (memory 1) (func ${IMMEDIATE_TEXT[op.immediate](op.name)}))`);
        const code = splitSections(bytes).find((s) => s.id === 10)!;
        const r = new ByteReader(bytes, code.start, code.end);
        expect(r.u32()).toBe(1); // one body
        const size = r.u32();
        const bodyEnd = r.pos + size;
        expect(r.u32()).toBe(0); // no locals
        expect(r.u8()).toBe(0xfd);
        expect(r.u32()).toBe(op.code);
        expect(bodyEnd - r.pos).toBe(IMMEDIATE_BYTES[op.immediate] + 1); // immediates + end
        expect(() => instrumentModule(bytes)).not.toThrow();
    });
});
