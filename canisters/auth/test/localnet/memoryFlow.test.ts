/**
 * The auth canister with three buckets on localnet: a memory's life from creation to deletion,
 * with the bytes fetched through the HTTP gateway as a browser would.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Principal } from '@icp-sdk/core/principal';
import { ADMIN, ALL_VARIANTS, ANONYMOUS, decodeToken, EDITOR, errorName, ok, OWNER, startAuthSystem, STRANGER, VIEWER, type AuthSystem } from '../support/authSystem';

let s: AuthSystem;
const photo = Uint8Array.from({ length: 120_000 }, (_, i) => (i * 31 + 7) & 0xff);
let principals = 100;
/** A principal no other test uses (for lists that must hold only this test's memories). */
const freshPrincipal = () => Principal.selfAuthenticating(new Uint8Array(32).fill(++principals));

beforeAll(async () => {
    s = await startAuthSystem();
});
afterAll(async () => s?.stop());

/** A memory of `owner` with a thumbnail uploaded: each test starts from its own. */
async function newMemory(owner = OWNER): Promise<{ memoryId: string; bucket: Principal }> {
    const memory = ok(await s.auth(owner).create_memory({ title: 'memory' }));
    await s.upload(owner, memory.id, 'thumbnail', photo, { contentType: 'image/jpeg' });
    return { memoryId: memory.id, bucket: Principal.fromText(memory.bucket.toText()) };
}

const mint = (caller: Principal, id: string, extra: Record<string, unknown> = {}) =>
    s.auth(caller).mint_http_token({ memory_id: id, variants: [{ thumbnail: null }], asset_ids: [], ttl_seconds: [], ...extra });

