/**
 * Committed assets: metadata records, their chunks, a per-memory index and running totals, all
 * in key-value stores (stable memory in the canister). An asset's chunks are keyed by the upload
 * that produced them (its content id), so committing a new version only switches the record and
 * then drops the old chunks: readers never see a half-written asset.
 */
import type { Variant } from '@icp-private-assets/shared';
import type { KeyValueStore } from '@icp-private-assets/shared';

export interface AssetRecord {
    readonly memoryId: string;
    readonly variant: Variant;
    /** '' is the variant's default asset (a path without an asset id). */
    readonly assetId: string;
    readonly contentType: string;
    readonly size: number;
    /** Lowercase hex SHA-256 of the content: the ETag. */
    readonly sha256: string;
    readonly chunkSize: number;
    readonly chunkCount: number;
    readonly contentId: string;
    /** Nanoseconds since the epoch, as a decimal string. */
    readonly createdAt: string;
    readonly uploadedBy: string;
    /** Empty entries stored after each chunk (absent: none, as for assets stored before them). */
    readonly spacers?: number;
}

export interface StoreTotals {
    assetCount: number;
    storedBytes: number;
    reservedBytes: number;
    uploadsCommitted: number;
    assetsDeleted: number;
    nextUploadNumber: number;
}

export interface AssetStores {
    readonly assets: KeyValueStore<string>;
    readonly chunks: KeyValueStore<Uint8Array>;
    readonly memoryIndex: KeyValueStore<string>;
    readonly totals: KeyValueStore<string>;
}

const TOTALS_KEY = 'totals';

export function assetKey(memoryId: string, variant: Variant, assetId: string): string {
    return `${memoryId}/${variant}/${assetId}`;
}

export function chunkKey(contentId: string, index: number): string {
    return `${contentId}/${index.toString().padStart(8, '0')}`;
}

/**
 * Empty entries stored after each chunk's key ('~' sorts after the key itself and before the next
 * chunk's). Azle's stable B-tree (ic-stable-structures BTreeMap V2) rewrites every value of a node
 * when it saves the node, and a node holds up to 11 entries: chunks inserted next to each other
 * shared nodes, so storing a 1.9 MB chunk rewrote several others (about 6M instructions each).
 * With SPACERS_PER_CHUNK empty entries between chunks, a node holds about one chunk.
 */
export const SPACERS_PER_CHUNK = 10;
/** Spacers pay off for large chunks only, and inserting them must stay cheap at begin (≤ 20,000 entries). */
const MIN_SPACED_CHUNK_SIZE = 65_536;
const MAX_SPACED_CHUNKS = 2_000;

/** Spacers per chunk for an upload of this shape: SPACERS_PER_CHUNK or 0. */
export function spacersFor(chunkSize: number, chunkCount: number): number {
    return chunkSize >= MIN_SPACED_CHUNK_SIZE && chunkCount <= MAX_SPACED_CHUNKS ? SPACERS_PER_CHUNK : 0;
}

const spacerKey = (contentId: string, index: number, spacer: number) => `${chunkKey(contentId, index)}~${spacer}`;

export class AssetStore {
    constructor(private readonly stores: AssetStores) {}

    totals(): StoreTotals {
        const raw = this.stores.totals.get(TOTALS_KEY);
        return raw
            ? (JSON.parse(raw) as StoreTotals)
            : { assetCount: 0, storedBytes: 0, reservedBytes: 0, uploadsCommitted: 0, assetsDeleted: 0, nextUploadNumber: 1 };
    }

    updateTotals(change: (totals: StoreTotals) => void): StoreTotals {
        const totals = this.totals();
        change(totals);
        this.stores.totals.insert(TOTALS_KEY, JSON.stringify(totals));
        return totals;
    }

    find(memoryId: string, variant: Variant, assetId: string): AssetRecord | undefined {
        const raw = this.stores.assets.get(assetKey(memoryId, variant, assetId));
        return raw === undefined ? undefined : (JSON.parse(raw) as AssetRecord);
    }

    writeChunk(contentId: string, index: number, bytes: Uint8Array): void {
        this.stores.chunks.insert(chunkKey(contentId, index), bytes);
    }

    readStoredChunk(contentId: string, index: number): Uint8Array | undefined {
        return this.stores.chunks.get(chunkKey(contentId, index));
    }

    /** Stores `spacers` empty entries after each of `count` chunk slots, before any chunk arrives (inserting them next to chunks would rewrite those). */
    reserveChunkSlots(contentId: string, count: number, spacers: number): void {
        const empty = new Uint8Array(0);
        for (let i = 0; i < count; i++) for (let j = 0; j < spacers; j++) this.stores.chunks.insert(spacerKey(contentId, i, j), empty);
    }

