/**
 * Upload sessions (docs/bucket-interface.md, "Uploads"): begin → chunks in any order, several in
 * flight → commit (or abort / expiry). The bucket never hashes content: the uploader declares the
 * SHA-256 at begin and it becomes the ETag ("Integrity" in the interface document). Commit checks
 * that every chunk arrived and the sizes add up, then makes the asset visible in one step
 * (AssetStore.commit), so no partial asset is ever served.
 *
 * Bounds, so that sessions cannot hold a bucket hostage: a caller may have MAX_SESSIONS_PER_CALLER
 * open sessions, a memory MAX_SESSIONS_PER_MEMORY; a session holds at most RESERVED_CHUNKS_AHEAD
 * chunks of capacity beyond the bytes it has actually received.
 */
import { bytesToHex as hex, hexToBytes as fromHex } from '@noble/hashes/utils';
import { checkContentType, constantTimeEqual, isValidId, type KeyValueStore, type Variant } from '@icp-private-assets/shared';
import { spacersFor, type AssetRecord, type AssetStore } from './assetStore';
import type { BucketConfig } from './bucketConfig';
import { chunksPresent, emptyBitmap, firstMissing, hasChunk, prefixBitmap, withChunk } from './chunkBitmap';

/** Open sessions one principal may have at once: a browser uploading a folder keeps a few files (4 variants each) in flight. */
export const MAX_SESSIONS_PER_CALLER = 32;
/** Open sessions on one memory at once, all uploaders together. */
export const MAX_SESSIONS_PER_MEMORY = 64;
/** Capacity a session holds beyond what it received: enough for a client's chunks in flight (4 by default). */
export const RESERVED_CHUNKS_AHEAD = 4;
/** Keeps the received-chunk bitmap of a session small (65,536 chunks of 1.9 MB is 124 GB). */
export const MAX_CHUNKS_PER_SESSION = 65_536;
/** Sessions the expiry sweep handles per run (each may free many chunks). */
const SWEEP_BATCH = 100;

export type UploadError =
    | { BadGrant: { code: string; detail: string } }
    | { InvalidRequest: string }
    | { UnsupportedContentType: { content_type: string } }
    | { TooLarge: { max: bigint; size: bigint } }
    | { StorageFull: { capacity: bigint; used: bigint } }
    | { TooManyUploads: { scope: { caller: null } | { memory: null }; limit: number } }
    | { UnknownSession: null }
    | { ExpiredSession: null }
    | { NotSessionOwner: null }
    | { ChunkOutOfRange: { index: number; chunk_count: number } }
    | { ChunkSizeMismatch: { index: number; expected: number; got: number } }
    | { ChunkConflict: { index: number } }
    | { MissingChunk: { index: number } }
    | { SizeMismatch: { expected: bigint; received: bigint } };

export type Result<T> = { Ok: T } | { Err: UploadError };

export interface BeginRequest {
    readonly owner: string;
    readonly memoryId: string;
    readonly variant: Variant;
    readonly assetId: string;
    readonly contentType: string;
    readonly totalSize: bigint;
    readonly sha256: Uint8Array;
    /** `iat` of the upload grant: a revocation after it voids the session. */
    readonly grantIssuedAt: number;
}

export interface SessionInfo {
    readonly uploadId: string;
    readonly chunkSize: number;
    readonly chunkCount: number;
    /** Nanoseconds since the epoch. */
    readonly expiresAt: bigint;
    /** True when begin found this caller's open session for the same content and returned it. */
    readonly resumed: boolean;
}

export interface SessionStatus extends SessionInfo {
    readonly memoryId: string;
    readonly variant: Variant;
    readonly assetId: string;
    readonly contentType: string;
    readonly totalSize: number;
    readonly sha256: Uint8Array;
    /** Indexes of the chunks already stored, ascending. */
    readonly receivedChunks: number[];
    readonly receivedBytes: number;
}

/** The stored form of a session (version 2: chunks in any order, no hashing). */
interface SessionRecord {
    readonly v: 2;
    readonly expired?: undefined;
    readonly id: string;
    readonly owner: string;
    readonly memoryId: string;
    readonly variant: Variant;
    readonly assetId: string;
    readonly contentType: string;
    readonly totalSize: number;
    /** Declared SHA-256, lowercase hex. */
    readonly sha256: string;
    readonly chunkSize: number;
    readonly chunkCount: number;
    received: string;
    receivedCount: number;
    receivedBytes: number;
    /** Capacity held for this session (counted in the totals' reservedBytes); ≥ receivedBytes. */
    reservedBytes: number;
    readonly grantIssuedAt: number;
    /** Empty entries stored after each chunk slot (assetStore.ts, spacersFor). */
    readonly spacers?: number;
    readonly createdAt: string;
    expiresAt: string;
}

