import { describe, expect, it } from 'vitest';
import type { AssetChunkRecord, BucketService } from '../../src/ic/bucketService';
import { AgentAssetError, fetchAssetViaAgent } from '../../src/ic/fetchAssetViaAgent';

/** A bucket answering get_asset_chunk from bytes in memory, recording the calls. */
function fakeBucket(content: Uint8Array, chunkSize: number, refuse?: { code: string; status: number }) {
    const calls: number[] = [];
    const chunkCount = Math.max(1, Math.ceil(content.length / chunkSize));
    const bucket: BucketService = {
        async get_asset_chunk({ index, token }) {
            calls.push(index);
            await new Promise((resolve) => setTimeout(resolve, (chunkCount - index) % 3)); // out-of-order replies
            if (refuse) return { Err: { Token: { ...refuse, detail: 'no' } } };
            if (token !== 'tok') return { Err: { InvalidRequest: 'bad token' } };
            if (index >= chunkCount) return { Err: { ChunkOutOfRange: { chunk_count: chunkCount } } };
            const chunk: AssetChunkRecord = {
                bytes: content.slice(index * chunkSize, (index + 1) * chunkSize),
                index,
                chunk_count: chunkCount,
                chunk_size: chunkSize,
                size: BigInt(content.length),
                content_type: 'image/png',
                etag: '"e"'
            };
            return { Ok: chunk };
        }
    };
    return { bucket, calls };
}

describe('fetchAssetViaAgent', () => {
    it('fetches every chunk and puts the bytes back in order, reporting progress', async () => {
        const content = Uint8Array.from({ length: 10_000 }, (_, i) => (i * 7) % 251);
        const { bucket, calls } = fakeBucket(content, 1_024);
        const progress: number[] = [];
        const asset = await fetchAssetViaAgent(bucket, { token: 'tok', memoryId: 'm1', variant: 'original' }, (loaded) => progress.push(loaded));
        expect(asset.bytes).toEqual(content);
        expect(asset.contentType).toBe('image/png');
        expect([...calls].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        expect(progress.at(-1)).toBe(10_000);
        expect(progress).toEqual([...progress].sort((a, b) => a - b));
    });

    it('reports a refused token as the HTTP path would (re-mint for expired)', async () => {
        const { bucket } = fakeBucket(new Uint8Array(10), 1_024, { code: 'EXPIRED', status: 403 });
        const error = await fetchAssetViaAgent(bucket, { token: 'tok', memoryId: 'm1', variant: 'preview' }, () => undefined).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(AgentAssetError);
        expect((error as AgentAssetError).failure).toEqual({ kind: 'token', code: 'EXPIRED', remint: true });
    });

    it('reads a code given as the header value too', async () => {
        const { bucket } = fakeBucket(new Uint8Array(10), 1_024, { code: 'scope_mismatch', status: 403 });
        const error = (await fetchAssetViaAgent(bucket, { token: 'tok', memoryId: 'm1', variant: 'preview' }, () => undefined).catch((e: unknown) => e)) as AgentAssetError;
        expect(error.failure).toEqual({ kind: 'token', code: 'SCOPE_MISMATCH', remint: false });
    });
});