    removeChunk(contentId: string, index: number): void {
        this.stores.chunks.remove(chunkKey(contentId, index));
    }

    /** Removes `count` chunks and their spacers: the chunks first, so that removing spacers rewrites no chunk. */
    removeChunks(contentId: string, count: number, spacers: number): void {
        for (let i = 0; i < count; i++) this.removeChunk(contentId, i);
        this.removeChunkSlots(contentId, count, spacers);
    }

    removeChunkSlots(contentId: string, count: number, spacers: number): void {
        for (let i = 0; i < count; i++) for (let j = 0; j < spacers; j++) this.stores.chunks.remove(spacerKey(contentId, i, j));
    }

    /** Bytes [start, end) of a committed asset. */
    readRange(record: AssetRecord, start: number, end: number): Uint8Array {
        // One whole stored chunk (every streamed chunk, most small assets): hand it out as read, no copy.
        if (start % record.chunkSize === 0 && (end - start === record.chunkSize || end === record.size)) {
            const chunk = this.stores.chunks.get(chunkKey(record.contentId, start / record.chunkSize));
            if (chunk && chunk.length === end - start) return chunk;
        }
        const out = new Uint8Array(Math.max(0, end - start));
        let written = 0;
        for (let index = Math.floor(start / record.chunkSize); written < out.length; index++) {
            const chunk = this.stores.chunks.get(chunkKey(record.contentId, index));
            if (!chunk) throw new Error(`asset ${assetKey(record.memoryId, record.variant, record.assetId)} is missing chunk ${index}`);
            const chunkStart = index * record.chunkSize;
            const from = Math.max(start, chunkStart) - chunkStart;
            const to = Math.min(end, chunkStart + chunk.length) - chunkStart;
            out.set(chunk.subarray(from, to), written);
            written += to - from;
        }
        return out;
    }

    /** Makes `record` the visible version of its asset; its chunks must already be stored. */
    commit(record: AssetRecord): void {
        const key = assetKey(record.memoryId, record.variant, record.assetId);
        const previous = this.find(record.memoryId, record.variant, record.assetId);
        this.stores.assets.insert(key, JSON.stringify(record));
        if (previous) this.removeChunks(previous.contentId, previous.chunkCount, previous.spacers ?? 0);
        else this.#indexAdd(record.memoryId, key);
        this.updateTotals((t) => {
            t.storedBytes += record.size - (previous?.size ?? 0);
            t.assetCount += previous ? 0 : 1;
            t.uploadsCommitted += 1;
        });
    }

    deleteAsset(memoryId: string, variant: Variant, assetId: string): AssetRecord | undefined {
        const record = this.find(memoryId, variant, assetId);
        if (!record) return undefined;
        const key = assetKey(memoryId, variant, assetId);
        this.stores.assets.remove(key);
        this.removeChunks(record.contentId, record.chunkCount, record.spacers ?? 0);
        this.#indexRemove(memoryId, key);
        this.updateTotals((t) => {
            t.storedBytes -= record.size;
            t.assetCount -= 1;
            t.assetsDeleted += 1;
        });
        return record;
    }

    /** Every committed asset of a memory, all variants. */
    listMemory(memoryId: string): AssetRecord[] {
        const records: AssetRecord[] = [];
        for (const key of this.#index(memoryId)) {
            const [, variant, assetId] = key.split('/') as [string, Variant, string];
            const record = this.find(memoryId, variant, assetId);
            if (record) records.push(record);
        }
        return records;
    }

    /** Deletes every asset of a memory; returns how many and how many bytes. */
    deleteMemory(memoryId: string): { count: number; bytes: number } {
        let count = 0;
        let bytes = 0;
        for (const key of this.#index(memoryId)) {
            const [, variant, assetId] = key.split('/') as [string, Variant, string];
            const removed = this.deleteAsset(memoryId, variant, assetId);
            if (removed) {
                count += 1;
                bytes += removed.size;
            }
        }
        this.stores.memoryIndex.remove(memoryId);
        return { count, bytes };
    }

    #index(memoryId: string): string[] {
        const raw = this.stores.memoryIndex.get(memoryId);
        return raw ? (JSON.parse(raw) as string[]) : [];
    }

    #indexAdd(memoryId: string, key: string): void {
        const keys = this.#index(memoryId);
        if (!keys.includes(key)) this.stores.memoryIndex.insert(memoryId, JSON.stringify([...keys, key]));
    }

    #indexRemove(memoryId: string, key: string): void {
        const keys = this.#index(memoryId).filter((k) => k !== key);
        if (keys.length === 0) this.stores.memoryIndex.remove(memoryId);
        else this.stores.memoryIndex.insert(memoryId, JSON.stringify(keys));
    }
}
