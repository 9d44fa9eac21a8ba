import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bucketFixture } from './storeFixture';

const OWNER = 'rrkah-fqaaa-aaaaa-aaaaq-cai';
const sha = (bytes: Uint8Array) => new Uint8Array(createHash('sha256').update(bytes).digest());

function begin(f: ReturnType<typeof bucketFixture>, content: Uint8Array, overrides: Record<string, unknown> = {}) {
    return f.sessions.begin({
        owner: OWNER,
        memoryId: 'm1',
        variant: 'original',
        assetId: 'a1',
        contentType: 'video/mp4',
        totalSize: BigInt(content.length),
        sha256: sha(content),
        ...overrides
    });
}

function upload(f: ReturnType<typeof bucketFixture>, content: Uint8Array) {
    const started = begin(f, content);
    if (!('Ok' in started)) throw new Error(JSON.stringify(started));
    const { uploadId, chunkSize, chunkCount } = started.Ok;
    for (let i = 0; i < chunkCount; i++) {
        const result = f.sessions.chunk(OWNER, uploadId, i, content.subarray(i * chunkSize, (i + 1) * chunkSize));
        expect(result).toHaveProperty('Ok');
    }
    return { uploadId, committed: f.sessions.commit(OWNER, uploadId) };
}

describe('upload sessions', () => {
    it('stores, hashes and commits an asset chunk by chunk, then serves any byte range', () => {
        const f = bucketFixture({ chunkSize: 1024 });
        const content = new Uint8Array(randomBytes(5000));
        const { committed } = upload(f, content);
        expect(committed).toHaveProperty('Ok');
        const record = f.assets.find('m1', 'original', 'a1')!;
        expect(record).toMatchObject({ size: 5000, chunkCount: 5, chunkSize: 1024, contentType: 'video/mp4' });
        expect(record.sha256).toBe(Buffer.from(sha(content)).toString('hex'));
        expect(f.assets.readRange(record, 0, 5000)).toEqual(content);
        expect(f.assets.readRange(record, 1000, 3100)).toEqual(content.subarray(1000, 3100));
        expect(f.assets.readRange(record, 4999, 5000)).toEqual(content.subarray(4999));
        expect(f.assets.totals()).toMatchObject({ assetCount: 1, storedBytes: 5000, reservedBytes: 0, uploadsCommitted: 1 });
        expect(f.sessions.openSessions()).toBe(0);
    });

    it('keeps the asset invisible until commit, and replaces it atomically with its old chunks removed', () => {
        const f = bucketFixture({ chunkSize: 64 });
        const first = new Uint8Array(randomBytes(200));
        upload(f, first);
        const oldRecord = f.assets.find('m1', 'original', 'a1')!;
        const second = new Uint8Array(randomBytes(100));
        const started = begin(f, second);
        if (!('Ok' in started)) throw new Error('begin failed');
        f.sessions.chunk(OWNER, started.Ok.uploadId, 0, second.subarray(0, 64));
        f.sessions.chunk(OWNER, started.Ok.uploadId, 1, second.subarray(64));
        // Still the first version before commit.
        expect(f.assets.find('m1', 'original', 'a1')!.sha256).toBe(oldRecord.sha256);
        expect(f.sessions.commit(OWNER, started.Ok.uploadId)).toHaveProperty('Ok');
        const newRecord = f.assets.find('m1', 'original', 'a1')!;
        expect(f.assets.readRange(newRecord, 0, 100)).toEqual(second);
        expect([...f.chunks.map.keys()].some((k) => k.startsWith(`${oldRecord.contentId}/`))).toBe(false);
        expect(f.assets.totals()).toMatchObject({ assetCount: 1, storedBytes: 100 });
    });

    it.each([
        ['memory id', { memoryId: '../x' }, 'InvalidRequest'],
        ['asset id', { assetId: 'a b' }, 'InvalidRequest'],
        ['content type', { contentType: 'text/html\r\nX-Evil: 1' }, 'InvalidRequest'],
        ['hash length', { sha256: new Uint8Array(31) }, 'InvalidRequest'],
        ['empty upload', { totalSize: 0n }, 'InvalidRequest'],
        ['size over the maximum', { totalSize: 100_000_001n }, 'TooLarge']
    ])('refuses a bad %s at begin', (_label, overrides, error) => {
        const f = bucketFixture();
        const result = begin(f, new Uint8Array(10), overrides);
        expect(result).toHaveProperty(['Err', error]);
    });

    it('refuses uploads beyond capacity, counting open sessions as reserved', () => {
        const f = bucketFixture({ capacityBytes: 1000 });
        expect(begin(f, new Uint8Array(600))).toHaveProperty('Ok');
        expect(begin(f, new Uint8Array(600))).toHaveProperty(['Err', 'StorageFull']);
    });

    it('enforces order, exact chunk sizes and the owner', () => {
        const f = bucketFixture({ chunkSize: 64 });
        const content = new Uint8Array(randomBytes(150));
        const started = begin(f, content);
        if (!('Ok' in started)) throw new Error('begin failed');
        const id = started.Ok.uploadId;
        expect(f.sessions.chunk(OWNER, id, 1, content.subarray(64, 128))).toEqual({ Err: { ChunkOutOfOrder: { expected: 0, got: 1 } } });
        expect(f.sessions.chunk(OWNER, id, 0, content.subarray(0, 63))).toEqual({ Err: { ChunkSizeMismatch: { index: 0, expected: 64, got: 63 } } });
        expect(f.sessions.chunk('2vxsx-fae', id, 0, content.subarray(0, 64))).toEqual({ Err: { NotSessionOwner: null } });
        expect(f.sessions.chunk(OWNER, 'u999', 0, content.subarray(0, 64))).toEqual({ Err: { UnknownSession: null } });
        expect(f.sessions.chunk(OWNER, id, 0, content.subarray(0, 64))).toEqual({ Ok: { receivedBytes: 64n } });
        // A retry of the same chunk is acknowledged; different bytes are not.
        expect(f.sessions.chunk(OWNER, id, 0, content.subarray(0, 64))).toEqual({ Ok: { receivedBytes: 64n } });
        expect(f.sessions.chunk(OWNER, id, 0, new Uint8Array(64))).toHaveProperty(['Err', 'ChunkOutOfOrder']);
        expect(f.sessions.commit(OWNER, id)).toEqual({ Err: { MissingChunk: { index: 1 } } });
    });

    it('discards the session on a hash mismatch and frees the reservation', () => {
        const f = bucketFixture({ chunkSize: 64 });
        const content = new Uint8Array(randomBytes(100));
        const started = begin(f, content, { sha256: new Uint8Array(32) });
        if (!('Ok' in started)) throw new Error('begin failed');
        f.sessions.chunk(OWNER, started.Ok.uploadId, 0, content.subarray(0, 64));
        f.sessions.chunk(OWNER, started.Ok.uploadId, 1, content.subarray(64));
        const result = f.sessions.commit(OWNER, started.Ok.uploadId);
        expect(result).toHaveProperty(['Err', 'HashMismatch', 'actual'], sha(content));
        expect(f.assets.find('m1', 'original', 'a1')).toBeUndefined();
        expect(f.chunks.map.size).toBe(0);
        expect(f.assets.totals().reservedBytes).toBe(0);
        expect(f.sessions.commit(OWNER, started.Ok.uploadId)).toEqual({ Err: { UnknownSession: null } });
    });

    it('expires unfinished sessions: chunks and reservation freed, late calls told it expired', () => {
        const f = bucketFixture({ chunkSize: 64, sessionTtlSeconds: 60 });
        const content = new Uint8Array(randomBytes(100));
        const started = begin(f, content);
        if (!('Ok' in started)) throw new Error('begin failed');
        f.sessions.chunk(OWNER, started.Ok.uploadId, 0, content.subarray(0, 64));
        f.clock.now += 61n * 1_000_000_000n;
        expect(f.sessions.expire()).toBe(1);
        expect(f.chunks.map.size).toBe(0);
        expect(f.assets.totals().reservedBytes).toBe(0);
        expect(f.sessions.chunk(OWNER, started.Ok.uploadId, 1, content.subarray(64))).toEqual({ Err: { ExpiredSession: null } });
        expect(f.sessions.openSessions()).toBe(0);
        // The tombstone goes away after another TTL.
        f.clock.now += 61n * 1_000_000_000n;
        f.sessions.expire();
        expect(f.sessions.commit(OWNER, started.Ok.uploadId)).toEqual({ Err: { UnknownSession: null } });
    });

    it('aborts a session and forgets it', () => {
        const f = bucketFixture({ chunkSize: 64 });
        const content = new Uint8Array(randomBytes(100));
        const started = begin(f, content);
        if (!('Ok' in started)) throw new Error('begin failed');
        f.sessions.chunk(OWNER, started.Ok.uploadId, 0, content.subarray(0, 64));
        expect(f.sessions.abort(OWNER, started.Ok.uploadId)).toEqual({ Ok: null });
        expect(f.chunks.map.size).toBe(0);
        expect(f.sessions.abort(OWNER, started.Ok.uploadId)).toEqual({ Err: { UnknownSession: null } });
    });
});

