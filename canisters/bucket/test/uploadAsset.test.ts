/**
 * The upload client against the bucket's real session logic (in memory): parallel chunks, retry,
 * resume, progress and cancellation, with the calls counted.
 */
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Of, uploadAsset, UploadCancelledError, UploadFailedError, type UploadCalls, type UploadProgress } from '../client/uploadAsset';
import { bucketFixture } from './storeFixture';

const OWNER = 'rrkah-fqaaa-aaaaa-aaaaq-cai';
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** An actor over UploadSessions, as the canister adapter wires it, with hooks to delay or fail calls. */
function fakeBucket(f: ReturnType<typeof bucketFixture>, hooks: { beforeChunk?: (index: number, attempt: number) => void | Promise<void> } = {}) {
    const calls = { begin: 0, chunk: [] as number[], status: 0, commit: 0, abort: 0 };
    let inFlight = 0;
    let maxInFlight = 0;
    const attempts = new Map<number, number>();
    const bucket: UploadCalls = {
        async upload_begin(arg: any) {
            calls.begin += 1;
            const r = f.sessions.begin({
                owner: OWNER,
                memoryId: arg.memory_id,
                variant: Object.keys(arg.variant)[0] as 'original',
                assetId: arg.asset_id[0] ?? '',
                contentType: arg.content_type,
                totalSize: arg.total_size,
                sha256: arg.sha256,
                grantIssuedAt: 0
            });
            return 'Ok' in r ? { Ok: { upload_id: r.Ok.uploadId, chunk_size: r.Ok.chunkSize, chunk_count: r.Ok.chunkCount, resumed: r.Ok.resumed } } : r;
        },
        async upload_chunk(arg: any) {
            const attempt = (attempts.get(arg.index) ?? 0) + 1;
            attempts.set(arg.index, attempt);
            inFlight += 1;
            maxInFlight = Math.max(maxInFlight, inFlight);
            try {
                await new Promise((r) => setImmediate(r));
                await hooks.beforeChunk?.(arg.index, attempt);
                calls.chunk.push(arg.index);
                return f.sessions.chunk(OWNER, arg.upload_id, arg.index, arg.bytes);
            } finally {
                inFlight -= 1;
            }
        },
        async upload_status(arg: any) {
            calls.status += 1;
            const r = f.sessions.status(OWNER, arg.upload_id);
            return 'Ok' in r ? { Ok: { received_chunks: r.Ok.receivedChunks } } : r;
        },
        async upload_commit(arg: any) {
            calls.commit += 1;
            return f.sessions.commit(OWNER, arg.upload_id);
        },
        async upload_abort(arg: any) {
            calls.abort += 1;
            return f.sessions.abort(OWNER, arg.upload_id);
        }
    };
    return { bucket, calls, maxInFlight: () => maxInFlight };
}

const request = (content: Uint8Array) => ({ grant: 'g', memoryId: 'm1', variant: 'original', assetId: 'a1', contentType: 'video/mp4', content });
const noWait = async () => undefined;

