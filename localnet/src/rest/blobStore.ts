/**
 * The server-wide blob store behind POST/GET /blobstore. As in PocketIC, blobs are shared by all
 * instances and keyed by the SHA-256 of the uploaded bytes (compressed bytes if gzip-encoded);
 * clients pass the hex id back (as base64 of the hash bytes) e.g. to update/set_stable_memory.
 */
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { RestError } from './errors';

export type BlobCompression = 'gzip' | 'none';

export interface StoredBlob {
    readonly data: Uint8Array;
    readonly compression: BlobCompression;
}

export class BlobStore {
    private readonly blobs = new Map<string, StoredBlob>();

    /** Stores the blob and returns its id as lowercase hex. */
    store(blob: StoredBlob): string {
        const id = createHash('sha256').update(blob.data).digest('hex');
        this.blobs.set(id, blob);
        return id;
    }

    fetch(hexId: string): StoredBlob | undefined {
        return this.blobs.get(hexId.toLowerCase());
    }

    /** The uncompressed contents of a blob referenced by its raw id bytes; 400 if unknown or corrupt. */
    contents(id: Uint8Array): Uint8Array {
        const hexId = Buffer.from(id).toString('hex');
        const blob = this.fetch(hexId);
        if (!blob) throw new RestError(400, `BlobNotFound(${hexId})`);
        if (blob.compression === 'none') return blob.data;
        try {
            return new Uint8Array(gunzipSync(blob.data));
        } catch (error) {
            throw new RestError(400, `Blob ${hexId} is not valid gzip: ${(error as Error).message}`);
        }
    }

    get size(): number {
        return this.blobs.size;
    }
}
