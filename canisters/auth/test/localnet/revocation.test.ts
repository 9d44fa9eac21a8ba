/**
 * Revocation takes effect at once, on localnet with real canisters: the auth canister pushes a
 * cutoff to the memory's bucket (acknowledged, retried like key pushes) when a share is revoked or
 * lowered, ownership is transferred or a memory deleted, and the bucket then refuses every token
 * for that memory issued before it (`403`, `X-Token-Error: revoked`). Each test sets up its own
 * memory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '@icp-sdk/core/principal';
import { ADMIN, EDITOR, EMPTY_ARGS, bucketInstallArgs, errorName, ok, OWNER, startAuthSystem, VIEWER, type AuthSystem } from '../support/authSystem';
import { authWasm, bucketWasm } from '../../scripts/canisterBuilds';

let s: AuthSystem;
const picture = Uint8Array.from({ length: 20_000 }, (_, i) => (i * 13 + 5) & 0xff);

beforeAll(async () => {
    s = await startAuthSystem({ buckets: [1_000_000_000n] });
});
afterAll(async () => s?.stop());

/** A memory owned by OWNER with a thumbnail, shared with VIEWER (viewer) and EDITOR (editor). */
async function sharedMemory(): Promise<{ memoryId: string; bucket: Principal }> {
    const memory = ok(await s.auth(OWNER).create_memory({ title: 'shared' }));
    await s.upload(OWNER, memory.id, 'thumbnail', picture, { contentType: 'image/jpeg' });
    ok(await s.auth(OWNER).grant({ memory_id: memory.id, principal: VIEWER, role: { viewer: null } }));
    ok(await s.auth(OWNER).grant({ memory_id: memory.id, principal: EDITOR, role: { editor: null } }));
    return { memoryId: memory.id, bucket: memory.bucket };
}

const readToken = async (caller: Principal, memoryId: string) =>
    ok(await s.auth(caller).mint_http_token({ memory_id: memoryId, variants: [{ thumbnail: null }], asset_ids: [], ttl_seconds: [3600] })).token as string;

async function read(bucket: Principal, memoryId: string, token: string) {
    const response = await s.fetchAsset(bucket, `/asset/${memoryId}/thumbnail?token=${token}`);
    return [response.status, response.headers['x-token-error'] ?? ''] as const;
}

async function pendingRevocations(): Promise<number[]> {
    return ok(await s.auth(ADMIN).key_status()).buckets.map((b: any) => b.pending_revocations);
}

