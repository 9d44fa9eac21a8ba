/**
 * The bucket wasm the auth canister installs on the buckets it provisions (and later upgrades),
 * uploaded by an admin in 1 MiB chunks. The chunks are exactly the IC's chunk-store chunks, so an
 * install uploads them to the new canister as they are and `install_chunked_code` checks the
 * declared SHA-256 against the module: the IC hashes natively what QuickJS could not afford to
 * (about 34B instructions for a 3.6 MB module). A module whose hash does not match is refused at
 * the first install and marked rejected.
 */
import type { KeyValueStore, Result } from '@icp-private-assets/shared';

/** The IC's chunk-store limit per chunk. */
export const WASM_CHUNK_BYTES = 1024 * 1024;
/** The IC's limit for a chunked module. */
export const MAX_WASM_BYTES = 100 * 1024 * 1024;

export type WasmState = { readonly kind: 'uploading' } | { readonly kind: 'ready' } | { readonly kind: 'verified' } | { readonly kind: 'rejected'; readonly reason: string };

export interface WasmInfo {
    /** Lowercase hex of the module's declared SHA-256. */
    readonly sha256: string;
    readonly size: number;
    readonly chunkCount: number;
    readonly state: WasmState;
}

const META = 'wasm';
const chunkKey = (index: number) => `c:${String(index).padStart(4, '0')}`;

export function chunkCountFor(size: number): number {
    return Math.ceil(size / WASM_CHUNK_BYTES);
}

export class BucketWasmStore {
    constructor(
        private readonly meta: KeyValueStore<string>,
        private readonly chunks: KeyValueStore<Uint8Array>,
        private readonly encode: (info: WasmInfo) => string,
        private readonly decode: (raw: string) => WasmInfo
    ) {}

    info(): WasmInfo | undefined {
        const raw = this.meta.get(META);
        return raw === undefined ? undefined : this.decode(raw);
    }

    /** Starts a new upload; the previous module is dropped (nothing is installed until this one is committed). */
    begin(sha256Hex: string, size: number): Result<WasmInfo, string> {
        if (!/^[0-9a-f]{64}$/.test(sha256Hex)) return { Err: 'sha256 must be 32 bytes' };
        if (!Number.isSafeInteger(size) || size < 8 || size > MAX_WASM_BYTES) return { Err: `size must be between 8 and ${MAX_WASM_BYTES} bytes` };
        for (const key of this.chunks.keys()) this.chunks.remove(key);
        const info: WasmInfo = { sha256: sha256Hex, size, chunkCount: chunkCountFor(size), state: { kind: 'uploading' } };
        this.meta.insert(META, this.encode(info));
        return { Ok: info };
    }

    /** Stores chunk `index`: every chunk is 1 MiB but the last, which holds the rest. */
    put(index: number, bytes: Uint8Array): Result<null, string> {
        const info = this.info();
        if (!info || info.state.kind !== 'uploading') return { Err: 'no bucket wasm upload in progress (begin_bucket_wasm first)' };
        if (!Number.isSafeInteger(index) || index < 0 || index >= info.chunkCount) return { Err: `chunk index must be below ${info.chunkCount}` };
        const expected = index === info.chunkCount - 1 ? info.size - index * WASM_CHUNK_BYTES : WASM_CHUNK_BYTES;
        if (bytes.length !== expected) return { Err: `chunk ${index} must be ${expected} bytes, got ${bytes.length}` };
        this.chunks.insert(chunkKey(index), bytes);
        return { Ok: null };
    }

    /** Completes the upload once every chunk is there; the hash is checked by the IC at install. */
    commit(): Result<WasmInfo, string> {
        const info = this.info();
        if (!info || info.state.kind !== 'uploading') return { Err: 'no bucket wasm upload in progress' };
        const missing = this.missing(info);
        if (missing.length > 0) return { Err: `missing chunks: ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''}` };
        const ready: WasmInfo = { ...info, state: { kind: 'ready' } };
        this.meta.insert(META, this.encode(ready));
        return { Ok: ready };
    }

    /** The module, ready to install (ready or verified), and its chunks in order. */
    installable(): { info: WasmInfo; chunks: Uint8Array[] } | undefined {
        const info = this.info();
        if (!info || (info.state.kind !== 'ready' && info.state.kind !== 'verified')) return undefined;
        const chunks: Uint8Array[] = [];
        for (let i = 0; i < info.chunkCount; i++) {
            const chunk = this.chunks.get(chunkKey(i));
            if (!chunk) return undefined;
            chunks.push(chunk);
        }
        return { info, chunks };
    }

    /** After an install: the IC accepted the module (its hash matched) or refused it. */
    settle(sha256Hex: string, outcome: { kind: 'verified' } | { kind: 'rejected'; reason: string }): void {
        const info = this.info();
        if (!info || info.sha256 !== sha256Hex || info.state.kind === 'uploading') return;
        if (info.state.kind === 'verified' && outcome.kind === 'verified') return;
        this.meta.insert(META, this.encode({ ...info, state: outcome }));
    }

    missing(info: WasmInfo): number[] {
        const missing: number[] = [];
        for (let i = 0; i < info.chunkCount; i++) if (!this.chunks.containsKey(chunkKey(i))) missing.push(i);
        return missing;
    }
}