describe('asset deletion', () => {
    it('deletes one asset, then a whole memory, keeping totals right', () => {
        const f = bucketFixture({ chunkSize: 64 });
        for (const [variant, assetId, size] of [['original', 'a1', 100], ['preview', '', 50], ['thumbnail', '', 10]] as const) {
            const content = new Uint8Array(randomBytes(size));
            const started = f.sessions.begin({ owner: OWNER, memoryId: 'm1', variant, assetId, contentType: 'image/jpeg', totalSize: BigInt(size), sha256: sha(content) });
            if (!('Ok' in started)) throw new Error('begin failed');
            for (let i = 0; i < started.Ok.chunkCount; i++) f.sessions.chunk(OWNER, started.Ok.uploadId, i, content.subarray(i * 64, (i + 1) * 64));
            expect(f.sessions.commit(OWNER, started.Ok.uploadId)).toHaveProperty('Ok');
        }
        expect(f.assets.deleteAsset('m1', 'thumbnail', '')?.size).toBe(10);
        expect(f.assets.deleteAsset('m1', 'thumbnail', '')).toBeUndefined();
        expect(f.assets.deleteMemory('m1')).toEqual({ count: 2, bytes: 150 });
        expect(f.assets.totals()).toMatchObject({ assetCount: 0, storedBytes: 0, assetsDeleted: 3 });
        expect(f.chunks.map.size).toBe(0);
        expect(f.assets.deleteMemory('m1')).toEqual({ count: 0, bytes: 0 });
    });
});