/** Left behind by an expired session so that late calls learn it expired; dropped after one more TTL. */
interface Tombstone {
    readonly v: 2;
    readonly id: string;
    readonly owner: string;
    readonly expired: true;
    readonly dropAfter: string;
}

/** Version 1 (sessions hashed chunks in order); read only to migrate sessions open during an upgrade. */
interface SessionRecordV1 {
    readonly v?: undefined;
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
    readonly nextIndex: number;
    readonly receivedBytes: number;
    readonly createdAt: string;
    readonly expiresAt: string;
}

interface TombstoneV1 {
    readonly v?: undefined;
    readonly id: string;
    readonly owner: string;
    readonly expired: true;
    readonly dropAfter: string;
}

export interface SessionStores {
    /** upload id → session record or tombstone (JSON). */
    readonly sessions: KeyValueStore<string>;
    /** Counters and the one-session-per-target index (see the key functions below). */
    readonly index: KeyValueStore<string>;
    /** Deadlines in time order: `<20-digit nanoseconds>/<upload id>` → ''. */
    readonly deadlines: KeyValueStore<string>;
}

const callerKey = (owner: string) => `c/${owner}`;
const memoryKey = (memoryId: string) => `m/${memoryId}`;
const targetKey = (s: { owner: string; memoryId: string; variant: string; assetId: string }) => `t/${s.owner}/${s.memoryId}/${s.variant}/${s.assetId}`;
const OPEN_KEY = 'open';
const LAYOUT_KEY = 'layout';
const deadlineKey = (at: bigint | string, id: string) => `${String(at).padStart(20, '0')}/${id}`;

export class UploadSessions {
    constructor(
        private readonly stores: SessionStores,
        private readonly assets: AssetStore,
        private readonly config: () => BucketConfig,
        private readonly now: () => bigint,
        /** Tokens for the memory issued before this second are void (pushed revocations). */
        private readonly revokedBefore: (memoryId: string) => number | undefined = () => undefined
    ) {}

