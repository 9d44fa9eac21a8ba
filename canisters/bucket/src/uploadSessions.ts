/**
 * Upload sessions: begin → chunks in order → commit (or abort / expiry). Each chunk is stored and
 * hashed when it arrives; the running SHA-256 state lives in the session record, so no message
 * ever hashes more than one chunk and sessions survive upgrades. Commit checks chunk count, size
 * and hash, then makes the asset visible in one step (AssetStore.commit).
 */
import { isValidId, type Variant } from '@icp-private-assets/shared';
import type { AssetRecord, AssetStore } from './assetStore';
import type { BucketConfig } from './bucketConfig';
import type { KeyValueStore } from '@icp-private-assets/shared';
import { absorb, finish, initialHashState } from './resumableSha256';

export type UploadError =
    | { BadGrant: { code: string; detail: string } }
    | { InvalidRequest: string }
    | { TooLarge: { max: bigint; size: bigint } }
    | { StorageFull: { capacity: bigint; used: bigint } }
    | { UnknownSession: null }
    | { ExpiredSession: null }
    | { NotSessionOwner: null }
    | { ChunkOutOfOrder: { expected: number; got: number } }
    | { ChunkSizeMismatch: { index: number; expected: number; got: number } }
    | { MissingChunk: { index: number } }
    | { SizeMismatch: { expected: bigint; received: bigint } }
    | { HashMismatch: { expected: Uint8Array; actual: Uint8Array } };

export type Result<T> = { Ok: T } | { Err: UploadError };

export interface BeginRequest {
    readonly owner: string;
    readonly memoryId: string;
    readonly variant: Variant;
    readonly assetId: string;
    readonly contentType: string;
    readonly totalSize: bigint;
    readonly sha256: Uint8Array;
}

export interface SessionInfo {
    readonly uploadId: string;
    readonly chunkSize: number;
    readonly chunkCount: number;
    /** Nanoseconds since the epoch. */
    readonly expiresAt: bigint;
}

/** Left behind by an expired session so that late calls learn it expired; dropped after one more TTL. */
interface Tombstone {
    readonly id: string;
    readonly owner: string;
    readonly expired: true;
    readonly dropAfter: string;
}

interface SessionRecord {
    readonly expired?: undefined;
    readonly id: string;
    readonly owner: string;
    readonly memoryId: string;
    readonly variant: Variant;
    readonly assetId: string;
    readonly contentType: string;
    readonly totalSize: number;
    readonly expectedSha256: string;
    readonly chunkSize: number;
    readonly chunkCount: number;
    nextIndex: number;
    receivedBytes: number;
    /** Hex of the resumable hash state; after the last chunk, the final digest instead. */
    hashState: string;
    digest?: string;
    readonly createdAt: string;
    readonly expiresAt: string;
}

export const MAX_CONTENT_TYPE_LENGTH = 128;
/** token "/" token, optionally with parameters: what a Content-Type header may carry. */
const CONTENT_TYPE = /^[A-Za-z0-9!#$&^_.+-]+\/[A-Za-z0-9!#$&^_.+-]+(\s*;\s*[A-Za-z0-9!#$&^_.+-]+=("[^"\r\n]*"|[A-Za-z0-9!#$&^_.+-]+))*$/;

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const fromHex = (text: string): Uint8Array => Uint8Array.from({ length: text.length / 2 }, (_, i) => parseInt(text.slice(i * 2, i * 2 + 2), 16));

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
}

export class UploadSessions {
    constructor(
        private readonly sessions: KeyValueStore<string>,
        private readonly assets: AssetStore,
        private readonly config: () => BucketConfig,
        private readonly now: () => bigint
    ) {}

    begin(request: BeginRequest): Result<SessionInfo> {
        const config = this.config();
        if (!isValidId(request.memoryId) || (request.assetId !== '' && !isValidId(request.assetId))) {
            return { Err: { InvalidRequest: 'memory and asset ids must be 1..64 characters of [A-Za-z0-9_-]' } };
        }
        if (request.contentType.length > MAX_CONTENT_TYPE_LENGTH || !CONTENT_TYPE.test(request.contentType)) {
            return { Err: { InvalidRequest: 'content_type must be a media type such as image/jpeg' } };
        }
        if (request.sha256.length !== 32) return { Err: { InvalidRequest: 'sha256 must be 32 bytes' } };
        if (request.totalSize < 1n) return { Err: { InvalidRequest: 'total_size must be at least 1 byte' } };
        if (request.totalSize > BigInt(config.maxAssetSize)) {
            return { Err: { TooLarge: { max: BigInt(config.maxAssetSize), size: request.totalSize } } };
        }
        const totalSize = Number(request.totalSize);
        const totals = this.assets.totals();
        if (totals.storedBytes + totals.reservedBytes + totalSize > config.capacityBytes) {
            return {
                Err: { StorageFull: { capacity: BigInt(config.capacityBytes), used: BigInt(totals.storedBytes + totals.reservedBytes) } }
            };
        }
        const now = this.now();
        const expiresAt = now + BigInt(config.sessionTtlSeconds) * 1_000_000_000n;
        const updated = this.assets.updateTotals((t) => {
            t.reservedBytes += totalSize;
            t.nextUploadNumber += 1;
        });
        const record: SessionRecord = {
            id: `u${updated.nextUploadNumber - 1}`,
            owner: request.owner,
            memoryId: request.memoryId,
            variant: request.variant,
            assetId: request.assetId,
            contentType: request.contentType,
            totalSize,
            expectedSha256: hex(request.sha256),
            chunkSize: config.chunkSize,
            chunkCount: Math.ceil(totalSize / config.chunkSize),
            nextIndex: 0,
            receivedBytes: 0,
            hashState: hex(initialHashState()),
            createdAt: now.toString(),
            expiresAt: expiresAt.toString()
        };
        this.#save(record);
        return { Ok: { uploadId: record.id, chunkSize: record.chunkSize, chunkCount: record.chunkCount, expiresAt } };
    }