describe('uploadAsset', () => {
    it('sends chunks several at a time and commits the right bytes, reporting progress up to 100 %', async () => {
        const f = bucketFixture({ chunkSize: 64 });
        const content = new Uint8Array(randomBytes(64 * 20 + 5));
        const fake = fakeBucket(f);
        const progress: UploadProgress[] = [];
        const result = await uploadAsset(fake.bucket, request(content), { concurrency: 4, onProgress: (p) => progress.push(p) });
        expect(result).toHaveProperty('Ok');
        expect(fake.maxInFlight()).toBe(4);
        expect(sha(f.assets.readRange(f.assets.find('m1', 'original', 'a1')!, 0, content.length))).toBe(sha(content));
        expect(f.assets.find('m1', 'original', 'a1')!.sha256).toBe(sha(content));
        expect(progress[0]).toMatchObject({ acknowledgedBytes: 0, chunksAcknowledged: 0, chunkCount: 21, resumed: false });
        expect(progress.at(-1)).toMatchObject({ acknowledgedBytes: content.length, totalBytes: content.length, chunksAcknowledged: 21 });
        for (let i = 1; i < progress.length; i++) expect(progress[i]!.acknowledgedBytes).toBeGreaterThan(progress[i - 1]!.acknowledgedBytes);
        expect(fake.calls.chunk.sort((a, b) => a - b)).toEqual([...Array(21).keys()]);
    });

    it('retries a call that fails in transit, with backoff, and gives up after the configured attempts', async () => {
        const f = bucketFixture({ chunkSize: 64 });
        const content = new Uint8Array(randomBytes(300));
        const delays: number[] = [];
        const flaky = fakeBucket(f, {
            beforeChunk(index, attempt) {
                if (index === 2 && attempt <= 2) throw new Error('IC0515: canister is stopping');
            }
        });
        await uploadAsset(flaky.bucket, request(content), { sleep: async (ms) => void delays.push(ms), retry: { baseDelayMs: 100 } });
        expect(delays).toEqual([100, 200]);
        expect(sha(f.assets.readRange(f.assets.find('m1', 'original', 'a1')!, 0, 300))).toBe(sha(content));

        const g = bucketFixture({ chunkSize: 64 });
        const broken = fakeBucket(g, {
            beforeChunk(index) {
                if (index === 1) throw new Error('network down');
            }
        });
        await expect(uploadAsset(broken.bucket, request(content), { sleep: noWait, retry: { attempts: 3 } })).rejects.toThrow('network down');
        expect(broken.calls.commit).toBe(0);
        expect(g.assets.find('m1', 'original', 'a1')).toBeUndefined();
    });

    it('resumes after a crash: only the chunks the bucket lacks are sent again', async () => {
        const f = bucketFixture({ chunkSize: 64 });
        const content = new Uint8Array(randomBytes(64 * 12));
        // The first attempt "crashes" once 7 chunks are in (a chunk call that never succeeds).
        let sent = 0;
        const crashing = fakeBucket(f, {
            beforeChunk() {
                if (sent++ >= 7) throw new Error('tab closed');
            }
        });
        await expect(uploadAsset(crashing.bucket, request(content), { concurrency: 1, sleep: noWait, retry: { attempts: 1 } })).rejects.toThrow('tab closed');
        const held = f.sessions.openSessions();
        expect(held).toBe(1);
        const again = fakeBucket(f);
        const progress: UploadProgress[] = [];
        await uploadAsset(again.bucket, request(content), { onProgress: (p) => progress.push(p) });
        expect(again.calls.status).toBe(1);
        expect(again.calls.chunk.sort((a, b) => a - b)).toEqual([7, 8, 9, 10, 11]);
        expect(progress[0]).toMatchObject({ resumed: true, acknowledgedBytes: 7 * 64, chunksAcknowledged: 7 });
        expect(sha(f.assets.readRange(f.assets.find('m1', 'original', 'a1')!, 0, content.length))).toBe(sha(content));
    });

    it('cancels: no new calls, the session is aborted, the promise rejects', async () => {
        const f = bucketFixture({ chunkSize: 64 });
        const content = new Uint8Array(randomBytes(64 * 30));
        const controller = new AbortController();
        const fake = fakeBucket(f, {
            beforeChunk(index) {
                if (index === 5) controller.abort();
            }
        });
        await expect(uploadAsset(fake.bucket, request(content), { concurrency: 2, signal: controller.signal })).rejects.toBeInstanceOf(UploadCancelledError);
        expect(fake.calls.chunk.length).toBeLessThan(10);
        expect(fake.calls.abort).toBe(1);
        expect(fake.calls.commit).toBe(0);
        expect(f.sessions.openSessions()).toBe(0);
        expect(f.assets.totals().reservedBytes).toBe(0);
    });

    it('stops at a refusal without retrying it: a refused type sends no chunk', async () => {
        const f = bucketFixture({ chunkSize: 64 });
        const fake = fakeBucket(f);
        const refused = uploadAsset(fake.bucket, { ...request(new Uint8Array(10)), contentType: 'text/html' });
        await expect(refused).rejects.toBeInstanceOf(UploadFailedError);
        await expect(refused).rejects.toThrow('UnsupportedContentType');
        expect([fake.calls.begin, fake.calls.chunk.length]).toEqual([1, 0]);
    });

    it('hashes with the platform digest, equal to Node crypto', async () => {
        const content = new Uint8Array(randomBytes(100_000));
        expect(Buffer.from(await sha256Of(content)).toString('hex')).toBe(sha(content));
    });
});
