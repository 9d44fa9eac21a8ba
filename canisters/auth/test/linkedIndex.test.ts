import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '@icp-private-assets/shared';
import { LinkedIndex } from '../src/linkedIndex';

describe('LinkedIndex', () => {
    it('behaves like an insertion-ordered map per list (newest first) under any sequence of operations', () => {
        const op = fc.oneof(
            fc.record({ kind: fc.constant('put' as const), list: fc.constantFrom('a', 'b'), member: fc.constantFrom('x', 'y', 'z', 'w'), value: fc.constantFrom('v', 'e', 'o') }),
            fc.record({ kind: fc.constant('remove' as const), list: fc.constantFrom('a', 'b'), member: fc.constantFrom('x', 'y', 'z', 'w') })
        );
        fc.assert(
            fc.property(fc.array(op, { maxLength: 60 }), fc.integer({ min: 1, max: 5 }), (ops, pageSize) => {
                const store = new MemoryStore<string>();
                const index = new LinkedIndex(store);
                const model = new Map<string, Map<string, string>>([['a', new Map()], ['b', new Map()]]);
                for (const o of ops) {
                    const list = model.get(o.list)!;
                    if (o.kind === 'put') {
                        index.put(o.list, o.member, o.value);
                        if (list.has(o.member)) list.set(o.member, o.value);
                        else {
                            const entries = [...list];
                            list.clear();
                            list.set(o.member, o.value);
                            for (const [k, v] of entries) list.set(k, v);
                        }
                    } else {
                        expect(index.remove(o.list, o.member)).toBe(list.get(o.member));
                        list.delete(o.member);
                    }
                }
                for (const [name, list] of model) {
                    expect(index.count(name)).toBe(list.size);
                    const seen: [string, string][] = [];
                    let cursor: string | undefined;
                    do {
                        const page = index.page(name, pageSize, cursor);
                        for (const e of page.entries) seen.push([e.member, e.value]);
                        cursor = page.next;
                    } while (cursor !== undefined);
                    expect(seen).toEqual([...list]);
                    expect(index.members(name)).toEqual([...list.keys()]);
                }
                // Nothing is left behind for empty lists.
                if ([...model.values()].every((l) => l.size === 0)) expect(store.map.size).toBe(0);
            }),
            { numRuns: 400 }
        );
    });

    it('refuses separators inside members and values', () => {
        const index = new LinkedIndex(new MemoryStore<string>());
        expect(() => index.put('a', 'x|y', 'v')).toThrow();
        expect(() => index.put('a', 'x', 'v|w')).toThrow();
    });
});
