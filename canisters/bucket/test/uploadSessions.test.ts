import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketFixture } from './storeFixture';
import { MAX_SESSIONS_PER_CALLER, MAX_SESSIONS_PER_MEMORY, RESERVED_CHUNKS_AHEAD } from '../src/uploadSessions';
import { SPACERS_PER_CHUNK, spacersFor } from '../src/assetStore';

const OWNER = 'rrkah-fqaaa-aaaaa-aaaaq-cai';
const OTHER = '2vxsx-fae';
const NOW_SECONDS = 1_800_000_000;
const sha = (bytes: Uint8Array) => new Uint8Array(createHash('sha256').update(bytes).digest());
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
type Fixture = ReturnType<typeof bucketFixture>;

function begin(f: Fixture, content: Uint8Array, overrides: Record<string, unknown> = {}) {
    return f.sessions.begin({
        owner: OWNER,
        memoryId: 'm1',
        variant: 'original',
        assetId: 'a1',
        contentType: 'video/mp4',
        totalSize: BigInt(content.length),
        sha256: sha(content),
        grantIssuedAt: NOW_SECONDS,
        ...overrides
    });
}

function started(result: ReturnType<typeof begin>) {
    if (!('Ok' in result)) throw new Error(JSON.stringify(result, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
    return result.Ok;
}

const slice = (content: Uint8Array, chunkSize: number, index: number) => content.subarray(index * chunkSize, (index + 1) * chunkSize);

function upload(f: Fixture, content: Uint8Array, order?: number[]) {
    const { uploadId, chunkSize, chunkCount } = started(begin(f, content));
    for (const i of order ?? [...Array(chunkCount).keys()]) {
        expect(f.sessions.chunk(OWNER, uploadId, i, slice(content, chunkSize, i))).toHaveProperty('Ok');
    }
    return { uploadId, committed: f.sessions.commit(OWNER, uploadId) };
}

describe('upload sessions', () => {
    it('stores and commits an asset, then serves any byte range', () => {
        const f = bucketFixture({ chunkSize: 1024 });
        const content = new Uint8Array(randomBytes(5000));
        const { committed } = upload(f, content);
        expect(committed).toHaveProperty('Ok');
        const record = f.assets.find('m1', 'original', 'a1')!;
        expect(record).toMatchObject({ size: 5000, chunkCount: 5, chunkSize: 1024, contentType: 'video/mp4', sha256: hex(sha(content)) });
        expect(f.assets.readRange(record, 0, 5000)).toEqual(content);
        expect(f.assets.readRange(record, 1000, 3100)).toEqual(content.subarray(1000, 3100));
        expect(f.assets.totals()).toMatchObject({ assetCount: 1, storedBytes: 5000, reservedBytes: 0, uploadsCommitted: 1 });
        expect(f.sessions.openSessions()).toBe(0);
        expect(f.sessionIndex.map.size).toBe(1); // only the layout marker is left
        expect(f.sessionDeadlines.map.size).toBe(0);
    });

    it('commits the right bytes whatever order the chunks arrive in (property)', () => {
        fc.assert(
            fc.property(fc.integer({ min: 1, max: 1000 }), fc.infiniteStream(fc.integer()), (size, seeds) => {
                const f = bucketFixture({ chunkSize: 64 });
                const content = new Uint8Array(randomBytes(size));
                const count = Math.ceil(size / 64);
                const order = [...Array(count).keys()];
                const it = seeds[Symbol.iterator]();
                for (let i = order.length - 1; i > 0; i--) {
                    const j = Math.abs(it.next().value as number) % (i + 1);
                    [order[i], order[j]] = [order[j]!, order[i]!];
                }
                const { committed } = upload(f, content, order);
                expect(committed).toHaveProperty('Ok');
                const record = f.assets.find('m1', 'original', 'a1')!;
                expect(hex(sha(f.assets.readRange(record, 0, size)))).toBe(hex(sha(content)));
                expect(f.assets.totals().reservedBytes).toBe(0);
            }),
            { numRuns: 60 }
        );
    });

    it('keeps the asset invisible until commit, and replaces it atomically with its old chunks removed', () => {
        const f = bucketFixture({ chunkSize: 64 });
        const first = new Uint8Array(randomBytes(200));
        upload(f, first);
        const oldRecord = f.assets.find('m1', 'original', 'a1')!;
        const second = new Uint8Array(randomBytes(100));
        const { uploadId } = started(begin(f, second));
        f.sessions.chunk(OWNER, uploadId, 1, second.subarray(64));
        f.sessions.chunk(OWNER, uploadId, 0, second.subarray(0, 64));
        expect(f.assets.find('m1', 'original', 'a1')!.sha256).toBe(oldRecord.sha256);
        expect(f.sessions.commit(OWNER, uploadId)).toHaveProperty('Ok');
        const newRecord = f.assets.find('m1', 'original', 'a1')!;
        expect(f.assets.readRange(newRecord, 0, 100)).toEqual(second);
        expect([...f.chunks.map.keys()].some((k) => k.startsWith(`${oldRecord.contentId}/`))).toBe(false);
        expect(f.assets.totals()).toMatchObject({ assetCount: 1, storedBytes: 100 });
    });

    it.each([
        ['memory id', { memoryId: '../x' }, 'InvalidRequest'],
        ['asset id', { assetId: 'a b' }, 'InvalidRequest'],
        ['content type', { contentType: 'video/mp4\r\nX-Evil: 1' }, 'InvalidRequest'],
        ['hash length', { sha256: new Uint8Array(31) }, 'InvalidRequest'],
        ['empty upload', { totalSize: 0n }, 'InvalidRequest'],
        ['size over the maximum', { totalSize: 100_000_001n }, 'TooLarge']
    ])('refuses a bad %s at begin', (_label, overrides, error) => {
        const f = bucketFixture();
        expect(begin(f, new Uint8Array(10), overrides)).toHaveProperty(['Err', error]);
    });

    it.each(['text/html', 'application/javascript', 'image/svg+xml', 'application/pdf', 'text/plain; charset=utf-8'])(
        'refuses content that is not passive media (%s), naming the type',
        (contentType) => {
            const f = bucketFixture();
            expect(begin(f, new Uint8Array(10), { contentType })).toEqual({ Err: { UnsupportedContentType: { content_type: contentType } } });
            expect(f.sessions.openSessions()).toBe(0);
        }
    );

    it('takes chunks in any order, acknowledges identical duplicates and refuses different ones', () => {
        const f = bucketFixture({ chunkSize: 64 });
        const content = new Uint8Array(randomBytes(150));
        const { uploadId: id } = started(begin(f, content));
        expect(f.sessions.chunk(OWNER, id, 2, content.subarray(128))).toEqual({ Ok: { receivedBytes: 22n } });
        expect(f.sessions.chunk(OWNER, id, 0, content.subarray(0, 63))).toEqual({ Err: { ChunkSizeMismatch: { index: 0, expected: 64, got: 63 } } });
        expect(f.sessions.chunk(OWNER, id, 2, content.subarray(0, 64))).toEqual({ Err: { ChunkSizeMismatch: { index: 2, expected: 22, got: 64 } } });
        expect(f.sessions.chunk(OTHER, id, 0, content.subarray(0, 64))).toEqual({ Err: { NotSessionOwner: null } });
        expect(f.sessions.chunk(OWNER, 'u999', 0, content.subarray(0, 64))).toEqual({ Err: { UnknownSession: null } });
        expect(f.sessions.chunk(OWNER, id, 3, content.subarray(0, 22))).toEqual({ Err: { ChunkOutOfRange: { index: 3, chunk_count: 3 } } });
        expect(f.sessions.chunk(OWNER, id, 0, content.subarray(0, 64))).toEqual({ Ok: { receivedBytes: 86n } });
        expect(f.sessions.chunk(OWNER, id, 0, content.subarray(0, 64))).toEqual({ Ok: { receivedBytes: 86n } });
        expect(f.sessions.chunk(OWNER, id, 0, new Uint8Array(64))).toEqual({ Err: { ChunkConflict: { index: 0 } } });
        expect(f.sessions.commit(OWNER, id)).toEqual({ Err: { MissingChunk: { index: 1 } } });
        // A failed commit keeps the session: send the missing chunk and commit again.
        expect(f.assets.find('m1', 'original', 'a1')).toBeUndefined();
        expect(f.sessions.chunk(OWNER, id, 1, content.subarray(64, 128))).toEqual({ Ok: { receivedBytes: 150n } });
        expect(f.sessions.commit(OWNER, id)).toHaveProperty('Ok');
        expect(f.assets.readRange(f.assets.find('m1', 'original', 'a1')!, 0, 150)).toEqual(content);
    });

    it('reports what a session holds, so a client can resume after a crash', () => {
        const f = bucketFixture({ chunkSize: 64 });
        const content = new Uint8Array(randomBytes(300));
        const first = started(begin(f, content));
        for (const i of [0, 3]) f.sessions.chunk(OWNER, first.uploadId, i, slice(content, 64, i));
        expect(f.sessions.status(OWNER, first.uploadId)).toMatchObject({
            Ok: { uploadId: first.uploadId, chunkCount: 5, receivedChunks: [0, 3], receivedBytes: 128, totalSize: 300, sha256: sha(content), contentType: 'video/mp4' }
        });
        expect(f.sessions.status(OTHER, first.uploadId)).toEqual({ Err: { NotSessionOwner: null } });
        // The "crashed" client begins again with the same content: the same session comes back.
        const again = started(begin(f, content));
        expect(again).toMatchObject({ uploadId: first.uploadId, resumed: true });
        expect(f.sessions.openSessions()).toBe(1);
        const missing = [0, 1, 2, 3, 4].filter((i) => !(f.sessions.status(OWNER, again.uploadId) as { Ok: { receivedChunks: number[] } }).Ok.receivedChunks.includes(i));
        expect(missing).toEqual([1, 2, 4]);
        for (const i of missing) f.sessions.chunk(OWNER, again.uploadId, i, slice(content, 64, i));
        expect(f.sessions.commit(OWNER, again.uploadId)).toHaveProperty('Ok');
        // Other content for the same asset replaces an open session instead of resuming it.
        const other = new Uint8Array(randomBytes(300));
        const a = started(begin(f, content));
        f.sessions.chunk(OWNER, a.uploadId, 0, content.subarray(0, 64));
        const b = started(begin(f, other));
        expect(b.uploadId).not.toBe(a.uploadId);
        expect(f.sessions.status(OWNER, a.uploadId)).toEqual({ Err: { UnknownSession: null } });
        expect(f.sessions.openSessions()).toBe(1);
        expect([...f.chunks.map.keys()].some((k) => k.startsWith(`${a.uploadId}/`))).toBe(false);
    });

    it('stores the declared hash as the ETag without checking it (the uploader harms only their own asset)', () => {
        const f = bucketFixture({ chunkSize: 64 });
        const content = new Uint8Array(randomBytes(100));
        const declared = new Uint8Array(32).fill(7);
        const { uploadId } = started(begin(f, content, { sha256: declared }));
        f.sessions.chunk(OWNER, uploadId, 0, content.subarray(0, 64));
        f.sessions.chunk(OWNER, uploadId, 1, content.subarray(64));
        expect(f.sessions.commit(OWNER, uploadId)).toMatchObject({ Ok: { sha256: hex(declared) } });
        const record = f.assets.find('m1', 'original', 'a1')!;
        expect(record.sha256).toBe(hex(declared));
        expect(f.assets.readRange(record, 0, 100)).toEqual(content);
    });

    it('expires unfinished sessions: chunks and reservation freed, late calls told it expired', () => {
        const f = bucketFixture({ chunkSize: 64, sessionTtlSeconds: 60 });
        const content = new Uint8Array(randomBytes(100));
        const { uploadId } = started(begin(f, content));
        f.sessions.chunk(OWNER, uploadId, 1, content.subarray(64));
        f.clock.now += 30n * 1_000_000_000n;
        expect(f.sessions.expire()).toBe(0);
        f.clock.now += 31n * 1_000_000_000n;
        expect(f.sessions.expire()).toBe(1);
        expect(f.chunks.map.size).toBe(0);
        expect(f.assets.totals().reservedBytes).toBe(0);
        expect(f.sessions.chunk(OWNER, uploadId, 0, content.subarray(0, 64))).toEqual({ Err: { ExpiredSession: null } });
        expect(f.sessions.openSessions()).toBe(0);
        f.clock.now += 61n * 1_000_000_000n;
        f.sessions.expire();
        expect(f.sessions.commit(OWNER, uploadId)).toEqual({ Err: { UnknownSession: null } });
        expect(f.sessionsStore.map.size + f.sessionDeadlines.map.size).toBe(0);
    });

    it('a resumed session gets a new deadline', () => {
        const f = bucketFixture({ chunkSize: 64, sessionTtlSeconds: 60 });
        const content = new Uint8Array(randomBytes(100));
        const { uploadId } = started(begin(f, content));
        f.clock.now += 50n * 1_000_000_000n;
        expect(started(begin(f, content))).toMatchObject({ uploadId, resumed: true });
        f.clock.now += 50n * 1_000_000_000n;
        expect(f.sessions.expire()).toBe(0);
        expect(f.sessions.chunk(OWNER, uploadId, 0, content.subarray(0, 64))).toHaveProperty('Ok');
    });

    it('aborts a session and forgets it', () => {
        const f = bucketFixture({ chunkSize: 64 });
        const content = new Uint8Array(randomBytes(100));
        const { uploadId } = started(begin(f, content));
        f.sessions.chunk(OWNER, uploadId, 0, content.subarray(0, 64));
        expect(f.sessions.abort(OWNER, uploadId)).toEqual({ Ok: null });
        expect(f.chunks.map.size).toBe(0);
        expect(f.assets.totals().reservedBytes).toBe(0);
        expect(f.sessions.abort(OWNER, uploadId)).toEqual({ Err: { UnknownSession: null } });
    });

    it('voids a session whose grant a revocation voided', () => {
        const f = bucketFixture({ chunkSize: 64 });
        const content = new Uint8Array(randomBytes(100));
        const { uploadId } = started(begin(f, content));
        f.sessions.chunk(OWNER, uploadId, 0, content.subarray(0, 64));
        f.revokedBefore.set('m1', NOW_SECONDS + 1);
        expect(f.sessions.chunk(OWNER, uploadId, 1, content.subarray(64))).toEqual({ Err: { BadGrant: { code: 'REVOKED', detail: 'the upload grant was revoked' } } });
        expect(f.sessions.commit(OWNER, uploadId)).toEqual({ Err: { UnknownSession: null } });
        expect(f.chunks.map.size).toBe(0);
        expect(f.assets.find('m1', 'original', 'a1')).toBeUndefined();
        // A grant issued after the revocation uploads normally.
        const fresh = started(begin(f, content, { grantIssuedAt: NOW_SECONDS + 1 }));
        f.sessions.chunk(OWNER, fresh.uploadId, 0, content.subarray(0, 64));
        f.sessions.chunk(OWNER, fresh.uploadId, 1, content.subarray(64));
        expect(f.sessions.commit(OWNER, fresh.uploadId)).toHaveProperty('Ok');
    });
});

describe('upload bounds: sessions cannot hold a bucket hostage', () => {
    it('holds at most a few chunks of capacity before the bytes arrive', () => {
        const f = bucketFixture({ capacityBytes: 1_000_000_000 });
        // 20 sessions announcing 100 MB each reserve 20 × 4 chunks (152 MB), not 2 GB.
        for (let i = 0; i < 20; i++) started(begin(f, new Uint8Array(0), { assetId: `a${i}`, totalSize: 100_000_000n, sha256: new Uint8Array(32) }));
        expect(f.assets.totals().reservedBytes).toBe(20 * RESERVED_CHUNKS_AHEAD * f.config.chunkSize);
    });

    it('grows a reservation as chunks arrive and releases it at commit', () => {
        const f = bucketFixture({ chunkSize: 64 });
        const content = new Uint8Array(randomBytes(64 * 10));
        const { uploadId } = started(begin(f, content));
        expect(f.assets.totals().reservedBytes).toBe(4 * 64);
        f.sessions.chunk(OWNER, uploadId, 9, slice(content, 64, 9));
        expect(f.assets.totals().reservedBytes).toBe(5 * 64);
        for (let i = 0; i < 9; i++) f.sessions.chunk(OWNER, uploadId, i, slice(content, 64, i));
        expect(f.assets.totals().reservedBytes).toBe(10 * 64);
        f.sessions.commit(OWNER, uploadId);
        expect(f.assets.totals()).toMatchObject({ reservedBytes: 0, storedBytes: 640 });
    });

    it('answers StorageFull at begin and at a chunk once capacity is really used, and loses nothing', () => {
        const f = bucketFixture({ chunkSize: 64, capacityBytes: 1000 });
        const big = new Uint8Array(randomBytes(900));
        const { uploadId } = started(begin(f, big));
        for (let i = 0; i < 10; i++) expect(f.sessions.chunk(OWNER, uploadId, i, slice(big, 64, i))).toHaveProperty('Ok');
        // Another uploader takes what is left before the first one finishes.
        const small = new Uint8Array(randomBytes(200));
        expect(begin(f, small, { owner: OTHER, assetId: 'b1' })).toEqual({ Err: { StorageFull: { capacity: 1000n, used: 896n } } });
        const tiny = new Uint8Array(randomBytes(100));
        const other = started(begin(f, tiny, { owner: OTHER, assetId: 'b2' }));
        for (let i = 0; i < 2; i++) expect(f.sessions.chunk(OTHER, other.uploadId, i, slice(tiny, 64, i))).toHaveProperty('Ok');
        expect(f.sessions.commit(OTHER, other.uploadId)).toHaveProperty('Ok');
        // The first upload's remaining chunks still fit in what it reserved.
        for (let i = 10; i < 15; i++) expect(f.sessions.chunk(OWNER, uploadId, i, slice(big, 64, i))).toHaveProperty('Ok');
        expect(f.sessions.commit(OWNER, uploadId)).toHaveProperty('Ok');
        expect(f.assets.totals()).toMatchObject({ storedBytes: 1000, reservedBytes: 0 });
        expect(begin(f, new Uint8Array(1), { assetId: 'c1' })).toEqual({ Err: { StorageFull: { capacity: 1000n, used: 1000n } } });
        expect(f.assets.readRange(f.assets.find('m1', 'original', 'a1')!, 0, 900)).toEqual(big);
    });

    it('refuses a chunk when capacity is gone, keeps the session, and takes it once space frees', () => {
        const f = bucketFixture({ chunkSize: 64, capacityBytes: 640 });
        const content = new Uint8Array(randomBytes(640));
        const { uploadId } = started(begin(f, content)); // reserves 256
        const filler = new Uint8Array(randomBytes(384));
        const other = started(begin(f, filler, { owner: OTHER, assetId: 'f1' })); // 256 of 384
        for (let i = 0; i < 6; i++) f.sessions.chunk(OTHER, other.uploadId, i, slice(filler, 64, i));
        f.sessions.commit(OTHER, other.uploadId);
        for (let i = 0; i < 4; i++) expect(f.sessions.chunk(OWNER, uploadId, i, slice(content, 64, i))).toHaveProperty('Ok');
        expect(f.sessions.chunk(OWNER, uploadId, 4, slice(content, 64, 4))).toHaveProperty(['Err', 'StorageFull']);
        f.assets.deleteAsset('m1', 'original', 'f1');
        for (let i = 4; i < 10; i++) expect(f.sessions.chunk(OWNER, uploadId, i, slice(content, 64, i))).toHaveProperty('Ok');
        expect(f.sessions.commit(OWNER, uploadId)).toHaveProperty('Ok');
    });

    it(`limits open sessions to ${MAX_SESSIONS_PER_CALLER} per caller and ${MAX_SESSIONS_PER_MEMORY} per memory`, () => {
        const f = bucketFixture({ chunkSize: 64 });
        const content = new Uint8Array(10);
        for (let i = 0; i < MAX_SESSIONS_PER_CALLER; i++) started(begin(f, content, { assetId: `a${i}` }));
        expect(begin(f, content, { assetId: 'one-more' })).toEqual({ Err: { TooManyUploads: { scope: { caller: null }, limit: MAX_SESSIONS_PER_CALLER } } });
        // Resuming one of them is not a new session.
        expect(started(begin(f, content, { assetId: 'a3' })).resumed).toBe(true);
        for (let i = 0; i < MAX_SESSIONS_PER_MEMORY - MAX_SESSIONS_PER_CALLER; i++) started(begin(f, content, { owner: `caller-${i}`, assetId: `b${i}` }));
        expect(begin(f, content, { owner: 'late', assetId: 'c' })).toEqual({ Err: { TooManyUploads: { scope: { memory: null }, limit: MAX_SESSIONS_PER_MEMORY } } });
        expect(started(begin(f, content, { owner: 'late', memoryId: 'm2', assetId: 'c' })).resumed).toBe(false);
        // Finishing one frees its slot.
        const { uploadId } = started(begin(f, content, { assetId: 'a0' }));
        f.sessions.chunk(OWNER, uploadId, 0, content);
        f.sessions.commit(OWNER, uploadId);
        expect(begin(f, content, { assetId: 'one-more' })).toHaveProperty('Ok');
    });

    it('a browser uploading a folder of 200 photos (4 variants each, 3 files at a time) never meets the limits', () => {
        const f = bucketFixture({ chunkSize: 1024 });
        const inFlight: { id: string; content: Uint8Array }[] = [];
        for (let photo = 0; photo < 200; photo++) {
            for (const variant of ['original', 'preview', 'thumbnail', 'placeholder'] as const) {
                const content = new Uint8Array(randomBytes(variant === 'original' ? 3000 : 300));
                inFlight.push({ id: started(begin(f, content, { variant, assetId: `p${photo}` })).uploadId, content });
            }
            while (inFlight.length > 12) {
                const { id, content } = inFlight.shift()!;
                for (let i = 0; i * 1024 < content.length; i++) f.sessions.chunk(OWNER, id, i, slice(content, 1024, i));
                expect(f.sessions.commit(OWNER, id)).toHaveProperty('Ok');
            }
        }
        expect(f.assets.totals().assetCount).toBe(800 - 12);
    });
});

describe('stored layout', () => {
    it('migrates sessions stored before chunks could arrive out of order, then indexes and expires them', () => {
        const f = bucketFixture({ chunkSize: 64, sessionTtlSeconds: 60 });
        const content = new Uint8Array(randomBytes(150));
        // What version 1 stored: chunk 0 arrived, the whole size reserved, no indexes.
        f.assets.writeChunk('u7', 0, content.subarray(0, 64));
        f.assets.updateTotals((t) => {
            t.reservedBytes += 150;
            t.nextUploadNumber = 8;
        });
        const now = f.clock.now;
        f.sessionsStore.insert(
            'u7',
            JSON.stringify({
                id: 'u7', owner: OWNER, memoryId: 'm1', variant: 'original', assetId: 'a1', contentType: 'video/mp4', totalSize: 150,
                expectedSha256: hex(sha(content)), chunkSize: 64, chunkCount: 3, nextIndex: 1, receivedBytes: 64, hashState: '00',
                createdAt: now.toString(), expiresAt: (now + 60_000_000_000n).toString()
            })
        );
        f.sessionsStore.insert('u6', JSON.stringify({ id: 'u6', owner: OWNER, expired: true, dropAfter: (now + 10n).toString() }));
        f.sessionIndex.remove('layout'); // the previous layout had no index at all
        f.sessions.migrate();
        f.sessions.migrate();
        expect(f.sessions.openSessions()).toBe(1);
        expect(f.sessions.status(OWNER, 'u7')).toMatchObject({ Ok: { receivedChunks: [0], receivedBytes: 64 } });
        expect(started(begin(f, content))).toMatchObject({ uploadId: 'u7', resumed: true });
        f.sessions.chunk(OWNER, 'u7', 2, content.subarray(128));
        f.sessions.chunk(OWNER, 'u7', 1, content.subarray(64, 128));
        expect(f.sessions.commit(OWNER, 'u7')).toMatchObject({ Ok: { sha256: hex(sha(content)) } });
        expect(f.assets.totals()).toMatchObject({ reservedBytes: 0, storedBytes: 150 });
        f.clock.now += 20n;
        f.sessions.expire();
        expect(f.sessionsStore.map.has('u6')).toBe(false);
    });
});

describe('asset deletion', () => {
    it('deletes one asset, then a whole memory, keeping totals right', () => {
        const f = bucketFixture({ chunkSize: 64 });
        for (const [variant, assetId, size] of [['original', 'a1', 100], ['preview', '', 50], ['thumbnail', '', 10]] as const) {
            const content = new Uint8Array(randomBytes(size));
            const { uploadId, chunkCount } = started(begin(f, content, { variant, assetId, contentType: 'image/jpeg' }));
            for (let i = 0; i < chunkCount; i++) f.sessions.chunk(OWNER, uploadId, i, slice(content, 64, i));
            expect(f.sessions.commit(OWNER, uploadId)).toHaveProperty('Ok');
        }
        expect(f.assets.deleteAsset('m1', 'thumbnail', '')?.size).toBe(10);
        expect(f.assets.deleteAsset('m1', 'thumbnail', '')).toBeUndefined();
        expect(f.assets.deleteMemory('m1')).toEqual({ count: 2, bytes: 150 });
        expect(f.assets.totals()).toMatchObject({ assetCount: 0, storedBytes: 0, assetsDeleted: 3 });
        expect(f.chunks.map.size).toBe(0);
        expect(f.assets.deleteMemory('m1')).toEqual({ count: 0, bytes: 0 });
    });
});

describe('chunk spacers (keeping large chunks apart in the stable B-tree)', () => {
    it('stores spacers after each slot of large-chunk uploads, and removes them with the chunks', () => {
        const f = bucketFixture({ chunkSize: 65_536 });
        const content = new Uint8Array(randomBytes(65_536 * 3 + 10));
        const { uploadId } = started(begin(f, content));
        const keys = () => [...f.chunks.map.keys()].filter((k) => k.startsWith(`${uploadId}/`));
        expect(keys()).toHaveLength(4 * SPACERS_PER_CHUNK);
        for (let i = 0; i < 4; i++) f.sessions.chunk(OWNER, uploadId, i, slice(content, 65_536, i));
        // Sorted, each chunk's key is followed by its spacers: no two chunks are neighbours.
        const sorted = f.chunks.keys().filter((k) => k.startsWith(`${uploadId}/`));
        const chunkPositions = sorted.flatMap((k, i) => (k.includes('~') ? [] : [i]));
        expect(chunkPositions).toEqual([0, 11, 22, 33]);
        expect(f.sessions.commit(OWNER, uploadId)).toMatchObject({ Ok: { spacers: SPACERS_PER_CHUNK } });
        expect(f.assets.readRange(f.assets.find('m1', 'original', 'a1')!, 0, content.length)).toEqual(content);
        f.assets.deleteAsset('m1', 'original', 'a1');
        expect(f.chunks.map.size).toBe(0);
    });

    it('uses none for small chunks or very many of them, and aborting removes what begin stored', () => {
        expect(spacersFor(64, 10)).toBe(0);
        expect(spacersFor(1_899_968, 2_001)).toBe(0);
        expect(spacersFor(1_899_968, 53)).toBe(SPACERS_PER_CHUNK);
        const f = bucketFixture({ chunkSize: 65_536 });
        const content = new Uint8Array(randomBytes(100_000));
        const { uploadId } = started(begin(f, content));
        f.sessions.chunk(OWNER, uploadId, 1, content.subarray(65_536));
        f.sessions.abort(OWNER, uploadId);
        expect(f.chunks.map.size).toBe(0);
    });
});
