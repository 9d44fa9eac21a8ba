/**
 * The bucket canister on localnet through PicJS (Candid interface): keyring authorization and
 * versions, the upload state machine and its typed errors, deletion rights, metrics, and what an
 * upgrade keeps. HTTP serving through the gateway is tested in bucketHttp.test.ts.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, STRANGER, USER, startBucket, encodeBucketArgs, type BucketHarness } from '../support/bucketNetwork';
import { bucketWasm } from '../support/bucketBuild';

let h: BucketHarness;
const sha = (bytes: Uint8Array) => new Uint8Array(createHash('sha256').update(bytes).digest());
const bytes = (n: number, seed = 1) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

beforeAll(async () => {
    h = await startBucket({ chunk_size: 65_536, session_ttl_seconds: 120 });
    await h.pushKeys(1n, [{ kid: 'k1' }]);
});

afterAll(async () => {
    await h?.stop();
});

describe('keyring', () => {
    it('refuses set_keyring from anyone but the auth canister', async () => {
        expect(await h.as(STRANGER).set_keyring({ version: 1n, keys: [] })).toEqual({ Err: { NotAuthorized: null } });
        expect(await h.as(USER).set_keyring({ version: 1n, keys: [] })).toEqual({ Err: { NotAuthorized: null } });
    });

    it('applies a push from the auth canister and reports kids, states and version, never key bytes', async () => {
        const fresh = await startBucket({}, h.network);
        expect((await fresh.actor.keyring_status()).version).toBe(0n);
        const result = await fresh.pushKeys(1n, [{ kid: 'k1' }]);
        expect(result).toEqual({ Ok: { version: 1n, keys: [{ kid: 'k1', state: { active: null }, not_after: [] }] } });
        const status = await fresh.actor.keyring_status();
        expect(JSON.stringify(status, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))).not.toMatch(/secret/);
        expect(status.version).toBe(1n);
    });

    it('re-acknowledges the current version, refuses older ones and invalid keyrings', async () => {
        const fresh = await startBucket({}, h.network);
        expect(await fresh.pushKeys(1n, [{ kid: 'k1' }])).toHaveProperty('Ok');
        expect(await fresh.pushKeys(1n, [{ kid: 'k1' }])).toHaveProperty('Ok');
        expect(await fresh.as(AUTH).set_keyring({ version: 1n, keys: [] })).toHaveProperty('Ok');
        expect(await fresh.pushKeys(0n, [{ kid: 'k1' }])).toEqual({ Err: { StaleVersion: { current: 1n } } });
        const invalid = await fresh.as(AUTH).set_keyring({ version: 5n, keys: [{ kid: 'k1', secret: new Uint8Array(8), state: { active: null }, not_after: [] }] });
        expect(invalid).toHaveProperty(['Err', 'Invalid']);
        expect((await fresh.actor.keyring_status()).version).toBe(1n);
    });
});

describe('uploads', () => {
    it('uploads in chunks and commits, returning the asset info', async () => {
        const content = bytes(200_000);
        const committed = await h.upload('m1', 'original', content, { contentType: 'video/mp4' });
        expect(committed).toMatchObject({
            Ok: { memory_id: 'm1', variant: { original: null }, size: 200_000n, content_type: 'video/mp4', chunk_count: 4, chunk_size: 65_536 }
        });
        expect((committed as { Ok: { sha256: Uint8Array } }).Ok.sha256).toEqual(sha(content));
    });

    async function begin(overrides: Record<string, unknown> = {}, grantOptions: Parameters<BucketHarness['token']>[0] = {}) {
        const content = bytes(100_000, 7);
        const grant = await h.token({ purpose: 'upload', memoryId: 'm2', variants: ['preview'], sub: USER, ...grantOptions });
        return {
            content,
            result: await h.as(USER).upload_begin({
                grant,
                memory_id: 'm2',
                variant: { preview: null },
                asset_id: [],
                content_type: 'image/webp',
                total_size: BigInt(content.length),
                sha256: sha(content),
                ...overrides
            })
        };
    }

    it('refuses a bad grant with its token error code', async () => {
        expect((await begin({}, { purpose: 'read' })).result).toMatchObject({ Err: { BadGrant: { code: 'SCOPE_MISMATCH' } } });
        expect((await begin({}, { sub: STRANGER })).result).toMatchObject({ Err: { BadGrant: { code: 'SCOPE_MISMATCH' } } });
        expect((await begin({}, { kid: 'k9' })).result).toMatchObject({ Err: { BadGrant: { code: 'UNKNOWN_KEY' } } });
        expect((await begin({ grant: 'garbage' })).result).toMatchObject({ Err: { BadGrant: { code: 'MALFORMED' } } });
        expect((await begin({}, { memoryId: 'other' })).result).toMatchObject({ Err: { BadGrant: { code: 'SCOPE_MISMATCH' } } });
    });

    it('refuses too large uploads and bad requests', async () => {
        expect((await begin({ total_size: 100_000_001n })).result).toMatchObject({ Err: { TooLarge: { max: 100_000_000n, size: 100_000_001n } } });
        expect((await begin({ sha256: new Uint8Array(3) })).result).toMatchObject({ Err: { InvalidRequest: expect.any(String) } });
        expect((await begin({ content_type: 'not a type' })).result).toMatchObject({ Err: { InvalidRequest: expect.any(String) } });
    });

    it('takes chunks in any order; reports missing, conflicting, out-of-range chunks and foreign sessions', async () => {
        const { content, result } = await begin();
        const id = result.Ok.upload_id;
        const user = h.as(USER);
        expect(await user.upload_chunk({ upload_id: id, index: 1, bytes: content.subarray(65_536) })).toEqual({ Ok: { received_bytes: 34_464n } });
        expect(await user.upload_commit({ upload_id: id })).toEqual({ Err: { MissingChunk: { index: 0 } } });
        expect(await user.upload_chunk({ upload_id: id, index: 2, bytes: content.subarray(65_536) })).toEqual({ Err: { ChunkOutOfRange: { index: 2, chunk_count: 2 } } });
        expect(await user.upload_chunk({ upload_id: id, index: 1, bytes: new Uint8Array(34_464) })).toEqual({ Err: { ChunkConflict: { index: 1 } } });
        expect(await user.upload_chunk({ upload_id: id, index: 1, bytes: content.subarray(65_536) })).toEqual({ Ok: { received_bytes: 34_464n } });
        expect(await h.as(STRANGER).upload_chunk({ upload_id: id, index: 0, bytes: content.subarray(0, 65_536) })).toEqual({ Err: { NotSessionOwner: null } });
        expect(await h.as(STRANGER).upload_status({ upload_id: id })).toEqual({ Err: { NotSessionOwner: null } });
        const status = await h.as(USER).upload_status({ upload_id: id });
        expect(status).toMatchObject({ Ok: { upload_id: id, memory_id: 'm2', variant: { preview: null }, chunk_count: 2, received_bytes: 34_464n, total_size: 100_000n } });
        expect(Array.from(status.Ok.received_chunks)).toEqual([1]);
        expect(await h.as(USER).upload_chunk({ upload_id: id, index: 0, bytes: content.subarray(0, 65_536) })).toEqual({ Ok: { received_bytes: 100_000n } });
        const commit = await h.as(USER).upload_commit({ upload_id: id });
        expect(commit).toMatchObject({ Ok: { size: 100_000n, sha256: sha(content), etag: `"${Buffer.from(sha(content)).toString('hex')}"` } });
        expect(await h.as(USER).upload_commit({ upload_id: id })).toEqual({ Err: { UnknownSession: null } });
    });

    it('refuses content that is not passive media, naming its type', async () => {
        for (const type of ['text/html', 'application/javascript', 'image/svg+xml']) {
            expect((await begin({ content_type: type })).result).toEqual({ Err: { UnsupportedContentType: { content_type: type } } });
        }
    });

    it('resumes the same content where it stopped: begin returns the open session', async () => {
        const { content, result } = await begin();
        await h.as(USER).upload_chunk({ upload_id: result.Ok.upload_id, index: 0, bytes: content.subarray(0, 65_536) });
        const again = await begin();
        expect(again.result).toMatchObject({ Ok: { upload_id: result.Ok.upload_id, resumed: true } });
        expect(Array.from((await h.as(USER).upload_status({ upload_id: result.Ok.upload_id })).Ok.received_chunks)).toEqual([0]);
        expect(await h.as(USER).upload_abort({ upload_id: result.Ok.upload_id })).toEqual({ Ok: null });
    });

    it('stores a wrongly declared hash as declared: only the uploader\'s own ETag is wrong', async () => {
        const declared = new Uint8Array(32).fill(0xab);
        const { content, result } = await begin({ sha256: declared });
        for (const [index, part] of [content.subarray(0, 65_536), content.subarray(65_536)].entries()) await h.as(USER).upload_chunk({ upload_id: result.Ok.upload_id, index, bytes: part });
        expect(await h.as(USER).upload_commit({ upload_id: result.Ok.upload_id })).toMatchObject({ Ok: { sha256: declared, etag: `"${'ab'.repeat(32)}"` } });
        const token = await h.token({ memoryId: 'm2' });
        const chunk = await h.actor.get_asset_chunk({ token, memory_id: 'm2', variant: { preview: null }, asset_id: [], index: 0 });
        expect(chunk).toMatchObject({ Ok: { etag: `"${'ab'.repeat(32)}"` } });
        expect(chunk.Ok.bytes).toEqual(content.subarray(0, 65_536));
    });

    it('aborts sessions and expires unfinished ones by timer', async () => {
        const aborted = await begin();
        expect(await h.as(USER).upload_abort({ upload_id: aborted.result.Ok.upload_id })).toEqual({ Ok: null });
        const stale = await begin();
        const before = await h.actor.metrics();
        expect(before.open_sessions).toBe(1n);
        await h.pic.advanceTime(180_000);
        await h.pic.tick(3);
        const after = await h.actor.metrics();
        expect(after.open_sessions).toBe(0n);
        expect(after.reserved_bytes).toBe(0n);
        expect(await h.as(USER).upload_chunk({ upload_id: stale.result.Ok.upload_id, index: 0, bytes: stale.content.subarray(0, 65_536) })).toEqual({
            Err: { ExpiredSession: null }
        });
    });
});

describe('deletion and metrics', () => {
    it('lets the auth canister or a delete grant holder delete, nobody else', async () => {
        await h.upload('m3', 'thumbnail', bytes(1000));
        await h.upload('m3', 'preview', bytes(2000));
        expect(await h.as(STRANGER).delete_asset({ memory_id: 'm3', variant: { thumbnail: null }, asset_id: [], grant: [] })).toEqual({
            Err: { NotAuthorized: null }
        });
        const readToken = await h.token({ memoryId: 'm3' });
        expect(await h.as(USER).delete_asset({ memory_id: 'm3', variant: { thumbnail: null }, asset_id: [], grant: [readToken] })).toMatchObject({
            Err: { BadGrant: { code: 'SCOPE_MISMATCH' } }
        });
        const deleteGrant = await h.token({ purpose: 'delete', memoryId: 'm3', variants: ['thumbnail'], sub: USER });
        expect(await h.as(USER).delete_asset({ memory_id: 'm3', variant: { thumbnail: null }, asset_id: [], grant: [deleteGrant] })).toEqual({
            Ok: { freed_bytes: 1000n }
        });
        expect(await h.as(AUTH).delete_memory({ memory_id: 'm3', grant: [] })).toEqual({ Ok: { deleted_assets: 1, freed_bytes: 2000n } });
        expect(await h.as(AUTH).delete_asset({ memory_id: 'm3', variant: { preview: null }, asset_id: [], grant: [] })).toEqual({ Err: { NotFound: null } });
    });

    it('lists a memory\'s assets of a variant for a read token', async () => {
        await h.upload('m4', 'preview', bytes(700), { contentType: 'image/png' });
        await h.upload('m4', 'preview', bytes(900), { contentType: 'image/jpeg', assetId: 'p2' });
        const listed = await h.actor.list_assets({ token: await h.token({ memoryId: 'm4' }), memory_id: 'm4', variant: { preview: null } });
        expect(listed.Ok.map((a: { asset_id: [] | [string]; size: bigint; content_type: string }) => [a.asset_id, a.size, a.content_type])).toEqual([
            [[], 700n, 'image/png'],
            [['p2'], 900n, 'image/jpeg']
        ]);
        expect(await h.actor.list_assets({ token: 'x', memory_id: 'm4', variant: { preview: null } })).toMatchObject({ Err: { Token: { code: 'MALFORMED', status: 401 } } });
        expect(await h.as(AUTH).delete_memory({ memory_id: 'm4', grant: [] })).toHaveProperty('Ok');
    });

    it('reports storage figures that updates changed', async () => {
        const before = await h.actor.metrics();
        await h.upload('m5', 'thumbnail', bytes(12_345), { contentType: 'image/png' });
        const after = await h.actor.metrics();
        expect([after.asset_count - before.asset_count, after.stored_bytes - before.stored_bytes, after.uploads_committed - before.uploads_committed]).toEqual([1n, 12_345n, 1n]);
        expect(after).toMatchObject({ keyring_version: 1n, active_kid: ['k1'], revocations: 0n });
        expect(await h.as(AUTH).delete_memory({ memory_id: 'm5', grant: [] })).toHaveProperty('Ok');
        expect((await h.actor.metrics()).assets_deleted - after.assets_deleted).toBe(1n);
    });
});

describe('upgrade', () => {
    it('keeps assets, keys, config and an old token working; applies new config fields', async () => {
        await h.upload('m1', 'original', bytes(200_000), { contentType: 'video/mp4' });
        const token = await h.token({ memoryId: 'm1' });
        await h.pic.upgradeCanister({ canisterId: h.bucketId, wasm: bucketWasm(), arg: encodeBucketArgs(AUTH, { stream_grace_seconds: 60 }) });
        expect((await h.actor.keyring_status()).version).toBe(1n);
        expect(await h.actor.get_config()).toMatchObject({ chunk_size: 65_536, stream_grace_seconds: 60, session_ttl_seconds: 120 });
        const chunk = await h.actor.get_asset_chunk({ token, memory_id: 'm1', variant: { original: null }, asset_id: [], index: 3 });
        expect(chunk).toMatchObject({ Ok: { index: 3, chunk_count: 4, size: 200_000n } });
        expect(chunk.Ok.bytes).toEqual(bytes(200_000).subarray(3 * 65_536));
    });

    it('refuses an invalid config at upgrade and keeps running the old code', async () => {
        await expect(
            h.pic.upgradeCanister({ canisterId: h.bucketId, wasm: bucketWasm(), arg: encodeBucketArgs(AUTH, { chunk_size: 1000 }) })
        ).rejects.toThrow(/invalid bucket config: chunk_size/);
        expect(await h.actor.get_config()).toMatchObject({ chunk_size: 65_536 });
    });
});

describe('bounds on a real canister', () => {
    it('answers StorageFull once a small configured capacity is really used, and TooManyUploads past the per-caller limit', async () => {
        const small = await startBucket({ chunk_size: 65_536, capacity_bytes: 300_000n }, h.network);
        await small.pushKeys(1n, [{ kid: 'k1' }]);
        const begin = async (memoryId: string, size: number, assetId?: string) => {
            const grant = await small.token({ purpose: 'upload', memoryId, variants: ['original'], sub: USER, ...(assetId ? { assetIds: [assetId] } : {}) });
            return small.as(USER).upload_begin({
                grant,
                memory_id: memoryId,
                variant: { original: null },
                asset_id: assetId ? [assetId] : [],
                content_type: 'video/mp4',
                total_size: BigInt(size),
                sha256: new Uint8Array(32)
            });
        };
        expect(await small.upload('m1', 'original', bytes(250_000), { contentType: 'video/mp4' })).toHaveProperty('Ok');
        expect(await begin('m2', 100_000)).toEqual({ Err: { StorageFull: { capacity: 300_000n, used: 250_000n } } });
        expect(await begin('m2', 50_000)).toHaveProperty('Ok');
        expect(await small.as(AUTH).delete_memory({ memory_id: 'm1', grant: [] })).toHaveProperty('Ok');
        for (let i = 0; i < 31; i++) expect(await begin('m3', 10, `a${i}`)).toHaveProperty('Ok');
        expect(await begin('m3', 10, 'one-more')).toEqual({ Err: { TooManyUploads: { scope: { caller: null }, limit: 32 } } });
        expect((await small.actor.metrics()).open_sessions).toBe(32n);
    });
});
