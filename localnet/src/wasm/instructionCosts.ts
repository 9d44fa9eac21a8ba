/**
 * The IC's static instruction weights, transcribed from `instruction_to_cost` in
 * dfinity/ic `rs/embedders/src/wasm_utils/instrumentation.rs` (the wirm-based version of 2025;
 * identical weights in the earlier ic_wasm_transform-based versions). Costs are for 32-bit
 * memories (Wasm64 doubles loads/stores there; we reject memory64). SIMD weights live with the
 * SIMD opcode table in `simdOpcodes.ts`. Anything not listed costs 1, as in the IC.
 */

/** Cost per single-byte opcode. */
export const BASE_OPCODE_COST: Uint16Array = (() => {
    const cost = new Uint16Array(256).fill(1);
    const set = (value: number, ...opcodes: number[]): void => {
        for (const op of opcodes) cost[op] = value;
    };
    const range = (from: number, to: number): number[] =>
        Array.from({ length: to - from + 1 }, (_, i) => from + i);

    // block, loop, else, end only mark structure.
    set(0, 0x02, 0x03, 0x05, 0x0b);
    // if, br, br_if, br_table
    set(2, 0x04, 0x0c, 0x0d, 0x0e);
    set(5, 0x10); // call
    set(10, 0x11); // call_indirect
    set(3, 0x12); // return_call
    set(60, 0x13); // return_call_indirect
    set(2, 0x23, 0x24); // global.get/set
    set(5, 0x25, 0x26); // table.get/set
    set(20, 0x3f); // memory.size
    set(300, 0x40); // memory.grow
    // integer div/rem
    set(10, 0x6d, 0x6e, 0x6f, 0x70, 0x7f, 0x80, 0x81, 0x82);
    // float comparisons
    set(3, ...range(0x5b, 0x66));
    // f32: abs neg ceil floor trunc nearest sqrt add sub mul div min max copysign
    set(1, 0x8b, 0x8c);
    set(2, 0x8d, 0x8e, 0x8f, 0x90, 0x92, 0x93, 0x94, 0x98);
    set(5, 0x91);
    set(3, 0x95);
    set(18, 0x96, 0x97);
    // f64: same order
    set(1, 0x99, 0x9a);
    set(2, 0x9b, 0x9c, 0x9d, 0x9e, 0xa0, 0xa1, 0xa2);
    set(8, 0x9f);
    set(5, 0xa3);
    set(18, 0xa4, 0xa5);
    set(3, 0xa6);
    // trapping float-to-int truncations
    set(20, 0xa8, 0xa9, 0xaa, 0xab, 0xae, 0xaf, 0xb0, 0xb1);
    // int-to-float conversions: signed 3, unsigned 16
    set(3, 0xb2, 0xb4, 0xb7, 0xb9);
    set(16, 0xb3, 0xb5, 0xb8, 0xba);
    set(5, 0xd1); // ref.is_null
    set(130, 0xd2); // ref.func
    return cost;
})();

/** Cost per 0xFC-prefixed sub-opcode (saturating truncations and bulk memory / table ops). */
export const MISC_OPCODE_COST: readonly number[] = [
    20, 20, 20, 20, 20, 20, 20, 20, // i32/i64.trunc_sat_*
    100, // memory.init
    300, // data.drop
    100, // memory.copy
    100, // memory.fill
    100, // table.init
    300, // elem.drop
    100, // table.copy
    300, // table.grow
    100, // table.size
    100 // table.fill
];

/** Every function body starts with this much before its first instruction (the IC's "even empty functions cost"). */
export const FUNCTION_ENTRY_COST = 1;
