/**
 * Many small lists ("the memories of principal P", "the grantees of memory M") kept as doubly
 * linked lists inside one key-value map. Azle's stable B-tree map has no key-range scans, so a
 * list cannot be read by prefix; storing each list as one array would rewrite it on every change.
 * Here adding, updating and removing an entry are O(1) reads and writes, and reading a page costs
 * one read per entry. Newest entries come first.
 *
 * Layout (all ASCII): head `<list>` → `first|last|count`; entry `<list>\u0001<member>` →
 * `prev|next|value`. Members must not contain `|` or `\u0001`.
 */
import type { KeyValueStore } from '@icp-private-assets/shared';

const SEP = '\u0001';

export interface ListPage {
    readonly entries: readonly { readonly member: string; readonly value: string }[];
    /** Member to continue from (exclusive), when more entries follow. */
    readonly next?: string;
}

interface Entry {
    prev: string;
    next: string;
    value: string;
}

export class LinkedIndex {
    constructor(private readonly store: KeyValueStore<string>) {}

    get(list: string, member: string): string | undefined {
        return this.#entry(list, member)?.value;
    }

    count(list: string): number {
        return this.#head(list)?.count ?? 0;
    }

    /** Adds `member` at the front, or updates its value in place if present. */
    put(list: string, member: string, value: string): void {
        if (member.includes('|') || member.includes(SEP)) throw new Error('list members must not contain | or \\u0001');
        if (value.includes('|')) throw new Error('list values must not contain |');
        const existing = this.#entry(list, member);
        if (existing) {
            this.#writeEntry(list, member, { ...existing, value });
            return;
        }
        const head = this.#head(list) ?? { first: '', last: '', count: 0 };
        this.#writeEntry(list, member, { prev: '', next: head.first, value });
        if (head.first !== '') {
            const first = this.#entry(list, head.first)!;
            this.#writeEntry(list, head.first, { ...first, prev: member });
        }
        this.#writeHead(list, { first: member, last: head.last === '' ? member : head.last, count: head.count + 1 });
    }

    /** Removes `member`; returns its value if it was present. */
    remove(list: string, member: string): string | undefined {
        const entry = this.#entry(list, member);
        if (!entry) return undefined;
        const head = this.#head(list)!;
        if (entry.prev !== '') {
            const prev = this.#entry(list, entry.prev)!;
            this.#writeEntry(list, entry.prev, { ...prev, next: entry.next });
        }
        if (entry.next !== '') {
            const next = this.#entry(list, entry.next)!;
            this.#writeEntry(list, entry.next, { ...next, prev: entry.prev });
        }
        this.store.remove(`${list}${SEP}${member}`);
        const count = head.count - 1;
        if (count === 0) this.store.remove(list);
        else {
            this.#writeHead(list, {
                first: head.first === member ? entry.next : head.first,
                last: head.last === member ? entry.prev : head.last,
                count
            });
        }
        return entry.value;
    }

    /** Up to `limit` entries, starting after `after` (or at the front). */
    page(list: string, limit: number, after?: string): ListPage {
        let cursor: string;
        if (after === undefined) cursor = this.#head(list)?.first ?? '';
        else cursor = this.#entry(list, after)?.next ?? '';
        const entries: { member: string; value: string }[] = [];
        while (cursor !== '' && entries.length < limit) {
            const entry = this.#entry(list, cursor);
            if (!entry) break;
            entries.push({ member: cursor, value: entry.value });
            cursor = entry.next;
        }
        return cursor !== '' ? { entries, next: entries[entries.length - 1]?.member } : { entries };
    }

    /** Every member (for deleting a whole list). */
    members(list: string): string[] {
        const out: string[] = [];
        let cursor = this.#head(list)?.first ?? '';
        while (cursor !== '') {
            out.push(cursor);
            cursor = this.#entry(list, cursor)?.next ?? '';
        }
        return out;
    }

    #head(list: string): { first: string; last: string; count: number } | undefined {
        const raw = this.store.get(list);
        if (raw === undefined) return undefined;
        const [first = '', last = '', count = '0'] = raw.split('|');
        return { first, last, count: Number(count) };
    }

    #writeHead(list: string, head: { first: string; last: string; count: number }): void {
        this.store.insert(list, `${head.first}|${head.last}|${head.count}`);
    }

    #entry(list: string, member: string): Entry | undefined {
        const raw = this.store.get(`${list}${SEP}${member}`);
        if (raw === undefined) return undefined;
        const [prev = '', next = '', value = ''] = raw.split('|');
        return { prev, next, value };
    }

    #writeEntry(list: string, member: string, entry: Entry): void {
        this.store.insert(`${list}${SEP}${member}`, `${entry.prev}|${entry.next}|${entry.value}`);
    }
}
