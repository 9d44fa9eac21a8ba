/**
 * An upgrade from the previous release's stored layout (PREVIOUS_RELEASE, built from git): the
 * auth canister and its buckets are installed with that code, filled (memories, grants, keys after
 * a rotation, assets, an upload half done), then upgraded to the current build. Every memory,
 * grant, key and asset is still there, tokens minted before still verify, and the half-done
 * upload finishes.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Principal } from '@icp-sdk/core/principal';
import { authWasm, bucketWasm } from '../../scripts/canisterBuilds';
import { previousRelease } from '../support/previousRelease';
import { ADMIN, bucketInstallArgs, EDITOR, EMPTY_ARGS, ok, OWNER, startAuthSystem, VIEWER, type AuthSystem } from '../support/authSystem';

let s: AuthSystem;
const photo = Uint8Array.from({ length: 150_000 }, (_, i) => (i * 7 + 3) & 0xff);
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const before: {
    memories: string[];
    grants: Map<string, string>;
    keyStatus: any;
    token: string;
    bucket: Principal;
    halfUpload: { uploadId: string; content: Uint8Array; memoryId: string };
} = {} as never;

beforeAll(async () => {
    s = await startAuthSystem({ buckets: [1_000_000_000n, 1_000_000_000n], previous: await previousRelease() });
    // Fill it through the previous release's interface.
    for (let i = 0; i < 4; i++) ok(await s.auth(OWNER).create_memory({ title: `before ${i}` }));
    before.memories = (await s.auth(OWNER).list_memories({ cursor: [], limit: [] })).memories.map((m: { id: string }) => m.id);
    const [first, second] = before.memories as [string, string];
    ok(await s.auth(OWNER).grant({ memory_id: first, principal: VIEWER, role: { viewer: null } }));
    ok(await s.auth(OWNER).grant({ memory_id: second, principal: EDITOR, role: { editor: null } }));
    ok(await s.auth(ADMIN).rotate_keys());
    await s.keysSettled();
    // The previous bucket took chunks in order only: upload one at a time.
    await s.upload(OWNER, first, 'original', photo, { contentType: 'image/jpeg', concurrency: 1 });
    const minted = ok(await s.auth(VIEWER).mint_http_token({ memory_id: first, variants: [{ original: null }], asset_ids: [], ttl_seconds: [3600] }));
    before.token = minted.token;
    before.bucket = Principal.fromText(minted.bucket.toText());
    before.keyStatus = ok(await s.auth(ADMIN).key_status());
    before.grants = new Map([
        [first, 'viewer'],
        [second, 'editor']
    ]);
    // An upload left half done: two of three chunks sent, in order.
    const content = Uint8Array.from({ length: 5_000_000 }, (_, i) => (i * 13) & 0xff);
    const grant = ok(await s.auth(OWNER).mint_upload_grant({ memory_id: first, variants: [{ preview: null }], asset_ids: [] }));
    const bucket = s.bucket(Principal.fromText(grant.bucket.toText()), OWNER);
    const begun = ok(await bucket.upload_begin({ grant: grant.token, memory_id: first, variant: { preview: null }, asset_id: [], content_type: 'image/jpeg', total_size: BigInt(content.length), sha256: createHash('sha256').update(content).digest() }));
    for (const index of [0, 1]) ok(await bucket.upload_chunk({ upload_id: begun.upload_id, index, bytes: content.subarray(index * begun.chunk_size, (index + 1) * begun.chunk_size) }));
    before.halfUpload = { uploadId: begun.upload_id, content, memoryId: first };

    // The upgrade: the auth canister, then every bucket, to the current build.
    await s.pic.upgradeCanister({ canisterId: s.authId as never, wasm: authWasm(), arg: EMPTY_ARGS, sender: ADMIN as never });
    for (const bucketId of s.bucketIds) {
        await s.pic.upgradeCanister({ canisterId: bucketId as never, wasm: bucketWasm(), arg: bucketInstallArgs(s.authId), sender: ADMIN as never });
    }
    s.useCurrentInterfaces();
    await s.step(0);
});
afterAll(async () => s?.stop());

describe('an upgrade from the previous release', () => {
    it('keeps every memory and grant', async () => {
        const after = (await s.auth(OWNER).list_memories({ cursor: [], limit: [] })).memories.map((m: { id: string }) => m.id);
        // (Another test may have created one more since: every memory from before is still listed, in order.)
        expect(after.filter((id: string) => before.memories.includes(id))).toEqual(before.memories);
        for (const [memoryId, role] of before.grants) {
            const grantee = role === 'viewer' ? VIEWER : EDITOR;
            expect(Object.keys(ok(await s.auth(grantee).get_memory({ memory_id: memoryId })).memory.role)).toEqual([role]);
        }
        expect(ok(await s.auth(OWNER).get_memory({ memory_id: before.memories[0] })).grants).toHaveLength(2);
    });

    it('keeps the keys: same kids and version, every bucket still acknowledging them', async () => {
        const status = ok(await s.auth(ADMIN).key_status());
        expect(status.version).toBe(before.keyStatus.version);
        expect(status.keys.map((k: { kid: string }) => k.kid)).toEqual(before.keyStatus.keys.map((k: { kid: string }) => k.kid));
        expect(status.buckets.map((b: { acknowledged_kid: [] | [string] }) => b.acknowledged_kid)).toEqual(before.keyStatus.buckets.map((b: { acknowledged_kid: [] | [string] }) => b.acknowledged_kid));
    });

    it('keeps the assets, and a token minted before the upgrade still reads them', async () => {
        const response = await s.fetchAsset(before.bucket, `/asset/${before.memories[0]}/original?token=${before.token}`);
        expect(response.status).toBe(200);
        expect(sha(response.body)).toBe(sha(photo));
        const fresh = ok(await s.auth(VIEWER).mint_http_token({ memory_id: before.memories[0], variants: [{ original: null }], asset_ids: [], ttl_seconds: [] }));
        expect((await s.fetchAsset(before.bucket, `/asset/${before.memories[0]}/original?token=${fresh.token}`)).status).toBe(200);
    });

    it('finishes the upload that was half done, and keeps creating memories with new ids', async () => {
        const { uploadId, content, memoryId } = before.halfUpload;
        const bucket = s.bucket(before.bucket, OWNER);
        const status = ok(await bucket.upload_status({ upload_id: uploadId }));
        expect(Array.from(status.received_chunks)).toEqual([0, 1]);
        ok(await bucket.upload_chunk({ upload_id: uploadId, index: 2, bytes: content.subarray(2 * status.chunk_size) }));
        expect(ok(await bucket.upload_commit({ upload_id: uploadId })).size).toBe(5_000_000n);
        const token = ok(await s.auth(OWNER).mint_http_token({ memory_id: memoryId, variants: [{ preview: null }], asset_ids: [], ttl_seconds: [] })).token;
        expect(sha((await s.fetchAsset(before.bucket, `/asset/${memoryId}/preview?token=${token}`)).body)).toBe(sha(content));
        const created = ok(await s.auth(OWNER).create_memory({ title: 'after' }));
        expect(before.memories).not.toContain(created.id);
    });
});
