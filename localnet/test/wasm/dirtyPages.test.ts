/** Dirty 4 KiB page reporting for every kind of linear-memory write, and the tracker's host API. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PAGE_SIZE } from '../../src/wasm/instrument';
import { type Harness, instantiate, wat } from './wasmTestKit';

const P = PAGE_SIZE;

const STORES = `
(module
  (memory (export "mem") 4)
  (data $d "0123456789abcdefghijklmnopqrstuvwxyz")
  (func (export "i32.store") (param i32 i32) local.get 0 local.get 1 i32.store)
  (func (export "i64.store") (param i32 i64) local.get 0 local.get 1 i64.store)
  (func (export "f32.store") (param i32 f32) local.get 0 local.get 1 f32.store)
  (func (export "f64.store") (param i32 f64) local.get 0 local.get 1 f64.store)
  (func (export "i32.store8") (param i32 i32) local.get 0 local.get 1 i32.store8)
  (func (export "i32.store16") (param i32 i32) local.get 0 local.get 1 i32.store16)
  (func (export "i64.store8") (param i32 i64) local.get 0 local.get 1 i64.store8)
  (func (export "i64.store16") (param i32 i64) local.get 0 local.get 1 i64.store16)
  (func (export "i64.store32") (param i32 i64) local.get 0 local.get 1 i64.store32)
  (func (export "v128.store") (param i32)
    local.get 0 v128.const i32x4 0x01010101 0x02020202 0x03030303 0x04040404 v128.store)
  (func (export "v128.store8_lane") (param i32)
    local.get 0 v128.const i8x16 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 v128.store8_lane 3)
  (func (export "v128.store16_lane") (param i32)
    local.get 0 v128.const i16x8 1 2 3 4 5 6 7 8 v128.store16_lane 1)
  (func (export "v128.store32_lane") (param i32)
    local.get 0 v128.const i32x4 -1 -2 -3 -4 v128.store32_lane 2)
  (func (export "v128.store64_lane") (param i32)
    local.get 0 v128.const i64x2 -1 -7 v128.store64_lane 1)
  (func (export "storeWithOffset") (param i32 i32) local.get 0 local.get 1 i32.store offset=8188)
  (func (export "v128WithOffset") (param i32)
    local.get 0 v128.const i64x2 5 6 v128.store offset=12284)
  (func (export "twoStores") (param i32 i32)
    local.get 0 i32.const 1 i32.store
    local.get 1 i32.const 2 i32.store)
  (func (export "fill") (param i32 i32) local.get 0 i32.const 0x5a local.get 1 memory.fill)
  (func (export "copy") (param i32 i32 i32) local.get 0 local.get 1 local.get 2 memory.copy)
  (func (export "init") (param i32 i32 i32) local.get 0 local.get 1 local.get 2 memory.init $d)
  (func (export "storeThenTrap") (param i32)
    local.get 0 i32.const 42 i32.store
    unreachable)
)`;

const WIDTHS: readonly [string, number, unknown][] = [
    ['i32.store', 4, 0x11223344],
    ['i64.store', 8, 0x1122334455667788n],
    ['f32.store', 4, 1.5],
    ['f64.store', 8, -2.25],
    ['i32.store8', 1, 0xab],
    ['i32.store16', 2, 0xabcd],
    ['i64.store8', 1, 0x7fn],
    ['i64.store16', 2, 0x7ffen],
    ['i64.store32', 4, 0x7ffffffen]
];

function pagesAfter(h: Harness, run: () => void): number[] {
    h.tracker.takeDirtyPages();
    run();
    return [...h.tracker.takeDirtyPages()];
}

function sameMemory(h: Harness): void {
    const plain = new Uint8Array((h.plain.exports.mem as WebAssembly.Memory).buffer);
    expect(Buffer.compare(Buffer.from(h.memory()), Buffer.from(plain))).toBe(0);
}

describe('dirty pages', async () => {
    const bytes = await wat(STORES);

    it.each(WIDTHS)('reports %s (%i bytes) within a page, across a page boundary and at the end', (name, width, value) => {
        const h = instantiate(bytes);
        const both = (address: number): number[] =>
            pagesAfter(h, () => {
                h.call(name, address, value);
                (h.plain.exports[name] as (a: number, v: unknown) => void)(address, value);
            });
        expect(both(3 * P + 100)).toEqual([3]);
        expect(both(5 * P - width)).toEqual([4]); // last bytes of page 4
        if (width > 1) expect(both(7 * P - 1)).toEqual([6, 7]); // straddles
        expect(both(4 * 65536 - width)).toEqual([63]); // last page of memory
        expect(() => h.call(name, 4 * 65536 - width + 1, value)).toThrow(/out of bounds/);
        sameMemory(h);
    });

    it.each([
        ['v128.store', 16],
        ['v128.store8_lane', 1],
        ['v128.store16_lane', 2],
        ['v128.store32_lane', 4],
        ['v128.store64_lane', 8]
    ] as const)('reports SIMD %s (%i bytes)', (name, width) => {
        const h = instantiate(bytes);
        const both = (address: number): number[] =>
            pagesAfter(h, () => {
                h.call(name, address);
                (h.plain.exports[name] as (a: number) => void)(address);
            });
        expect(both(2 * P + 8)).toEqual([2]);
        if (width > 1) expect(both(9 * P - 1)).toEqual([8, 9]);
        sameMemory(h);
    });

    it('adds the static offset to the address', () => {
        const h = instantiate(bytes);
        expect(pagesAfter(h, () => h.call('storeWithOffset', 0, 1))).toEqual([1]); // bytes 8188..8191
        expect(pagesAfter(h, () => h.call('storeWithOffset', 4, 1))).toEqual([2]);
        expect(pagesAfter(h, () => h.call('storeWithOffset', 1, 1))).toEqual([1, 2]);
        expect(pagesAfter(h, () => h.call('storeWithOffset', 10 * P, 1))).toEqual([11]);
        expect(pagesAfter(h, () => h.call('v128WithOffset', 0))).toEqual([2, 3]); // 12284 + 16 crosses 12288
        expect(pagesAfter(h, () => h.call('v128WithOffset', 4))).toEqual([3]);
    });

    it('reports memory.fill, memory.copy and memory.init over many pages', () => {
        const h = instantiate(bytes);
        const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
        expect(pagesAfter(h, () => h.call('fill', 3 * P + 100, 10 * P))).toEqual(range(3, 13));
        expect(pagesAfter(h, () => h.call('fill', 0, 4 * 65536))).toEqual(range(0, 63));
        expect(pagesAfter(h, () => h.call('fill', 5 * P, 0))).toEqual([]);
        expect(pagesAfter(h, () => h.call('copy', 20 * P - 1, 0, 2))).toEqual([19, 20]);
        expect(pagesAfter(h, () => h.call('copy', 30 * P, 3 * P, 5 * P))).toEqual(range(30, 34));
        expect(pagesAfter(h, () => h.call('init', 40 * P - 10, 0, 36))).toEqual([39, 40]);
        expect(h.memory()[40 * P - 10]).toBe('0'.charCodeAt(0));
    });

    it('reports the page before a write that then traps', () => {
        const h = instantiate(bytes);
        expect(
            pagesAfter(h, () => expect(() => h.call('storeThenTrap', 11 * P)).toThrow(/unreachable/))
        ).toEqual([11]);
    });

    it('records host writes with markRange', () => {
        const h = instantiate(bytes);
        h.tracker.markRange(2 * P - 1, 2);
        h.tracker.markRange(9 * P, 3 * P);
        h.tracker.markRange(0, 0);
        expect(h.tracker.pendingCount).toBe(5);
        expect([...h.tracker.takeDirtyPages()]).toEqual([1, 2, 9, 10, 11]);
        expect(() => h.tracker.markRange(-1, 4)).toThrow(RangeError);
    });

    it('lists each page once and clears on take', () => {
        const h = instantiate(bytes);
        h.tracker.takeDirtyPages();
        h.call('i32.store', 5 * P, 1);
        h.tracker.resetCache();
        h.call('i32.store', 5 * P + 8, 1);
        h.call('i32.store', 6 * P, 1);
        h.tracker.markRange(5 * P, 2 * P);
        expect([...h.tracker.takeDirtyPages()]).toEqual([5, 6]);
        expect([...h.tracker.takeDirtyPages()]).toEqual([]);
        // After a take the cache is reset, so a write to the previously cached page reports again.
        h.call('i32.store', 6 * P + 4, 1);
        expect([...h.tracker.takeDirtyPages()]).toEqual([6]);
    });

    it('lets the host roll memory back to a committed copy', () => {
        const h = instantiate(bytes);
        const committed = h.memory().slice();
        h.tracker.takeDirtyPages();
        h.call('fill', 17 * P + 5, 3 * P);
        h.call('i64.store', 33 * P - 3, -1n);
        expect(() => h.call('storeThenTrap', 50 * P)).toThrow();
        const memory = h.memory();
        for (const page of h.tracker.takeDirtyPages()) {
            memory.set(committed.subarray(page * P, (page + 1) * P), page * P);
        }
        expect(Buffer.compare(Buffer.from(memory), Buffer.from(committed))).toBe(0);
    });
});

describe('dirty pages, randomised', async () => {
    const bytes = await wat(STORES);
    const OPS = ['i32.store', 'i64.store', 'f64.store', 'i32.store16', 'i64.store8', 'v128.store', 'fill', 'copy'] as const;
    const SIZE = 4 * 65536;

    it('reports exactly the pages each write sequence touches, and covers every changed byte', () => {
        const h = instantiate(bytes);
        fc.assert(
            fc.property(
                fc.array(
                    fc.record({
                        op: fc.constantFrom(...OPS),
                        // Mostly near a page boundary, so cache hits and straddling writes are common.
                        address: fc.oneof(
                            fc.integer({ min: P - 20, max: P + 20 }),
                            fc.integer({ min: 0, max: 2 * P }),
                            fc.integer({ min: 0, max: SIZE - 16 })
                        ),
                        length: fc.oneof(fc.integer({ min: 0, max: 16 }), fc.integer({ min: 0, max: 3 * P }))
                    }),
                    { maxLength: 20 }
                ),
                (writes) => {
                    h.tracker.takeDirtyPages();
                    const before = h.memory().slice();
                    const expected = new Set<number>();
                    const touch = (address: number, length: number): void => {
                        for (let page = address >> 12; length > 0 && page <= (address + length - 1) >> 12; page++) {
                            expected.add(page);
                        }
                    };
                    for (const { op, address, length } of writes) {
                        const span = Math.min(length, SIZE - address);
                        if (op === 'fill') {
                            h.call('fill', address, span);
                            touch(address, span);
                        } else if (op === 'copy') {
                            h.call('copy', address, SIZE - span, span);
                            touch(address, span);
                        } else {
                            const width = { 'i32.store': 4, 'i64.store': 8, 'f64.store': 8, 'i32.store16': 2, 'i64.store8': 1, 'v128.store': 16 }[op];
                            const value = op.startsWith('i64') ? BigInt(address) : address + 0.5;
                            h.call(op, address, value);
                            touch(address, width);
                        }
                    }
                    const reported = [...h.tracker.takeDirtyPages()];
                    expect(reported).toEqual([...expected].sort((a, b) => a - b));
                    const after = Buffer.from(h.memory().buffer);
                    const original = Buffer.from(before.buffer);
                    const changed = [];
                    for (let page = 0; page < SIZE / P; page++) {
                        const range = [page * P, (page + 1) * P] as const;
                        if (original.compare(after, ...range, ...range) !== 0) changed.push(page);
                    }
                    expect(changed.filter((page) => !expected.has(page))).toEqual([]);
                }
            ),
            { numRuns: 200 }
        );
    });
});

describe('dirty page cache', async () => {
    // A stand-in tracker that counts how often the canister calls out.
    const spyBytes = await wat(`
      (module
        (import "spy" "mark" (func $log (param i32 i32)))
        (func (export "mark") (param i32 i32) local.get 0 local.get 1 call $log))`);

    async function withSpy(): Promise<{ h: Harness; calls: [number, number][] }> {
        const h = instantiate(await wat(STORES));
        const calls: [number, number][] = [];
        const spy = new WebAssembly.Instance(new WebAssembly.Module(spyBytes), {
            spy: { mark: (a: number, l: number) => void calls.push([a >>> 0, l]) }
        });
        const table = h.instrumented.instance.exports[h.module.exportNames.dirtyMarkTable] as WebAssembly.Table;
        table.set(0, spy.exports.mark);
        h.tracker.resetCache();
        return { h, calls };
    }

    it('calls out once for consecutive stores to the same page', async () => {
        const { h, calls } = await withSpy();
        h.call('twoStores', 3 * P, 3 * P + 100);
        expect(calls).toEqual([[3 * P, 4]]);
        h.call('i64.store', 3 * P + 200, 1n);
        h.call('i32.store8', 4 * P - 1, 1);
        expect(calls).toHaveLength(1);
    });

    it('calls out when the page changes, when a store straddles, and after a reset', async () => {
        const { h, calls } = await withSpy();
        h.call('twoStores', 3 * P, 5 * P);
        h.call('i32.store', 3 * P + 8, 1); // cache now holds page 5
        expect(calls).toEqual([
            [3 * P, 4],
            [5 * P, 4],
            [3 * P + 8, 4]
        ]);
        h.call('i32.store', 4 * P - 2, 1); // straddles 3|4 although page 3 is cached
        expect(calls.at(-1)).toEqual([4 * P - 2, 4]);
        h.call('i32.store', 4 * P + 8, 1); // cache holds page 4, the last page of that range
        expect(calls).toHaveLength(4);
        h.tracker.resetCache();
        h.call('i32.store', 4 * P + 8, 1);
        expect(calls).toHaveLength(5);
    });

    it('skips bulk writes inside the cached page', async () => {
        const { h, calls } = await withSpy();
        h.call('fill', 7 * P + 10, 100);
        h.call('fill', 7 * P + 500, 100);
        h.call('fill', 7 * P + 500, 0);
        expect(calls).toEqual([[7 * P + 10, 100]]);
        h.call('fill', 7 * P + 4000, 200);
        expect(calls.at(-1)).toEqual([7 * P + 4000, 200]);
    });
});