    begin(request: BeginRequest): Result<SessionInfo> {
        const config = this.config();
        if (!isValidId(request.memoryId) || (request.assetId !== '' && !isValidId(request.assetId))) {
            return { Err: { InvalidRequest: 'memory and asset ids must be 1..64 characters of [A-Za-z0-9_-]' } };
        }
        const type = checkContentType(request.contentType);
        if (!type.ok && type.reason === 'malformed') return { Err: { InvalidRequest: 'content_type must be a media type such as image/jpeg' } };
        if (!type.ok) return { Err: { UnsupportedContentType: { content_type: request.contentType } } };
        if (request.sha256.length !== 32) return { Err: { InvalidRequest: 'sha256 must be 32 bytes' } };
        if (request.totalSize < 1n) return { Err: { InvalidRequest: 'total_size must be at least 1 byte' } };
        const chunkCount = Math.ceil(Number(request.totalSize) / config.chunkSize);
        if (request.totalSize > BigInt(config.maxAssetSize) || chunkCount > MAX_CHUNKS_PER_SESSION) {
            const max = Math.min(config.maxAssetSize, MAX_CHUNKS_PER_SESSION * config.chunkSize);
            return { Err: { TooLarge: { max: BigInt(max), size: request.totalSize } } };
        }
        const totalSize = Number(request.totalSize);
        const sha256 = hex(request.sha256);
        const now = this.now();
        const expiresAt = now + BigInt(config.sessionTtlSeconds) * 1_000_000_000n;

        // One open session per caller and target: the same content resumes it, other content replaces it.
        const existingId = this.stores.index.get(targetKey(request));
        const existing = existingId === undefined ? undefined : this.#load(existingId);
        if (existing && !existing.expired) {
            const same = existing.sha256 === sha256 && existing.totalSize === totalSize && existing.contentType === request.contentType && existing.chunkSize === config.chunkSize;
            if (same && BigInt(existing.expiresAt) > now && !this.#revoked(existing)) {
                this.stores.deadlines.remove(deadlineKey(existing.expiresAt, existing.id));
                existing.expiresAt = expiresAt.toString();
                this.stores.deadlines.insert(deadlineKey(expiresAt, existing.id), '');
                this.#save(existing);
                return { Ok: { uploadId: existing.id, chunkSize: existing.chunkSize, chunkCount: existing.chunkCount, expiresAt, resumed: true } };
            }
            this.#discard(existing);
        }

        if (this.#count(callerKey(request.owner)) >= MAX_SESSIONS_PER_CALLER) {
            return { Err: { TooManyUploads: { scope: { caller: null }, limit: MAX_SESSIONS_PER_CALLER } } };
        }
        if (this.#count(memoryKey(request.memoryId)) >= MAX_SESSIONS_PER_MEMORY) {
            return { Err: { TooManyUploads: { scope: { memory: null }, limit: MAX_SESSIONS_PER_MEMORY } } };
        }
        const reservation = Math.min(totalSize, RESERVED_CHUNKS_AHEAD * config.chunkSize);
        const full = this.#storageFull(reservation);
        if (full) return full;

        const updated = this.assets.updateTotals((t) => {
            t.reservedBytes += reservation;
            t.nextUploadNumber += 1;
        });
        const record: SessionRecord = {
            v: 2,
            id: `u${updated.nextUploadNumber - 1}`,
            owner: request.owner,
            memoryId: request.memoryId,
            variant: request.variant,
            assetId: request.assetId,
            contentType: request.contentType,
            totalSize,
            sha256,
            chunkSize: config.chunkSize,
            chunkCount,
            received: emptyBitmap(chunkCount),
            receivedCount: 0,
            receivedBytes: 0,
            reservedBytes: reservation,
            grantIssuedAt: request.grantIssuedAt,
            spacers: spacersFor(config.chunkSize, chunkCount),
            createdAt: now.toString(),
            expiresAt: expiresAt.toString()
        };
        this.#save(record);
        this.#indexAdd(record);
        this.assets.reserveChunkSlots(record.id, chunkCount, record.spacers ?? 0);
        return { Ok: { uploadId: record.id, chunkSize: record.chunkSize, chunkCount: record.chunkCount, expiresAt, resumed: false } };
    }