    chunk(owner: string, uploadId: string, index: number, bytes: Uint8Array): Result<{ receivedBytes: bigint }> {
        const found = this.#open(owner, uploadId);
        if ('Err' in found) return found;
        const session = found.Ok;
        // A retry of the chunk just accepted (its reply was lost) is acknowledged again.
        if (index === session.nextIndex - 1) {
            const stored = this.assets.readStoredChunk(session.id, index);
            if (stored && bytesEqual(stored, bytes)) return { Ok: { receivedBytes: BigInt(session.receivedBytes) } };
        }
        if (index !== session.nextIndex) return { Err: { ChunkOutOfOrder: { expected: session.nextIndex, got: index } } };
        const last = index === session.chunkCount - 1;
        const expectedSize = last ? session.totalSize - index * session.chunkSize : session.chunkSize;
        if (bytes.length !== expectedSize) {
            return { Err: { ChunkSizeMismatch: { index, expected: expectedSize, got: bytes.length } } };
        }
        const state = fromHex(session.hashState);
        if (last) session.digest = hex(finish(state, bytes));
        else session.hashState = hex(absorb(state, bytes));
        this.assets.writeChunk(session.id, index, bytes);
        session.nextIndex += 1;
        session.receivedBytes += bytes.length;
        this.#save(session);
        return { Ok: { receivedBytes: BigInt(session.receivedBytes) } };
    }

    commit(owner: string, uploadId: string): Result<AssetRecord> {
        const found = this.#open(owner, uploadId);
        if ('Err' in found) return found;
        const session = found.Ok;
        if (session.nextIndex < session.chunkCount) return { Err: { MissingChunk: { index: session.nextIndex } } };
        if (session.receivedBytes !== session.totalSize) {
            this.#discard(session);
            return { Err: { SizeMismatch: { expected: BigInt(session.totalSize), received: BigInt(session.receivedBytes) } } };
        }
        if (session.digest !== session.expectedSha256) {
            this.#discard(session);
            return { Err: { HashMismatch: { expected: fromHex(session.expectedSha256), actual: fromHex(session.digest ?? '') } } };
        }
        const record: AssetRecord = {
            memoryId: session.memoryId,
            variant: session.variant,
            assetId: session.assetId,
            contentType: session.contentType,
            size: session.totalSize,
            sha256: session.expectedSha256,
            chunkSize: session.chunkSize,
            chunkCount: session.chunkCount,
            contentId: session.id,
            createdAt: this.now().toString(),
            uploadedBy: session.owner
        };
        this.sessions.remove(session.id);
        this.assets.updateTotals((t) => {
            t.reservedBytes -= session.totalSize;
        });
        this.assets.commit(record);
        return { Ok: record };
    }

    abort(owner: string, uploadId: string): Result<null> {
        const found = this.#open(owner, uploadId);
        if ('Err' in found) return found;
        this.#discard(found.Ok);
        return { Ok: null };
    }

    /** Expires sessions past their deadline (freeing chunks and reservations); returns how many. */
    expire(): number {
        const now = this.now();
        let expired = 0;
        for (const id of this.sessions.keys()) {
            const entry = this.#load(id);
            if (!entry) continue;
            if (entry.expired) {
                if (BigInt(entry.dropAfter) <= now) this.sessions.remove(id);
            } else if (BigInt(entry.expiresAt) <= now) {
                this.#expire(entry);
                expired += 1;
            }
        }
        return expired;
    }

    openSessions(): number {
        return this.sessions.keys().filter((id) => !this.#load(id)?.expired).length;
    }

    #open(owner: string, uploadId: string): Result<SessionRecord> {
        const session = this.#load(uploadId);
        if (!session) return { Err: { UnknownSession: null } };
        if (session.owner !== owner) return { Err: { NotSessionOwner: null } };
        if (session.expired) return { Err: { ExpiredSession: null } };
        if (BigInt(session.expiresAt) <= this.now()) {
            this.#expire(session);
            return { Err: { ExpiredSession: null } };
        }
        return { Ok: session };
    }

    #load(id: string): SessionRecord | Tombstone | undefined {
        const raw = this.sessions.get(id);
        return raw === undefined ? undefined : (JSON.parse(raw) as SessionRecord | Tombstone);
    }

    #expire(session: SessionRecord): void {
        this.#discard(session);
        const dropAfter = this.now() + BigInt(this.config().sessionTtlSeconds) * 1_000_000_000n;
        const tombstone: Tombstone = { id: session.id, owner: session.owner, expired: true, dropAfter: dropAfter.toString() };
        this.sessions.insert(session.id, JSON.stringify(tombstone));
    }

    #save(session: SessionRecord): void {
        this.sessions.insert(session.id, JSON.stringify(session));
    }

    #discard(session: SessionRecord): void {
        this.assets.removeChunks(session.id, session.nextIndex);
        this.sessions.remove(session.id);
        this.assets.updateTotals((t) => {
            t.reservedBytes -= session.totalSize;
        });
    }
}
