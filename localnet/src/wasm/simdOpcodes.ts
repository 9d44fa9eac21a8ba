/**
 * The fixed-width SIMD instruction set (0xFD prefix): immediates, IC cost and, for stores, the
 * number of bytes written. Costs are the SIMD arm of the IC's `instruction_to_cost`
 * (dfinity/ic rs/embedders/src/wasm_utils/instrumentation.rs). Relaxed SIMD (0x100+) is not
 * included: Node 20 does not enable it, so such modules are rejected as undecodable.
 */

export const SimdImmediate = {
    None: 0,
    MemArg: 1,
    MemArgLane: 2,
    Lane: 3,
    Bytes16: 4
} as const;
export type SimdImmediate = (typeof SimdImmediate)[keyof typeof SimdImmediate];

export interface SimdOpcode {
    readonly code: number;
    readonly name: string;
    readonly immediate: SimdImmediate;
    readonly cost: number;
    /** Bytes written to linear memory, for store instructions. */
    readonly storeWidth: number;
}

// code name immediate(- m ml l b16) cost [store width]
const TABLE = `
00 v128.load m 1
01 v128.load8x8_s m 1
02 v128.load8x8_u m 1
03 v128.load16x4_s m 1
04 v128.load16x4_u m 1
05 v128.load32x2_s m 1
06 v128.load32x2_u m 1
07 v128.load8_splat m 1
08 v128.load16_splat m 1
09 v128.load32_splat m 1
0a v128.load64_splat m 1
0b v128.store m 1 16
0c v128.const b16 1
0d i8x16.shuffle b16 3
0e i8x16.swizzle - 1
0f i8x16.splat - 1
10 i16x8.splat - 1
11 i32x4.splat - 1
12 i64x2.splat - 1
13 f32x4.splat - 1
14 f64x2.splat - 1
15 i8x16.extract_lane_s l 1
16 i8x16.extract_lane_u l 1
17 i8x16.replace_lane l 1
18 i16x8.extract_lane_s l 1
19 i16x8.extract_lane_u l 1
1a i16x8.replace_lane l 1
1b i32x4.extract_lane l 1
1c i32x4.replace_lane l 1
1d i64x2.extract_lane l 1
1e i64x2.replace_lane l 1
1f f32x4.extract_lane l 1
20 f32x4.replace_lane l 1
21 f64x2.extract_lane l 1
22 f64x2.replace_lane l 1
23 i8x16.eq - 1
24 i8x16.ne - 1
25 i8x16.lt_s - 1
26 i8x16.lt_u - 2
27 i8x16.gt_s - 1
28 i8x16.gt_u - 2
29 i8x16.le_s - 1
2a i8x16.le_u - 1
2b i8x16.ge_s - 1
2c i8x16.ge_u - 1
2d i16x8.eq - 1
2e i16x8.ne - 1
2f i16x8.lt_s - 1
30 i16x8.lt_u - 2
31 i16x8.gt_s - 1
32 i16x8.gt_u - 2
33 i16x8.le_s - 1
34 i16x8.le_u - 1
35 i16x8.ge_s - 1
36 i16x8.ge_u - 1
37 i32x4.eq - 1
38 i32x4.ne - 1
39 i32x4.lt_s - 1
3a i32x4.lt_u - 2
3b i32x4.gt_s - 1
3c i32x4.gt_u - 2
3d i32x4.le_s - 1
3e i32x4.le_u - 1
3f i32x4.ge_s - 1
40 i32x4.ge_u - 1
41 f32x4.eq - 1
42 f32x4.ne - 1
43 f32x4.lt - 1
44 f32x4.gt - 1
45 f32x4.le - 1
46 f32x4.ge - 1
47 f64x2.eq - 1
48 f64x2.ne - 1
49 f64x2.lt - 1
4a f64x2.gt - 1
4b f64x2.le - 1
4c f64x2.ge - 1
4d v128.not - 1
4e v128.and - 1
4f v128.andnot - 1
50 v128.or - 1
51 v128.xor - 1
52 v128.bitselect - 1
53 v128.any_true - 1
54 v128.load8_lane ml 1
55 v128.load16_lane ml 1
56 v128.load32_lane ml 1
57 v128.load64_lane ml 1
58 v128.store8_lane ml 1 1
59 v128.store16_lane ml 1 2
5a v128.store32_lane ml 1 4
5b v128.store64_lane ml 1 8
5c v128.load32_zero m 1
5d v128.load64_zero m 1
5e f32x4.demote_f64x2_zero - 1
5f f64x2.promote_low_f32x4 - 1
60 i8x16.abs - 1
61 i8x16.neg - 1
62 i8x16.popcnt - 3
63 i8x16.all_true - 1
64 i8x16.bitmask - 1
65 i8x16.narrow_i16x8_s - 1
66 i8x16.narrow_i16x8_u - 1
67 f32x4.ceil - 2
68 f32x4.floor - 2
69 f32x4.trunc - 2
6a f32x4.nearest - 2
6b i8x16.shl - 3
6c i8x16.shr_s - 3
6d i8x16.shr_u - 2
6e i8x16.add - 1
6f i8x16.add_sat_s - 1
70 i8x16.add_sat_u - 1
71 i8x16.sub - 1
72 i8x16.sub_sat_s - 1
73 i8x16.sub_sat_u - 1
74 f64x2.ceil - 2
75 f64x2.floor - 2
76 i8x16.min_s - 1
77 i8x16.min_u - 1
78 i8x16.max_s - 1
79 i8x16.max_u - 1
7a f64x2.trunc - 2
7b i8x16.avgr_u - 1
7c i16x8.extadd_pairwise_i8x16_s - 1
7d i16x8.extadd_pairwise_i8x16_u - 2
7e i32x4.extadd_pairwise_i16x8_s - 1
7f i32x4.extadd_pairwise_i16x8_u - 3
80 i16x8.abs - 1
81 i16x8.neg - 1
82 i16x8.q15mulr_sat_s - 1
83 i16x8.all_true - 1
84 i16x8.bitmask - 1
85 i16x8.narrow_i32x4_s - 1
86 i16x8.narrow_i32x4_u - 1
87 i16x8.extend_low_i8x16_s - 1
88 i16x8.extend_high_i8x16_s - 1
89 i16x8.extend_low_i8x16_u - 1
8a i16x8.extend_high_i8x16_u - 1
8b i16x8.shl - 2
8c i16x8.shr_s - 2
8d i16x8.shr_u - 2
8e i16x8.add - 1
8f i16x8.add_sat_s - 1
90 i16x8.add_sat_u - 1
91 i16x8.sub - 1
92 i16x8.sub_sat_s - 1
93 i16x8.sub_sat_u - 1
94 f64x2.nearest - 2
95 i16x8.mul - 1
96 i16x8.min_s - 1
97 i16x8.min_u - 1
98 i16x8.max_s - 1
99 i16x8.max_u - 1
9b i16x8.avgr_u - 1
9c i16x8.extmul_low_i8x16_s - 1
9d i16x8.extmul_high_i8x16_s - 2
9e i16x8.extmul_low_i8x16_u - 1
9f i16x8.extmul_high_i8x16_u - 2
a0 i32x4.abs - 1
a1 i32x4.neg - 1
a3 i32x4.all_true - 1
a4 i32x4.bitmask - 1
a7 i32x4.extend_low_i16x8_s - 1
a8 i32x4.extend_high_i16x8_s - 1
a9 i32x4.extend_low_i16x8_u - 1
aa i32x4.extend_high_i16x8_u - 1
ab i32x4.shl - 2
ac i32x4.shr_s - 2
ad i32x4.shr_u - 2
ae i32x4.add - 1
b1 i32x4.sub - 1
b5 i32x4.mul - 2
b6 i32x4.min_s - 1
b7 i32x4.min_u - 1
b8 i32x4.max_s - 1
b9 i32x4.max_u - 1
ba i32x4.dot_i16x8_s - 1
bc i32x4.extmul_low_i16x8_s - 2
bd i32x4.extmul_high_i16x8_s - 2
be i32x4.extmul_low_i16x8_u - 2
bf i32x4.extmul_high_i16x8_u - 2
c0 i64x2.abs - 1
c1 i64x2.neg - 1
c3 i64x2.all_true - 1
c4 i64x2.bitmask - 1
c7 i64x2.extend_low_i32x4_s - 1
c8 i64x2.extend_high_i32x4_s - 1
c9 i64x2.extend_low_i32x4_u - 1
ca i64x2.extend_high_i32x4_u - 1
cb i64x2.shl - 2
cc i64x2.shr_s - 3
cd i64x2.shr_u - 2
ce i64x2.add - 1
d1 i64x2.sub - 1
d5 i64x2.mul - 4
d6 i64x2.eq - 1
d7 i64x2.ne - 1
d8 i64x2.lt_s - 1
d9 i64x2.gt_s - 1
da i64x2.le_s - 1
db i64x2.ge_s - 1
dc i64x2.extmul_low_i32x4_s - 1
dd i64x2.extmul_high_i32x4_s - 1
de i64x2.extmul_low_i32x4_u - 1
df i64x2.extmul_high_i32x4_u - 1
e0 f32x4.abs - 2
e1 f32x4.neg - 2
e3 f32x4.sqrt - 5
e4 f32x4.add - 2
e5 f32x4.sub - 2
e6 f32x4.mul - 2
e7 f32x4.div - 10
e8 f32x4.min - 4
e9 f32x4.max - 4
ea f32x4.pmin - 1
eb f32x4.pmax - 1
ec f64x2.abs - 2
ed f64x2.neg - 2
ef f64x2.sqrt - 14
f0 f64x2.add - 2
f1 f64x2.sub - 2
f2 f64x2.mul - 2
f3 f64x2.div - 12
f4 f64x2.min - 4
f5 f64x2.max - 5
f6 f64x2.pmin - 1
f7 f64x2.pmax - 1
f8 i32x4.trunc_sat_f32x4_s - 2
f9 i32x4.trunc_sat_f32x4_u - 4
fa f32x4.convert_i32x4_s - 1
fb f32x4.convert_i32x4_u - 4
fc i32x4.trunc_sat_f64x2_s_zero - 2
fd i32x4.trunc_sat_f64x2_u_zero - 3
fe f64x2.convert_low_i32x4_s - 1
ff f64x2.convert_low_i32x4_u - 1
`;

const IMMEDIATES: Readonly<Record<string, SimdImmediate>> = {
    '-': SimdImmediate.None,
    m: SimdImmediate.MemArg,
    ml: SimdImmediate.MemArgLane,
    l: SimdImmediate.Lane,
    b16: SimdImmediate.Bytes16
};

export const SIMD_OPCODES: readonly SimdOpcode[] = TABLE.trim()
    .split('\n')
    .map((line) => {
        const [code, name, immediate, cost, storeWidth] = line.trim().split(/\s+/);
        return {
            code: parseInt(code!, 16),
            name: name!,
            immediate: IMMEDIATES[immediate!]!,
            cost: Number(cost),
            storeWidth: storeWidth === undefined ? 0 : Number(storeWidth)
        };
    });

/** Lookup by sub-opcode; holes (reserved codes) are undefined. */
export const SIMD_BY_CODE: readonly (SimdOpcode | undefined)[] = (() => {
    const byCode: (SimdOpcode | undefined)[] = new Array(256).fill(undefined);
    for (const op of SIMD_OPCODES) byCode[op.code] = op;
    return byCode;
})();
