/** The instrumented module computes the same results, memory and traps as the original. */
import { describe, expect, it } from 'vitest';
import { instantiate, wat } from './wasmTestKit';

const PROGRAMS = `
(module
  (type $binop (func (param i32 i32) (result i32)))
  (type $pair (func (param i32) (result i32 i32)))
  (memory (export "mem") 2)
  (table $fns 4 funcref)
  (elem (i32.const 0) $add $sub $mulShift $fib)
  (global $calls (mut i32) (i32.const 0))

  (func $fib (export "fib") (param $n i32) (result i32)
    global.get $calls i32.const 1 i32.add global.set $calls
    local.get $n i32.const 2 i32.lt_u
    if (result i32)
      local.get $n
    else
      local.get $n i32.const 1 i32.sub call $fib
      local.get $n i32.const 2 i32.sub call $fib
      i32.add
    end)

  ;; Fills [0, n) with a pseudo-random sequence, then folds it into a checksum.
  (func (export "checksum") (param $n i32) (param $seed i32) (result i32)
    (local $i i32) (local $x i32) (local $acc i32)
    local.get $seed local.set $x
    block $done
      loop $fill
        local.get $i local.get $n i32.ge_u br_if $done
        local.get $x i32.const 1103515245 i32.mul i32.const 12345 i32.add local.tee $x
        local.set $x
        local.get $i local.get $x i32.const 16 i32.shr_u i32.store8
        local.get $i i32.const 1 i32.add local.set $i
        br $fill
      end
    end
    i32.const 0 local.set $i
    block $done2
      loop $fold
        local.get $i i32.const 4 i32.add local.get $n i32.gt_u br_if $done2
        local.get $acc i32.const 5 i32.rotl
        local.get $i i32.load
        i32.xor local.set $acc
        local.get $i i32.const 4 i32.add local.set $i
        br $fold
      end
    end
    local.get $acc)

  (func $add (type $binop) local.get 0 local.get 1 i32.add)
  (func $sub (type $binop) local.get 0 local.get 1 i32.sub)
  (func $mulShift (type $binop) local.get 0 local.get 1 i32.mul i32.const 3 i32.shr_s)

  ;; br_table dispatch + call_indirect + typed select + multi-value block types.
  (func (export "dispatch") (param $op i32) (param $a i32) (param $b i32) (result i32)
    (local $r i32)
    block $bad
      block $ind
        block $sel
          block $multi
            local.get $op
            br_table $ind $sel $multi $bad
          end
          local.get $a
          block (type $pair) (param i32) (result i32 i32)
            local.get $b
          end
          i32.add
          local.get $a
          call $split
          i32.mul
          i32.add
          return
        end
        local.get $a local.get $b local.get $a local.get $b i32.gt_s select (result i32)
        return
      end
      local.get $a local.get $b local.get $b i32.const 3 i32.and call_indirect $fns (type $binop)
      return
    end
    unreachable)
  (func $split (type $pair) local.get 0 i32.const 1 i32.shr_u local.get 0 i32.const 1 i32.and)

  ;; Sign extension, saturating truncation, float math, memory.grow/size, bulk memory.
  (func (export "misc") (param $f f64) (param $x i64) (result i64)
    local.get $x i64.extend8_s
    local.get $f i64.trunc_sat_f64_s i64.add
    local.get $f f64.sqrt f64.const 1e30 f64.mul i64.trunc_sat_f64_u i64.xor
    memory.size i64.extend_i32_u i64.add
    i32.const 1 memory.grow drop
    i32.const 65536 i32.const 0x77 i32.const 300 memory.fill
    i32.const 70000 i32.const 65530 i32.const 20 memory.copy
    i32.const 70000 i64.load offset=8 i64.add)

  ;; SIMD: dot products written through v128.store and read back.
  (func (export "simd") (param $p i32) (result i32)
    local.get $p
    v128.const i16x8 1 2 3 4 5 6 7 8
    v128.const i16x8 8 7 6 5 4 3 2 1
    i32x4.dot_i16x8_s
    v128.store offset=16
    local.get $p
    i32.const 0xff i8x16.splat
    local.get $p v128.load offset=16 i32x4.extract_lane 3
    i8x16.replace_lane 5
    v128.store8_lane 5
    local.get $p i32.load offset=16
    local.get $p i32.load8_u i32.add)

  ;; A tail call and a trap in the middle of a write sequence.
  (func $tailLoop (param $n i32) (param $acc i32) (result i32)
    local.get $n i32.eqz
    if (result i32) local.get $acc
    else local.get $n i32.const 1 i32.sub local.get $acc local.get $n i32.add return_call $tailLoop end)
  (func (export "tailSum") (param i32) (result i32) local.get 0 i32.const 0 return_call $tailLoop)
  (func (export "divAfterStore") (param $a i32) (param $b i32) (result i32)
    i32.const 100 local.get $a i32.store
    local.get $a local.get $b i32.div_s
    i32.const 104 local.get $b i32.store)
)`;

describe('semantics are preserved', async () => {
    const bytes = await wat(PROGRAMS);

    function both(run: (exports: WebAssembly.Exports) => unknown): [unknown, unknown, boolean] {
        const h = instantiate(bytes);
        const attempt = (exports: WebAssembly.Exports): unknown => {
            try {
                return run(exports);
            } catch (error) {
                return `trap: ${(error as Error).message}`;
            }
        };
        const instrumented = attempt(h.instrumented.instance.exports);
        const plain = attempt(h.plain.exports);
        const plainMemory = new Uint8Array((h.plain.exports.mem as WebAssembly.Memory).buffer);
        const sameMemory = Buffer.compare(Buffer.from(h.memory()), Buffer.from(plainMemory)) === 0;
        return [instrumented, plain, sameMemory];
    }

    const call =
        (name: string, ...args: unknown[]) =>
        (exports: WebAssembly.Exports): unknown =>
            (exports[name] as (...a: unknown[]) => unknown)(...args);

    it.each([
        ['fib', [20], 6765],
        ['checksum', [10000, 42], undefined],
        ['checksum', [131072, 7], undefined],
        ['dispatch', [0, 9, 5], 4],
        ['dispatch', [0, 9, 6], 6],
        ['dispatch', [1, -3, 4], 4],
        ['dispatch', [2, 7, 3], undefined],
        ['dispatch', [3, 1, 1], 'trap: unreachable'],
        ['misc', [2.5e6, 0x1ffn], undefined],
        ['simd', [256], undefined],
        ['tailSum', [100000], 5000050000 | 0],
        ['divAfterStore', [7, 2], undefined],
        ['divAfterStore', [7, 0], 'trap: divide by zero']
    ] as [string, unknown[], unknown][])('%s, case %#', (name, args, expected) => {
        const [instrumented, plain, sameMemory] = both(call(name, ...args));
        expect(instrumented).toEqual(plain);
        if (expected !== undefined) expect(instrumented).toEqual(expected);
        expect(sameMemory).toBe(true);
    });

    it('traps out of bounds at the same store', () => {
        const [instrumented, plain, sameMemory] = both((e) => {
            const store = e.checksum as (n: number, seed: number) => number;
            return store(2 * 65536 + 1, 3);
        });
        expect(instrumented).toMatch(/trap: .*out of bounds/);
        expect(instrumented).toEqual(plain);
        expect(sameMemory).toBe(true);
    });
});