describe('a memory from creation to deletion', () => {
    it('creates a memory owned by the caller, placed on a registered bucket', async () => {
        const memory = ok(await s.auth(OWNER).create_memory({ title: '  Summer 2026  ' }));
        expect(memory.id).toMatch(/^m[0-9a-f]{32}$/);
        expect(memory.owner.toText()).toBe(OWNER.toText());
        expect(memory.title).toBe('Summer 2026');
        expect(memory.role).toEqual({ owner: null });
        expect(s.bucketIds.map((b) => b.toText())).toContain(memory.bucket.toText());
    });

    it('uploads through an upload grant, mints a read token and serves the bytes through the gateway', async () => {
        const memory = ok(await s.auth(OWNER).create_memory({ title: 'upload' }));
        const bucket = Principal.fromText(memory.bucket.toText());
        const info = await s.upload(OWNER, memory.id, 'thumbnail', photo, { contentType: 'image/jpeg' });
        expect(Buffer.from(info.sha256).toString('hex')).toBe(createHash('sha256').update(photo).digest('hex'));
        const minted = ok(await mint(OWNER, memory.id));
        expect(minted.bucket.toText()).toBe(bucket.toText());
        const now = await s.nowSeconds();
        expect(Number(minted.expires_at) - now).toBeGreaterThanOrEqual(179);
        expect(Number(minted.expires_at) - now).toBeLessThanOrEqual(181);
        const response = await s.fetchAsset(bucket, `/asset/${memory.id}/thumbnail?token=${minted.token}`);
        expect(response.status).toBe(200);
        expect(response.body.equals(Buffer.from(photo))).toBe(true);
        expect(response.headers['content-type']).toBe('image/jpeg');
    });

    it('mints read tokens whose claims name the bucket, the scope and the lifetime asked for, and no principal', async () => {
        const { memoryId, bucket } = await newMemory();
        const minted = ok(await mint(OWNER, memoryId, { variants: [{ preview: null }, { thumbnail: null }], asset_ids: [['a1', 'a2']], ttl_seconds: [600] }));
        const claims = decodeToken(minted.token);
        expect(claims.aud).toBe(bucket.toText());
        expect(claims.sub).toBeUndefined();
        expect(claims.kid).toBe(minted.kid);
        expect(claims.purpose).toBe('read');
        expect(claims.scope.memoryId).toBe(memoryId);
        expect([...claims.scope.variants].sort()).toEqual(['preview', 'thumbnail']);
        expect(claims.scope.assetIds).toEqual(['a1', 'a2']);
        expect(claims.exp - claims.iat).toBe(600);
        expect(minted.token.length).toBeLessThan(300);
    });

    it('caps the lifetime at max_ttl_seconds and refuses bad variant lists with InvalidRequest', async () => {
        const { memoryId } = await newMemory();
        const capped = ok(await mint(OWNER, memoryId, { ttl_seconds: [1_000_000] }));
        const claims = decodeToken(capped.token);
        expect(claims.exp - claims.iat).toBe(3600);
        expect(errorName(await mint(OWNER, memoryId, { variants: [] }))).toBe('InvalidRequest');
        expect(errorName(await mint(OWNER, memoryId, { variants: [{ thumbnail: null }, { thumbnail: null }] }))).toBe('InvalidRequest');
        expect(errorName(await mint(OWNER, 'not/an id'))).toBe('InvalidRequest');
        expect(errorName(await mint(OWNER, 'm0123456789abcdef0123456789abcdef'))).toBe('NotFound');
    });

    it('lets a viewer mint after a grant, and not after the grant is revoked', async () => {
        const { memoryId, bucket } = await newMemory();
        expect(errorName(await mint(VIEWER, memoryId))).toBe('NotFound');
        ok(await s.auth(OWNER).grant({ memory_id: memoryId, principal: VIEWER, role: { viewer: null } }));
        const minted = ok(await mint(VIEWER, memoryId));
        expect((await s.fetchAsset(bucket, `/asset/${memoryId}/thumbnail?token=${minted.token}`)).status).toBe(200);
        // A viewer sees the memory (without the grant list) and may not upload.
        const seen = ok(await s.auth(VIEWER).get_memory({ memory_id: memoryId }));
        expect([seen.memory.role, seen.grants]).toEqual([{ viewer: null }, []]);
        expect(errorName(await s.auth(VIEWER).mint_upload_grant({ memory_id: memoryId, variants: [{ original: null }], asset_ids: [] }))).toBe('NotAuthorized');
        ok(await s.auth(OWNER).revoke({ memory_id: memoryId, principal: VIEWER }));
        expect(errorName(await mint(VIEWER, memoryId))).toBe('NotFound');
        expect(errorName(await s.auth(VIEWER).get_memory({ memory_id: memoryId }))).toBe('NotFound');
    });

    it('refuses strangers, anonymous callers and admins (admin rights give no access to memories), telling strangers nothing', async () => {
        const { memoryId } = await newMemory();
        // A stranger cannot tell an existing memory from one that never existed.
        expect(errorName(await mint(STRANGER, memoryId))).toBe('NotFound');
        expect(errorName(await mint(STRANGER, 'm0123456789abcdef0123456789abcdef'))).toBe('NotFound');
        expect(errorName(await s.auth(STRANGER).get_memory({ memory_id: memoryId }))).toBe('NotFound');
        expect(errorName(await s.auth(STRANGER).revoke({ memory_id: memoryId, principal: STRANGER }))).toBe('NotFound');
        expect(errorName(await mint(ANONYMOUS, memoryId))).toBe('Anonymous');
        expect(errorName(await mint(ADMIN, memoryId))).toBe('NotFound');
        expect(errorName(await s.auth(ANONYMOUS).mint_upload_grant({ memory_id: memoryId, variants: [{ original: null }], asset_ids: [] }))).toBe('Anonymous');
        expect((await s.auth(ANONYMOUS).list_memories({ cursor: [], limit: [] })).memories).toEqual([]);
    });

    it('lets an editor upload another variant, lists the memory for every member and pages the list', async () => {
        const owner = freshPrincipal();
        const editor = freshPrincipal();
        const { memoryId, bucket } = await newMemory(owner);
        ok(await s.auth(owner).grant({ memory_id: memoryId, principal: editor, role: { editor: null } }));
        const preview = photo.subarray(0, 5000);
        await s.upload(editor, memoryId, 'preview', preview, { contentType: 'image/webp' });
        const token = ok(await s.auth(editor).mint_http_token({ memory_id: memoryId, variants: [{ preview: null }], asset_ids: [], ttl_seconds: [] })).token;
        const response = await s.fetchAsset(bucket, `/asset/${memoryId}/preview?token=${token}`);
        expect([response.status, response.body.equals(Buffer.from(preview))]).toEqual([200, true]);

        const listed = await s.auth(editor).list_memories({ cursor: [], limit: [] });
        expect(listed.memories.map((m: any) => [m.id, m.role])).toEqual([[memoryId, { editor: null }]]);
        // The owner's list, newest first, two per page.
        const more = [ok(await s.auth(owner).create_memory({ title: 'b' })).id, ok(await s.auth(owner).create_memory({ title: 'c' })).id];
        const page1 = await s.auth(owner).list_memories({ cursor: [], limit: [2] });
        expect(page1.memories.map((m: any) => m.id)).toEqual([more[1], more[0]]);
        const page2 = await s.auth(owner).list_memories({ cursor: page1.next_cursor, limit: [2] });
        expect([page2.memories.map((m: any) => m.id), page2.next_cursor]).toEqual([[memoryId], []]);
        const full = ok(await s.auth(owner).get_memory({ memory_id: memoryId }));
        // The owner sees every member, the owner included.
        expect(full.grants.map((g: any) => [g.principal.toText(), Object.keys(g.role)[0]]).sort()).toEqual(
            [
                [editor.toText(), 'editor'],
                [owner.toText(), 'owner']
            ].sort()
        );
    });

    it('mints a gallery batch: tokens for visible memories and a reason for each other one', async () => {
        const { memoryId, bucket } = await newMemory();
        ok(await s.auth(OWNER).grant({ memory_id: memoryId, principal: EDITOR, role: { editor: null } }));
        const stranger = ok(await s.auth(STRANGER).create_memory({ title: 'not yours' })).id;
        const ids = [memoryId, stranger, 'm0123456789abcdef0123456789abcdef', 'bad id'];
        const batch = await s.auth(EDITOR).mint_http_tokens({ memory_ids: ids, variants: [{ thumbnail: null }], ttl_seconds: [] });
        expect(batch.map((item: any) => [item.memory_id, 'Ok' in item.result ? 'Ok' : errorName(item.result)])).toEqual([
            [memoryId, 'Ok'],
            [stranger, 'NotFound'],
            ['m0123456789abcdef0123456789abcdef', 'NotFound'],
            ['bad id', 'InvalidRequest']
        ]);
        const token = batch[0].result.Ok.token;
        expect((await s.fetchAsset(bucket, `/asset/${memoryId}/thumbnail?token=${token}`)).status).toBe(200);
        const tooMany = Array.from({ length: 101 }, () => memoryId);
        await expect(s.auth(EDITOR).mint_http_tokens({ memory_ids: tooMany, variants: [{ thumbnail: null }], ttl_seconds: [] })).rejects.toThrow(/at most 100 memories per batch, got 101/);
        const full = await s.auth(EDITOR).mint_http_tokens({ memory_ids: tooMany.slice(1), variants: [{ thumbnail: null }], ttl_seconds: [] });
        expect(full.length === 100 && full.every((item: any) => 'Ok' in item.result)).toBe(true);
    });

    it('transfers ownership: the new owner has every right, the previous one stays as an editor', async () => {
        const { memoryId } = await newMemory();
        ok(await s.auth(OWNER).transfer_ownership({ memory_id: memoryId, new_owner: STRANGER }));
        expect(errorName(await s.auth(OWNER).grant({ memory_id: memoryId, principal: VIEWER, role: { viewer: null } }))).toBe('NotAuthorized');
        expect(errorName(await s.auth(OWNER).delete_memory({ memory_id: memoryId }))).toBe('NotAuthorized');
        expect(ok(await s.auth(OWNER).get_memory({ memory_id: memoryId })).memory.role).toEqual({ editor: null });
        ok(await mint(OWNER, memoryId));
        const memory = ok(await s.auth(STRANGER).get_memory({ memory_id: memoryId })).memory;
        expect([memory.owner.toText(), memory.role]).toEqual([STRANGER.toText(), { owner: null }]);
        ok(await s.auth(STRANGER).transfer_ownership({ memory_id: memoryId, new_owner: OWNER }));
        ok(await s.auth(OWNER).revoke({ memory_id: memoryId, principal: STRANGER }));
        expect(errorName(await mint(STRANGER, memoryId))).toBe('NotFound');
    });

    it('deletes a memory with its assets in the bucket; its tokens are revoked at once', async () => {
        const editor = freshPrincipal();
        const { memoryId, bucket } = await newMemory();
        ok(await s.auth(OWNER).grant({ memory_id: memoryId, principal: editor, role: { editor: null } }));
        await s.upload(editor, memoryId, 'preview', photo.subarray(0, 5000), { contentType: 'image/webp' });
        const token = ok(await mint(OWNER, memoryId)).token;
        const deleteGrant = ok(await s.auth(OWNER).mint_delete_grant({ memory_id: memoryId, variants: [], asset_ids: [] }));
        expect(decodeToken(deleteGrant.token).purpose).toBe('delete');
        const deleted = ok(await s.auth(OWNER).delete_memory({ memory_id: memoryId }));
        expect(deleted.assets_deleted).toEqual([2]);
        expect(errorName(await s.auth(OWNER).get_memory({ memory_id: memoryId }))).toBe('NotFound');
        expect(errorName(await mint(editor, memoryId))).toBe('NotFound');
        const refused = await s.fetchAsset(bucket, `/asset/${memoryId}/thumbnail?token=${token}`);
        expect([refused.status, refused.headers['x-token-error']]).toEqual([403, 'revoked']);
        const listed = await s.auth(editor).list_memories({ cursor: [], limit: [] });
        expect(listed.memories).toEqual([]);
    });
});

