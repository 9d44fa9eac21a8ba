/**
 * Instruction counts follow the IC rule (docs/metering.md): each basic block is charged at its
 * start with the sum of its instructions' weights; every function body adds 1; blocks end after
 * loop/if/else/end/br/br_if/br_table/return/unreachable. Expected numbers are worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import { countInstructions, instantiate, wat } from './wasmTestKit';

const MODULE = `
(module
  (type $unary (func (param i32) (result i32)))
  (global $g (mut i32) (i32.const 7))
  (memory 2)
  (table $t 4 funcref)
  (elem (i32.const 0) $square $negHalf)
  (data $d "hello, world")

  ;; 1 + local.get + local.get + i32.add = 4
  (func (export "add") (param i32 i32) (result i32)
    local.get 0 local.get 1 i32.add)

  ;; 1 + (1 + 1 + 10) + 16 + 8 + 20 + (2 + 1 + 1) = 61
  (func (export "mix") (param i64 i64) (result i64)
    local.get 0 local.get 1 i64.div_u
    f64.convert_i64_u
    f64.sqrt
    i64.trunc_f64_u
    global.get $g i64.extend_i32_u i64.add)

  ;; entry 1 (+ loop 0); each iteration 1+1+1+1+2 = 6
  (func (export "countdown") (param $n i32)
    (loop $l
      local.get $n i32.const 1 i32.sub local.tee $n
      br_if $l))

  ;; 1 + 3 = 4
  (func $square (type $unary) local.get 0 local.get 0 i32.mul)
  ;; 1 + 1 + 1 + 1 + 1 + 10 = 15
  (func $negHalf (type $unary) i32.const 0 local.get 0 i32.sub i32.const 2 i32.div_s)

  ;; 1 + 1 + 5 + 5 = 12, plus two calls of $square
  (func (export "twice") (param i32) (result i32)
    local.get 0 call $square call $square)

  ;; 1 + 1 + 1 + 10 = 13, plus the callee
  (func (export "indirect") (param i32 i32) (result i32)
    local.get 0 local.get 1 call_indirect (type $unary))

  ;; A: 1 + 1 + 1 + 2 = 5 (block costs 0); B (fallthrough): 1 + 1 + 1 + 1 = 4; C: 1 + 1 = 2
  (func (export "brIf") (param i32) (result i32)
    (block $b (result i32)
      i32.const 10
      local.get 0
      br_if $b
      drop
      i32.const 20 i32.const 3 i32.mul)
    i32.const 1 i32.add)

  ;; entry: 1 + 1 + if 2 = 4; then: 1 + 1 + 10 = 12; else: 1; after: 2
  (func (export "ifElse") (param i32) (result i32)
    local.get 0
    (if (result i32) (then i32.const 7 i32.const 3 i32.rem_u) (else i32.const 1))
    i32.const 2 i32.mul)

  ;; dispatch: 1 + 1 + 2 = 4; target 0: 2; target 1: 4; default: 1
  (func (export "brTable") (param i32) (result i32)
    block $b2
      block $b1
        block $b0
          local.get 0
          br_table $b0 $b1 $b2
        end
        i32.const 100 return
      end
      i32.const 20 i32.const 10 i32.mul return
    end
    i32.const 300)

  ;; 1 + 3 + 100 + len
  (func (export "fill") (param i32 i32)
    local.get 0 i32.const 171 local.get 1 memory.fill)
  ;; 1 + 3 + 100 + len
  (func (export "copy") (param i32 i32 i32)
    local.get 0 local.get 1 local.get 2 memory.copy)
  ;; 1 + 3 + 100 + len
  (func (export "init") (param i32 i32)
    local.get 0 i32.const 0 local.get 1 memory.init $d)
  ;; 1 + 3 + 100 + n
  (func (export "tableFill") (param i32)
    i32.const 0 ref.null func local.get 0 table.fill $t)

  ;; 1 + 1 + 14 (f64x2.sqrt) + 1 (f64x2.extract_lane) = 17
  (func (export "simd") (result f64)
    v128.const f64x2 16 9 f64x2.sqrt f64x2.extract_lane 1)
)`;

describe('instruction metering', async () => {
    const h = instantiate(await wat(MODULE));

    it('charges straight-line code by the IC weights', () => {
        expect(countInstructions(h, 'add', 2, 3)).toBe(4n);
        expect(countInstructions(h, 'mix', 100n, 4n)).toBe(61n);
        expect(countInstructions(h, 'simd')).toBe(17n);
    });

    it('charges every loop iteration', () => {
        expect(countInstructions(h, 'countdown', 1)).toBe(7n);
        expect(countInstructions(h, 'countdown', 10)).toBe(61n);
        expect(countInstructions(h, 'countdown', 1000)).toBe(6001n);
    });

    it('charges calls and the callee bodies', () => {
        expect(h.call('twice', 3)).toBe(81);
        expect(countInstructions(h, 'twice', 3)).toBe(12n + 4n + 4n);
        expect(countInstructions(h, 'indirect', 6, 0)).toBe(13n + 4n);
        expect(countInstructions(h, 'indirect', 6, 1)).toBe(13n + 15n);
    });

    it('charges only the blocks on the taken path', () => {
        expect(h.call('brIf', 1)).toBe(11);
        expect(countInstructions(h, 'brIf', 1)).toBe(5n + 2n);
        expect(h.call('brIf', 0)).toBe(61);
        expect(countInstructions(h, 'brIf', 0)).toBe(5n + 4n + 2n);

        expect(countInstructions(h, 'ifElse', 1)).toBe(4n + 12n + 2n);
        expect(countInstructions(h, 'ifElse', 0)).toBe(4n + 1n + 2n);

        expect(h.call('brTable', 0)).toBe(100);
        expect(countInstructions(h, 'brTable', 0)).toBe(6n);
        expect(h.call('brTable', 1)).toBe(200);
        expect(countInstructions(h, 'brTable', 1)).toBe(8n);
        expect(h.call('brTable', 7)).toBe(300);
        expect(countInstructions(h, 'brTable', 7)).toBe(5n);
    });

    it('adds the length of bulk memory and table operations at run time', () => {
        expect(countInstructions(h, 'fill', 0, 0)).toBe(104n);
        expect(countInstructions(h, 'fill', 10, 1000)).toBe(1104n);
        expect(countInstructions(h, 'fill', 0, 70000)).toBe(70104n);
        expect(countInstructions(h, 'copy', 5000, 0, 4096)).toBe(4200n);
        expect(countInstructions(h, 'init', 100, 12)).toBe(116n);
        expect(countInstructions(h, 'tableFill', 3)).toBe(107n);
    });

    it('counts the same when the instrumented code is run repeatedly', () => {
        h.instrumented.instructions = 0n;
        for (let i = 0; i < 5; i++) h.call('add', 1, 1);
        expect(h.instrumented.instructions).toBe(20n);
    });
});

describe('instruction limit', async () => {
    const bytes = await wat(MODULE);

    it('traps at the first loop header past the limit', () => {
        const h = instantiate(bytes);
        h.instrumented.instructionLimit = 60n;
        h.instrumented.instructions = 0n;
        expect(() => h.call('countdown', 100)).toThrow(/unreachable/);
        // Checks happen at 1 + 6k; the first value above 60 is 61.
        expect(h.instrumented.instructions).toBe(61n);
        expect(h.instrumented.limitExceeded).toBe(true);
    });

    it('does not trap when the total stays within the limit', () => {
        const h = instantiate(bytes);
        h.instrumented.instructionLimit = 61n;
        expect(countInstructions(h, 'countdown', 10)).toBe(61n);
        expect(h.instrumented.limitExceeded).toBe(false);
        h.instrumented.instructionLimit = 60n;
        expect(countInstructions(h, 'countdown', 9)).toBe(55n);
    });

    it('checks at function entry', () => {
        const h = instantiate(bytes);
        h.instrumented.instructionLimit = 3n;
        h.instrumented.instructions = 0n;
        expect(() => h.call('add', 1, 2)).toThrow(WebAssembly.RuntimeError);
        expect(h.instrumented.instructions).toBe(4n);
        h.instrumented.instructionLimit = 4n;
        expect(countInstructions(h, 'add', 1, 2)).toBe(4n);
    });

    it('checks after charging a bulk operation, before it runs', () => {
        const h = instantiate(bytes);
        h.instrumented.instructionLimit = 1000n;
        h.instrumented.instructions = 0n;
        expect(() => h.call('fill', 0, 5000)).toThrow(/unreachable/);
        expect(h.instrumented.instructions).toBe(5104n);
        expect(h.memory()[0]).toBe(0); // the fill did not happen
    });
});