    chunk(owner: string, uploadId: string, index: number, bytes: Uint8Array): Result<{ receivedBytes: bigint }> {
        const found = this.#open(owner, uploadId);
        if ('Err' in found) return found;
        const session = found.Ok;
        if (!Number.isInteger(index) || index < 0 || index >= session.chunkCount) {
            return { Err: { ChunkOutOfRange: { index, chunk_count: session.chunkCount } } };
        }
        const expectedSize = index === session.chunkCount - 1 ? session.totalSize - index * session.chunkSize : session.chunkSize;
        if (bytes.length !== expectedSize) return { Err: { ChunkSizeMismatch: { index, expected: expectedSize, got: bytes.length } } };
        if (hasChunk(session.received, index)) {
            // A retry (its reply was lost, or a resumed client re-sent it): fine when identical.
            const stored = this.assets.readStoredChunk(session.id, index);
            if (stored && constantTimeEqual(stored, bytes)) return { Ok: { receivedBytes: BigInt(session.receivedBytes) } };
            return { Err: { ChunkConflict: { index } } };
        }

        const received = session.receivedBytes + bytes.length;
        // The chunk's own bytes beyond the reservation must fit; extending the look-ahead is best effort.
        const needed = Math.max(0, received - session.reservedBytes);
        const full = this.#storageFull(needed);
        if (full) return full;
        const wanted = Math.min(session.totalSize, received + RESERVED_CHUNKS_AHEAD * session.chunkSize);
        const held = Math.max(session.reservedBytes, received);
        const reserved = held + Math.max(0, Math.min(wanted - held, this.#free() - needed));

        this.assets.writeChunk(session.id, index, bytes);
        this.assets.updateTotals((t) => {
            t.reservedBytes += reserved - session.reservedBytes;
        });
        session.received = withChunk(session.received, index);
        session.receivedCount += 1;
        session.receivedBytes = received;
        session.reservedBytes = reserved;
        this.#save(session);
        return { Ok: { receivedBytes: BigInt(received) } };
    }

    status(owner: string, uploadId: string): Result<SessionStatus> {
        const found = this.#open(owner, uploadId, false);
        if ('Err' in found) return found;
        const s = found.Ok;
        return {
            Ok: {
                uploadId: s.id,
                chunkSize: s.chunkSize,
                chunkCount: s.chunkCount,
                expiresAt: BigInt(s.expiresAt),
                resumed: false,
                memoryId: s.memoryId,
                variant: s.variant,
                assetId: s.assetId,
                contentType: s.contentType,
                totalSize: s.totalSize,
                sha256: fromHex(s.sha256),
                receivedChunks: chunksPresent(s.received, s.chunkCount),
                receivedBytes: s.receivedBytes
            }
        };
    }

    commit(owner: string, uploadId: string): Result<AssetRecord> {
        const found = this.#open(owner, uploadId);
        if ('Err' in found) return found;
        const session = found.Ok;
        const missing = firstMissing(session.received, session.chunkCount);
        if (missing !== undefined) return { Err: { MissingChunk: { index: missing } } };
        if (session.receivedBytes !== session.totalSize) {
            this.#discard(session);
            return { Err: { SizeMismatch: { expected: BigInt(session.totalSize), received: BigInt(session.receivedBytes) } } };
        }
        const record: AssetRecord = {
            memoryId: session.memoryId,
            variant: session.variant,
            assetId: session.assetId,
            contentType: session.contentType,
            size: session.totalSize,
            sha256: session.sha256,
            chunkSize: session.chunkSize,
            chunkCount: session.chunkCount,
            contentId: session.id,
            createdAt: this.now().toString(),
            uploadedBy: session.owner,
            ...(session.spacers ? { spacers: session.spacers } : {})
        };
        this.#forget(session);
        this.assets.commit(record);
        return { Ok: record };
    }

    abort(owner: string, uploadId: string): Result<null> {
        const found = this.#open(owner, uploadId);
        if ('Err' in found) return found;
        this.#discard(found.Ok);
        return { Ok: null };
    }

    /** Expires sessions past their deadline (freeing chunks and reservations) and drops old tombstones; returns how many expired. */
    expire(): number {
        const now = this.now();
        let expired = 0;
        for (const key of this.stores.deadlines.keys(0, SWEEP_BATCH)) {
            const slash = key.indexOf('/');
            if (BigInt(key.slice(0, slash)) > now) break;
            this.stores.deadlines.remove(key);
            const entry = this.#load(key.slice(slash + 1));
            if (!entry) continue;
            if (entry.expired) this.stores.sessions.remove(entry.id);
            else if (BigInt(entry.expiresAt) <= now) {
                this.#expire(entry);
                expired += 1;
            }
        }
        return expired;
    }

    openSessions(): number {
        return this.#count(OPEN_KEY);
    }

    /**
     * After an upgrade from the layout without indexes (version 1 sessions, which hashed chunks in
     * order): rewrites open sessions as version 2, indexes them and their deadlines. Runs once.
     */
    migrate(): void {
        if (this.stores.index.get(LAYOUT_KEY) === '2') return;
        for (const id of this.stores.sessions.keys()) {
            const raw = JSON.parse(this.stores.sessions.get(id)!) as SessionRecordV1 | TombstoneV1 | Tombstone | SessionRecord;
            if (raw.v === 2) continue;
            if (raw.expired) {
                const tombstone: Tombstone = { v: 2, id: raw.id, owner: raw.owner, expired: true, dropAfter: raw.dropAfter };
                this.stores.sessions.insert(id, JSON.stringify(tombstone));
                this.stores.deadlines.insert(deadlineKey(tombstone.dropAfter, id), '');
                continue;
            }
            const record: SessionRecord = {
                v: 2,
                id: raw.id,
                owner: raw.owner,
                memoryId: raw.memoryId,
                variant: raw.variant,
                assetId: raw.assetId,
                contentType: raw.contentType,
                totalSize: raw.totalSize,
                sha256: raw.expectedSha256,
                chunkSize: raw.chunkSize,
                chunkCount: raw.chunkCount,
                received: prefixBitmap(raw.chunkCount, raw.nextIndex),
                receivedCount: raw.nextIndex,
                receivedBytes: raw.receivedBytes,
                // Version 1 reserved the whole size (already counted in the totals).
                reservedBytes: raw.totalSize,
                // The grant was valid when the session began.
                grantIssuedAt: Number(BigInt(raw.createdAt) / 1_000_000_000n),
                createdAt: raw.createdAt,
                expiresAt: raw.expiresAt
            };
            const other = this.stores.index.get(targetKey(record));
            if (other !== undefined) {
                const older = this.#load(other);
                if (older && !older.expired) this.#discard(older);
            }
            this.#save(record);
            this.#indexAdd(record);
        }
        this.stores.index.insert(LAYOUT_KEY, '2');
    }

    // ---- internals ---------------------------------------------------------------------------------

    #open(owner: string, uploadId: string, checkRevocation = true): Result<SessionRecord> {
        const session = this.#load(uploadId);
        if (!session) return { Err: { UnknownSession: null } };
        if (session.owner !== owner) return { Err: { NotSessionOwner: null } };
        if (session.expired) return { Err: { ExpiredSession: null } };
        if (BigInt(session.expiresAt) <= this.now()) {
            this.#expire(session);
            return { Err: { ExpiredSession: null } };
        }
        if (checkRevocation && this.#revoked(session)) {
            this.#discard(session);
            return { Err: { BadGrant: { code: 'REVOKED', detail: 'the upload grant was revoked' } } };
        }
        return { Ok: session };
    }

    #revoked(session: SessionRecord): boolean {
        const cutoff = this.revokedBefore(session.memoryId);
        return cutoff !== undefined && session.grantIssuedAt < cutoff;
    }