describe('input checks', () => {
    it('rejects undecodable arguments of the minting queries with a message, not a trap', async () => {
        const raw = (method: string, arg: Uint8Array) => s.pic.queryCall({ canisterId: s.authId as never, method, arg, sender: OWNER as never });
        for (const method of ['mint_http_token', 'mint_http_tokens', 'mint_upload_grant', 'mint_delete_grant']) {
            await expect(raw(method, Uint8Array.of(1, 2, 3))).rejects.toThrow(/invalid arguments/);
            await expect(raw(method, new TextEncoder().encode('DIDL\x00\x01\x71\x03abc'))).rejects.toThrow(/invalid arguments/);
        }
    });

    it('refuses overlong titles and role changes that make no sense', async () => {
        expect(errorName(await s.auth(OWNER).create_memory({ title: 'x'.repeat(1000) }))).toBe('InvalidRequest');
        const id = ok(await s.auth(OWNER).create_memory({ title: 'checks' })).id;
        expect(errorName(await s.auth(OWNER).grant({ memory_id: id, principal: VIEWER, role: { owner: null } }))).toBe('InvalidRequest');
        expect(errorName(await s.auth(OWNER).grant({ memory_id: id, principal: ANONYMOUS, role: { viewer: null } }))).toBe('InvalidRequest');
        expect(errorName(await s.auth(OWNER).grant({ memory_id: id, principal: OWNER, role: { viewer: null } }))).toBe('InvalidRequest');
        expect(errorName(await s.auth(OWNER).revoke({ memory_id: id, principal: OWNER }))).toBe('InvalidRequest');
        expect(errorName(await s.auth(OWNER).transfer_ownership({ memory_id: id, new_owner: ANONYMOUS }))).toBe('InvalidRequest');
        // A grantee may leave on their own.
        ok(await s.auth(OWNER).grant({ memory_id: id, principal: VIEWER, role: { viewer: null } }));
        ok(await s.auth(VIEWER).revoke({ memory_id: id, principal: VIEWER }));
        expect(errorName(await s.auth(VIEWER).get_memory({ memory_id: id }))).toBe('NotFound');
    });

    it('shares a memory with at most 1,000 principals', async () => {
        const grantees = Array.from({ length: 1000 }, (_, i) => ({ principal: Principal.selfAuthenticating(Uint8Array.from({ length: 32 }, (_, j) => (j < 4 ? (i >> (8 * j)) & 0xff : 77))), role: { viewer: null } }));
        const [id] = ok(await s.auth(ADMIN).import_memories([{ owner: OWNER, title: 'popular', bucket: [], grants: grantees }]));
        expect(errorName(await s.auth(OWNER).grant({ memory_id: id, principal: VIEWER, role: { viewer: null } }))).toBe('InvalidRequest');
        // Changing an existing grantee's role is still allowed; so is deleting the memory with all its grants.
        ok(await s.auth(OWNER).grant({ memory_id: id, principal: grantees[5]!.principal, role: { editor: null } }));
        ok(await s.auth(OWNER).delete_memory({ memory_id: id }));
        const tooMany = [...grantees, { principal: VIEWER, role: { viewer: null } }];
        expect(errorName(await s.auth(ADMIN).import_memories([{ owner: OWNER, title: 'too popular', bucket: [], grants: tooMany }]))).toBe('InvalidRequest');
    });

    it('imports within the instruction limit: a call too large for one message imports a prefix and says which', async () => {
        const grantee = (i: number) => Principal.selfAuthenticating(Uint8Array.from({ length: 32 }, (_, j) => (j < 4 ? (i >> (8 * j)) & 0xff : 78)));
        const batch = Array.from({ length: 1000 }, (_, m) => ({ owner: OWNER, title: `bulk ${m}`, bucket: [], grants: Array.from({ length: 10 }, (_, g) => ({ principal: grantee(m * 10 + g), role: { viewer: null } })) }));
        const first: string[] = ok(await s.auth(ADMIN).import_memories(batch));
        expect(first.length).toBeGreaterThan(50);
        expect(first.length).toBeLessThan(1000);
        const rest: string[] = ok(await s.auth(ADMIN).import_memories(batch.slice(first.length, first.length + 100)));
        expect(rest.length).toBe(100);
        // Every imported memory is complete: its last grantee can mint.
        const last = first.length - 1;
        ok(await s.auth(grantee(last * 10 + 9)).mint_http_token({ memory_id: first[last], variants: [{ preview: null }], asset_ids: [], ttl_seconds: [] }));
        const invalid = [...batch.slice(0, 3), { owner: OWNER, title: 'x'.repeat(500), bucket: [], grants: [] }];
        expect(errorName(await s.auth(ADMIN).import_memories(invalid))).toBe('InvalidRequest');
    });

    it('bounds the delete grant to the owner and defaults to every variant', async () => {
        const id = ok(await s.auth(OWNER).create_memory({ title: 'grant' })).id;
        const grant = ok(await s.auth(OWNER).mint_delete_grant({ memory_id: id, variants: [], asset_ids: [] }));
        expect([...decodeToken(grant.token).scope.variants].sort()).toEqual(ALL_VARIANTS.map((v) => Object.keys(v)[0]).sort());
    });
});
