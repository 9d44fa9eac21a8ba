/**
 * The storage interface the bucket's logic is written against. Azle's StableBTreeMap satisfies it
 * in the canister; a Map-backed implementation runs the same logic in Node tests.
 */
export interface KeyValueStore<V> {
    get(key: string): V | undefined;
    insert(key: string, value: V): unknown;
    remove(key: string): unknown;
    containsKey(key: string): boolean;
    /** Keys in ascending order; from the `startIndex`th, at most `length` of them (Azle's signature). */
    keys(startIndex?: number, length?: number): string[];
}

export class MemoryStore<V> implements KeyValueStore<V> {
    readonly map = new Map<string, V>();
    get(key: string): V | undefined {
        return this.map.get(key);
    }
    insert(key: string, value: V): void {
        this.map.set(key, value);
    }
    remove(key: string): void {
        this.map.delete(key);
    }
    containsKey(key: string): boolean {
        return this.map.has(key);
    }
    keys(startIndex = 0, length?: number): string[] {
        const sorted = [...this.map.keys()].sort();
        return sorted.slice(startIndex, length === undefined ? undefined : startIndex + length);
    }
}