    /** StorageFull when `bytes` more would exceed capacity, counting every reservation. */
    #storageFull(bytes: number): { Err: UploadError } | undefined {
        if (bytes <= this.#free()) return undefined;
        const { capacityBytes } = this.config();
        return { Err: { StorageFull: { capacity: BigInt(capacityBytes), used: BigInt(capacityBytes - this.#free()) } } };
    }

    #free(): number {
        const totals = this.assets.totals();
        return Math.max(0, this.config().capacityBytes - totals.storedBytes - totals.reservedBytes);
    }

    #load(id: string): SessionRecord | Tombstone | undefined {
        const raw = this.stores.sessions.get(id);
        if (raw === undefined) return undefined;
        const parsed = JSON.parse(raw) as SessionRecord | Tombstone | SessionRecordV1 | TombstoneV1;
        if (parsed.v !== 2) throw new Error(`upload session ${id} has an unknown layout (migrate() runs after every upgrade)`);
        return parsed;
    }

    #save(session: SessionRecord): void {
        this.stores.sessions.insert(session.id, JSON.stringify(session));
    }

    #count(key: string): number {
        return Number(this.stores.index.get(key) ?? '0');
    }

    #bump(key: string, by: number): void {
        const next = this.#count(key) + by;
        if (next <= 0) this.stores.index.remove(key);
        else this.stores.index.insert(key, String(next));
    }

    #indexAdd(session: SessionRecord): void {
        this.stores.index.insert(targetKey(session), session.id);
        this.#bump(callerKey(session.owner), 1);
        this.#bump(memoryKey(session.memoryId), 1);
        this.#bump(OPEN_KEY, 1);
        this.stores.deadlines.insert(deadlineKey(session.expiresAt, session.id), '');
    }

    /** Removes an open session's record, indexes and reservation (its chunks stay: committed, or removed by #discard). */
    #forget(session: SessionRecord): void {
        this.stores.sessions.remove(session.id);
        if (this.stores.index.get(targetKey(session)) === session.id) this.stores.index.remove(targetKey(session));
        this.#bump(callerKey(session.owner), -1);
        this.#bump(memoryKey(session.memoryId), -1);
        this.#bump(OPEN_KEY, -1);
        this.stores.deadlines.remove(deadlineKey(session.expiresAt, session.id));
        this.assets.updateTotals((t) => {
            t.reservedBytes -= session.reservedBytes;
        });
    }

    #discard(session: SessionRecord): void {
        for (const index of chunksPresent(session.received, session.chunkCount)) this.assets.removeChunk(session.id, index);
        this.assets.removeChunkSlots(session.id, session.chunkCount, session.spacers ?? 0);
        this.#forget(session);
    }

    #expire(session: SessionRecord): void {
        this.#discard(session);
        const dropAfter = this.now() + BigInt(this.config().sessionTtlSeconds) * 1_000_000_000n;
        const tombstone: Tombstone = { v: 2, id: session.id, owner: session.owner, expired: true, dropAfter: dropAfter.toString() };
        this.stores.sessions.insert(session.id, JSON.stringify(tombstone));
        this.stores.deadlines.insert(deadlineKey(dropAfter, session.id), '');
    }
}