describe('revocation at once', () => {
    it('a revoked viewer’s tokens fail after one push; members who remain get new tokens that work', async () => {
        const { memoryId, bucket } = await sharedMemory();
        const viewers = await readToken(VIEWER, memoryId);
        const owners = await readToken(OWNER, memoryId);
        expect(await read(bucket, memoryId, viewers)).toEqual([200, '']);
        ok(await s.auth(OWNER).revoke({ memory_id: memoryId, principal: VIEWER }));
        expect(await pendingRevocations()).toEqual([1]);
        expect(ok(await s.auth(OWNER).get_memory({ memory_id: memoryId })).revocation_pending).toBe(true);
        await s.step(0); // one round: the timer pushes, the bucket acknowledges
        expect(await pendingRevocations()).toEqual([0]);
        expect(ok(await s.auth(OWNER).get_memory({ memory_id: memoryId })).revocation_pending).toBe(false);
        expect(await read(bucket, memoryId, viewers)).toEqual([403, 'revoked']);
        expect(errorName(await s.auth(VIEWER).mint_http_token({ memory_id: memoryId, variants: [{ thumbnail: null }], asset_ids: [], ttl_seconds: [] }))).toBe('NotFound');
        // The owner's older token is void too (the cutoff is per memory), and re-minting helps.
        expect(await read(bucket, memoryId, owners)).toEqual([403, 'revoked']);
        expect(await read(bucket, memoryId, await readToken(OWNER, memoryId))).toEqual([200, '']);
        expect((await s.bucket(bucket).metrics()).revocations).toBeGreaterThanOrEqual(1n);
    });

    it('lowering an editor to viewer voids the upload grant it already held', async () => {
        const { memoryId, bucket } = await sharedMemory();
        const grant = ok(await s.auth(EDITOR).mint_upload_grant({ memory_id: memoryId, variants: [{ preview: null }], asset_ids: [] })).token;
        ok(await s.auth(OWNER).grant({ memory_id: memoryId, principal: EDITOR, role: { viewer: null } }));
        await s.step(0);
        const begun = await s.bucket(bucket, EDITOR).upload_begin({
            grant,
            memory_id: memoryId,
            variant: { preview: null },
            asset_id: [],
            content_type: 'image/jpeg',
            total_size: 10n,
            sha256: new Uint8Array(32)
        });
        expect(begun).toEqual({ Err: { BadGrant: { code: 'REVOKED', detail: 'token revoked' } } });
        // Raising a role revokes nothing.
        const token = await readToken(EDITOR, memoryId);
        ok(await s.auth(OWNER).grant({ memory_id: memoryId, principal: EDITOR, role: { editor: null } }));
        await s.step(0);
        expect(await read(bucket, memoryId, token)).toEqual([200, '']);
    });

    it('a transfer voids the previous owner’s delete grant; a deletion voids every token', async () => {
        const { memoryId, bucket } = await sharedMemory();
        const deleteGrant = ok(await s.auth(OWNER).mint_delete_grant({ memory_id: memoryId, variants: [], asset_ids: [] })).token;
        const token = await readToken(VIEWER, memoryId);
        ok(await s.auth(OWNER).transfer_ownership({ memory_id: memoryId, new_owner: EDITOR }));
        await s.step(0);
        expect(await s.bucket(bucket, OWNER).delete_memory({ memory_id: memoryId, grant: [deleteGrant] })).toEqual({ Err: { BadGrant: { code: 'REVOKED', detail: 'token revoked' } } });
        expect(await read(bucket, memoryId, await readToken(VIEWER, memoryId))).toEqual([200, '']);
        expect(await read(bucket, memoryId, token)).toEqual([403, 'revoked']);
        const fresh = await readToken(VIEWER, memoryId);
        ok(await s.auth(EDITOR).delete_memory({ memory_id: memoryId }));
        // The push went out while delete_memory awaited the bucket's deletion (its reply may still be on its way).
        expect(await read(bucket, memoryId, fresh)).toEqual([403, 'revoked']);
        await s.step(0);
        expect(await pendingRevocations()).toEqual([0]);
    });

    it('a push to a stopped bucket is retried and converges after restart', async () => {
        const { memoryId, bucket } = await sharedMemory();
        const token = await readToken(VIEWER, memoryId);
        await s.pic.stopCanister({ canisterId: bucket as never, sender: ADMIN as never });
        ok(await s.auth(OWNER).revoke({ memory_id: memoryId, principal: VIEWER }));
        await s.step(0);
        const failing = ok(await s.auth(ADMIN).key_status()).buckets[0];
        expect([failing.pending_revocations, failing.revocation_error.length]).toEqual([1, 1]);
        await s.pic.startCanister({ canisterId: bucket as never, sender: ADMIN as never });
        await s.until('the revocation to be acknowledged after the restart', async () => (await pendingRevocations())[0] === 0, { stepSeconds: 5, maxSteps: 30 });
        expect(ok(await s.auth(ADMIN).key_status()).buckets[0].revocation_error).toEqual([]);
        expect(await read(bucket, memoryId, token)).toEqual([403, 'revoked']);
    });

    it('keeps revocations through upgrades of the bucket and the auth canister, and pending ones get pushed after', async () => {
        const { memoryId, bucket } = await sharedMemory();
        const viewers = await readToken(VIEWER, memoryId);
        ok(await s.auth(OWNER).revoke({ memory_id: memoryId, principal: VIEWER }));
        await s.step(0);
        await s.pic.upgradeCanister({ canisterId: bucket as never, wasm: bucketWasm(), arg: bucketInstallArgs(s.authId), sender: ADMIN as never });
        expect(await read(bucket, memoryId, viewers)).toEqual([403, 'revoked']);
        // A revocation still pending when the auth canister upgrades is pushed afterwards.
        const editors = await readToken(EDITOR, memoryId);
        await s.pic.stopCanister({ canisterId: bucket as never, sender: ADMIN as never });
        ok(await s.auth(OWNER).revoke({ memory_id: memoryId, principal: EDITOR }));
        await s.step(0);
        await s.pic.upgradeCanister({ canisterId: s.authId as never, wasm: authWasm(), arg: EMPTY_ARGS, sender: ADMIN as never });
        await s.pic.startCanister({ canisterId: bucket as never, sender: ADMIN as never });
        await s.until('the pending revocation to be pushed after the upgrade', async () => (await pendingRevocations())[0] === 0, { stepSeconds: 5, maxSteps: 30 });
        expect(await read(bucket, memoryId, editors)).toEqual([403, 'revoked']);
    });

    it('stays bounded: the bucket drops a cutoff once no token it could void can still verify', async () => {
        const { memoryId, bucket } = await sharedMemory();
        ok(await s.auth(OWNER).revoke({ memory_id: memoryId, principal: VIEWER }));
        await s.step(0);
        const held = (await s.bucket(bucket).metrics()).revocations;
        expect(held).toBeGreaterThanOrEqual(1n);
        // 86,400 s (longest token life) + 30 s (skew) + 300 s (stream grace), and a sweep.
        await s.step(86_400 + 30 + 300 + 61);
        await s.step(61);
        expect((await s.bucket(bucket).metrics()).revocations).toBe(0n);
        expect(await read(bucket, memoryId, await readToken(OWNER, memoryId))).toEqual([200, '']);
    });
});
