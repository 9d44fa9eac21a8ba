/**
 * Keys on localnet, an auth canister and three buckets per test: bootstrap from raw_rand,
 * rotation with every bucket up, rotation while one bucket is stopped (the others move on, the
 * stopped one is retried with backoff and keeps serving old-kid tokens), retirement after the
 * overlap window, a newly registered bucket, deletions retried after a bucket comes back, an
 * upgrade of every canister with a push pending, and no reply ever carrying key material through
 * a whole key life.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Principal } from '@icp-sdk/core/principal';
import { idlFactory as bucketIdlFactory } from '@icp-private-assets/bucket/candid';
import { deriveBucketKey, mintToken, randomNonce, verifyToken, Keyring } from '@icp-private-assets/shared';
import { authWasm, bucketWasm } from '../../scripts/canisterBuilds';
import { startNetwork, type Network } from '@icp-private-assets/localnet';
import { ADMIN, bucketInstallArgs, decodeToken, EMPTY_ARGS, errorName, json, ok, OWNER, startAuthSystem, VIEWER } from '../support/authSystem';
import { findSecret, keyMaterial, readMasterSecrets, type MasterSecret } from '../support/secretScan';

let network: Network;
const image = (seed: number) => Uint8Array.from({ length: 3000 }, (_, i) => (i * seed + 1) & 0xff);

beforeAll(async () => {
    network = await startNetwork();
});
afterAll(async () => network?.stop());

/**
 * A fresh auth canister with three buckets on the suite's network, and one memory per bucket
 * (memories[i] on bucketIds[i]) with a thumbnail, shared with a viewer: each test starts from its
 * own, so the tests do not depend on each other's order.
 */
async function freshSystem() {
    const s = await startAuthSystem({ network });
    const memories: string[] = ok(
        await s.auth(ADMIN).import_memories(
            s.bucketIds.map((bucket, i) => ({ owner: OWNER, title: `on bucket ${i}`, bucket: [bucket], grants: [{ principal: VIEWER, role: { viewer: null } }] }))
        )
    );
    for (const [i, id] of memories.entries()) await s.upload(OWNER, id, 'thumbnail', image(i + 3), { contentType: 'image/png' });
    const masters = new Map<string, MasterSecret>();
    const keyStatus = async () => ok(await s.auth(ADMIN).key_status());
    const system = {
        s,
        memories,
        masters,
        mint: async (i: number, caller = VIEWER) => ok(await s.auth(caller).mint_http_token({ memory_id: memories[i], variants: [{ thumbnail: null }], asset_ids: [], ttl_seconds: [3600] })),
        fetchWith: (i: number, token: string) => s.fetchAsset(s.bucketIds[i]!, `/asset/${memories[i]}/thumbnail?token=${token}`),
        keyStatus,
        bucketStatus: async (i: number) => (await keyStatus()).buckets.find((b: any) => b.canister_id.toText() === s.bucketIds[i]!.toText()),
        async rememberMasters() {
            for (const m of await readMasterSecrets(s.pic, s.authId)) masters.set(m.kid, m);
        },
        /** A token for bucket i signed with `kid`'s derived key, as only the auth canister could mint. */
        async forgeWith(kid: string, i: number) {
            const master = masters.get(kid)!;
            const now = await s.nowSeconds();
            return mintToken(
                { purpose: 'read', aud: s.bucketIds[i]!.toText(), sub: VIEWER.toText(), scope: { memoryId: memories[i]!, variants: ['thumbnail'] }, iat: now, exp: now + 120, nonce: randomNonce() },
                { kid, secret: deriveBucketKey(master.secret, kid, s.bucketIds[i]!.toText()) }
            );
        }
    };
    return system;
}

describe('key distribution', () => {
    it('bootstraps the first master from raw_rand and pushes it to every bucket', async () => {
        const { s, memories, masters, mint, fetchWith, keyStatus, bucketStatus, rememberMasters, forgeWith } = await freshSystem();
        try {
            const status = await keyStatus();
            expect(status.version).toBe(1n);
            expect(status.keys.map((k: any) => [k.kid, k.state])).toEqual([['k1', { active: null }]]);
            for (const b of status.buckets) {
                expect([b.acknowledged_version, b.acknowledged_kid, b.failed_attempts, b.last_error]).toEqual([1n, ['k1'], 0, []]);
                expect(b.last_push_at.length).toBe(1);
            }
            for (const [i, bucket] of s.bucketIds.entries()) {
                const held = await s.bucket(bucket).keyring_status();
                expect([held.version, held.keys.map((k: any) => k.kid)]).toEqual([1n, ['k1']]);
                expect((await fetchWith(i, (await mint(i)).token)).status).toBe(200);
            }
            await rememberMasters();
            expect([...masters.keys()]).toEqual(['k1']);
            // The secret read from stable memory is the one the buckets verify with: the scan below is meaningful.
            const minted = await mint(0);
            const keyring = Keyring.from([{ kid: 'k1', secret: deriveBucketKey(masters.get('k1')!.secret, 'k1', s.bucketIds[0]!.toText()), state: 'active' }]);
            const verified = verifyToken(minted.token, keyring, { purpose: 'read', audience: s.bucketIds[0]!.toText(), memoryId: memories[0]!, variant: 'thumbnail' }, await s.nowSeconds());
            expect(verified.ok).toBe(true);
        } finally {
            await s.stop();
        }
    });

    it('rotates with every bucket up: all acknowledge the new kid, minting follows, old tokens keep working', async () => {
        const { s, memories, masters, mint, fetchWith, keyStatus, bucketStatus, rememberMasters, forgeWith } = await freshSystem();
        try {
            const before = await Promise.all(s.bucketIds.map((_, i) => mint(i)));
            expect(before.map((m) => m.kid)).toEqual(['k1', 'k1', 'k1']);
            const rotated = ok(await s.auth(ADMIN).rotate_keys());
            expect([rotated.kid, rotated.version, rotated.merged]).toEqual(['k2', 2n, false]);
            const status = await s.keysSettled();
            expect(status.keys.map((k: any) => [k.kid, Object.keys(k.state)[0]])).toEqual([
                ['k1', 'verify_only'],
                ['k2', 'active']
            ]);
            expect(status.buckets.map((b: any) => b.acknowledged_kid)).toEqual([['k2'], ['k2'], ['k2']]);
            for (const [i] of s.bucketIds.entries()) {
                const fresh = await mint(i);
                expect([fresh.kid, decodeToken(fresh.token).kid]).toEqual(['k2', 'k2']);
                expect((await fetchWith(i, fresh.token)).status).toBe(200);
                expect((await fetchWith(i, before[i]!.token)).status).toBe(200);
            }
            await rememberMasters();
        } finally {
            await s.stop();
        }
    });

    it('merges a rotation requested while another waits for raw_rand', async () => {
        const { s, memories, masters, mint, fetchWith, keyStatus, bucketStatus, rememberMasters, forgeWith } = await freshSystem();
        try {
            const [a, b] = await Promise.all([s.auth(ADMIN).rotate_keys(), s.auth(ADMIN).rotate_keys()]);
            const results = [ok(a), ok(b)];
            expect(results.map((r) => r.kid)).toEqual(['k2', 'k2']);
            expect(results.map((r) => r.merged).sort()).toEqual([false, true]);
            const status = await s.keysSettled();
            expect(status.keys.map((k: any) => k.kid)).toEqual(['k1', 'k2']);
            expect(status.version).toBe(2n);
            await rememberMasters();
        } finally {
            await s.stop();
        }
    });

    it('rotates while a bucket is stopped: the others move on, the stopped one is retried with backoff and catches up', async () => {
        const { s, memories, masters, mint, fetchWith, keyStatus, bucketStatus, rememberMasters, forgeWith } = await freshSystem();
        try {
            const lagging = 2;
            const oldToken = (await mint(lagging)).token;
            await s.pic.stopCanister({ canisterId: s.bucketIds[lagging] as never, sender: ADMIN as never });
            const rotated = ok(await s.auth(ADMIN).rotate_keys());
            expect(rotated.kid).toBe('k2');
            // Let a few retries fail: 5 s, 10 s, 20 s, 40 s apart.
            const attempts: { at: bigint; next: bigint }[] = [];
            await s.until(
                'four failed pushes to the stopped bucket',
                async () => {
                    const b = await bucketStatus(lagging);
                    if (b.failed_attempts > attempts.length) attempts.push({ at: b.last_push_at[0], next: b.next_retry_at[0] });
                    return b.failed_attempts >= 4;
                },
                { stepSeconds: 1, maxSteps: 200 }
            );
            const delays = attempts.map((a) => Number((a.next - a.at) / 1_000_000_000n));
            expect(delays.slice(0, 4)).toEqual([5, 10, 20, 40]);
            const status = await keyStatus();
            const byBucket = status.buckets.map((b: any) => [b.acknowledged_kid[0], b.acknowledged_version]);
            expect(byBucket).toEqual([
                ['k2', 2n],
                ['k2', 2n],
                ['k1', 1n]
            ]);
            const stopped = status.buckets[lagging];
            expect(stopped.last_error[0]).toMatch(/stop/i);
            // Minting follows what each bucket acknowledged: the lagging one still gets k3 tokens.
            expect((await mint(0)).kid).toBe('k2');
            expect((await mint(lagging)).kid).toBe('k1');

            await s.pic.startCanister({ canisterId: s.bucketIds[lagging] as never, sender: ADMIN as never });
            // Restarted but not yet retried: it keeps serving the tokens it can verify.
            expect((await fetchWith(lagging, oldToken)).status).toBe(200);
            expect((await fetchWith(lagging, (await mint(lagging)).token)).status).toBe(200);
            const settled = await s.keysSettled();
            expect(settled.buckets[lagging]).toMatchObject({ acknowledged_kid: ['k2'], failed_attempts: 0, last_error: [], next_retry_at: [] });
            const fresh = await mint(lagging);
            expect(fresh.kid).toBe('k2');
            expect((await fetchWith(lagging, fresh.token)).status).toBe(200);
            expect((await fetchWith(lagging, oldToken)).status).toBe(200);
            await rememberMasters();
        } finally {
            await s.stop();
        }
    });

    it('retires old kids only after the overlap window, then the buckets refuse them', async () => {
        const { s, memories, masters, mint, fetchWith, keyStatus, bucketStatus, rememberMasters, forgeWith } = await freshSystem();
        try {
            await rememberMasters();
            ok(await s.auth(ADMIN).rotate_keys());
            await s.keysSettled();
            const config = await s.auth(ADMIN).get_config();
            const overlap = config.max_ttl_seconds + config.skew_seconds;
            expect(overlap).toBe(3630);
            // Not yet: the buckets switched to k2 moments ago.
            await s.step(overlap - 120);
            expect((await keyStatus()).keys.map((k: any) => k.kid)).toEqual(['k1', 'k2']);
            expect((await fetchWith(0, await forgeWith('k1', 0))).status).toBe(200);
            await s.step(180);
            const status = await s.keysSettled();
            expect(status.keys.map((k: any) => [k.kid, Object.keys(k.state)[0]])).toEqual([['k2', 'active']]);
            expect(status.version).toBe(3n);
            for (const [i, bucket] of s.bucketIds.entries()) {
                const held = await s.bucket(bucket).keyring_status();
                expect([held.version, held.keys.map((k: any) => k.kid)]).toEqual([3n, ['k2']]);
                for (const kid of ['k1']) {
                    const refused = await fetchWith(i, await forgeWith(kid, i));
                    expect([refused.status, refused.headers['x-token-error']]).toEqual([401, 'unknown_key']);
                }
                expect((await fetchWith(i, (await mint(i)).token)).status).toBe(200);
            }
        } finally {
            await s.stop();
        }
    });

    it('pushes the current keys to a newly registered bucket at once', async () => {
        const { s, memories, masters, mint, fetchWith, keyStatus, bucketStatus, rememberMasters, forgeWith } = await freshSystem();
        try {
            const id = await s.installBucket();
            await s.registerBucket(id, 1_000_000_000n);
            await s.pic.tick(4);
            const held = await s.bucket(id).keyring_status();
            expect([held.version, held.keys.map((k: any) => [k.kid, Object.keys(k.state)[0]])]).toEqual([1n, [['k1', 'active']]]);
            const added = (await keyStatus()).buckets.find((b: any) => b.canister_id.toText() === id.toText());
            expect([added.acknowledged_version, added.acknowledged_kid]).toEqual([1n, ['k1']]);
            // And a memory placed on it can be served.
            const [memoryId] = ok(await s.auth(ADMIN).import_memories([{ owner: OWNER, title: 'new bucket', bucket: [id], grants: [] }]));
            await s.upload(OWNER, memoryId, 'preview', image(9));
            const token = ok(await s.auth(OWNER).mint_http_token({ memory_id: memoryId, variants: [{ preview: null }], asset_ids: [], ttl_seconds: [] })).token;
            expect((await s.fetchAsset(id, `/asset/${memoryId}/preview?token=${token}`)).status).toBe(200);
        } finally {
            await s.stop();
        }
    });

    it('retries a bucket-side deletion that failed until the bucket is back', async () => {
        const { s, memories, masters, mint, fetchWith, keyStatus, bucketStatus, rememberMasters, forgeWith } = await freshSystem();
        try {
            const [memoryId] = ok(await s.auth(ADMIN).import_memories([{ owner: OWNER, title: 'to delete', bucket: [s.bucketIds[1]], grants: [] }]));
            await s.upload(OWNER, memoryId, 'thumbnail', image(5));
            const token = ok(await s.auth(OWNER).mint_http_token({ memory_id: memoryId, variants: [{ thumbnail: null }], asset_ids: [], ttl_seconds: [3600] })).token;
            const path = `/asset/${memoryId}/thumbnail?token=${token}`;
            const assets = async () => (await s.bucket(s.bucketIds[1]!).metrics()).asset_count as bigint;
            const before = await assets();
            await s.pic.stopCanister({ canisterId: s.bucketIds[1] as never, sender: ADMIN as never });
            const deleted = ok(await s.auth(OWNER).delete_memory({ memory_id: memoryId }));
            expect(deleted.assets_deleted).toEqual([]);
            expect(errorName(await s.auth(OWNER).get_memory({ memory_id: memoryId }))).toBe('NotFound');
            await s.pic.startCanister({ canisterId: s.bucketIds[1] as never, sender: ADMIN as never });
            expect(await assets()).toBe(before);
            // Once the bucket is back, the retried revocation voids the token and the retried deletion frees the assets.
            await s.until('the bucket deletes the assets', async () => (await assets()) === before - 1n);
            const refused = await s.fetchAsset(s.bucketIds[1]!, path);
            expect([refused.status, refused.headers['x-token-error']]).toEqual([403, 'revoked']);
        } finally {
            await s.stop();
        }
    });

    it('keeps grants, keys, assets and timers through an upgrade of every canister', async () => {
        const { s, memories, masters, mint, fetchWith, keyStatus, bucketStatus, rememberMasters, forgeWith } = await freshSystem();
        try {
            const before = await Promise.all(s.bucketIds.slice(0, 3).map((_, i) => mint(i)));
            const statusBefore = await keyStatus();
            const listBefore = await s.auth(VIEWER).list_memories({ cursor: [], limit: [] });
            // A push left pending across the upgrade: bucket 0 is stopped during a rotation.
            await s.pic.stopCanister({ canisterId: s.bucketIds[0] as never, sender: ADMIN as never });
            const rotated = ok(await s.auth(ADMIN).rotate_keys());
            await s.until('the stopped bucket has a failed push', async () => (await bucketStatus(0)).failed_attempts >= 1, { stepSeconds: 1 });

            await s.pic.upgradeCanister({ canisterId: s.authId as never, wasm: authWasm(), arg: EMPTY_ARGS, sender: ADMIN as never });
            for (const bucket of s.bucketIds) {
                if (bucket.toText() !== s.bucketIds[0]!.toText()) {
                    await s.pic.upgradeCanister({ canisterId: bucket as never, wasm: bucketWasm(), arg: bucketInstallArgs(s.authId), sender: ADMIN as never });
                }
            }
            await s.pic.startCanister({ canisterId: s.bucketIds[0] as never, sender: ADMIN as never });
            await s.pic.upgradeCanister({ canisterId: s.bucketIds[0] as never, wasm: bucketWasm(), arg: bucketInstallArgs(s.authId), sender: ADMIN as never });

            // Grants and memories intact.
            expect(json(await s.auth(VIEWER).list_memories({ cursor: [], limit: [] }))).toBe(json(listBefore));
            // Keys intact: the same kids; bucket 0 still acknowledged only the old one.
            const statusAfter = await keyStatus();
            expect(statusAfter.keys.map((k: any) => k.kid)).toEqual([...statusBefore.keys.map((k: any) => k.kid), rotated.kid]);
            // Tokens minted before the upgrade still verify, and assets are intact.
            for (const [i, minted] of before.entries()) expect((await fetchWith(i, minted.token)).status).toBe(200);
            // The maintenance timer was re-armed: the pending push is retried and acknowledged.
            const settled = await s.keysSettled();
            expect(settled.buckets.every((b: any) => b.acknowledged_kid[0] === rotated.kid)).toBe(true);
            for (const [i] of before.entries()) {
                const fresh = await mint(i);
                expect(fresh.kid).toBe(rotated.kid);
                expect((await fetchWith(i, fresh.token)).status).toBe(200);
            }
            await rememberMasters();
        } finally {
            await s.stop();
        }
    });

    it('never returned key material in any reply', async () => {
        const { s, memories, masters, mint, fetchWith, keyStatus, bucketStatus, rememberMasters, forgeWith } = await freshSystem();
        try {
            // A key life: two rotations (one while a bucket is stopped, so a failed push is retried), a retirement.
            await rememberMasters();
            ok(await s.auth(ADMIN).rotate_keys());
            await s.keysSettled();
            await rememberMasters();
            await s.pic.stopCanister({ canisterId: s.bucketIds[2] as never, sender: ADMIN as never });
            ok(await s.auth(ADMIN).rotate_keys());
            await s.until('a failed push', async () => (await bucketStatus(2)).failed_attempts >= 1, { stepSeconds: 1 });
            await s.pic.startCanister({ canisterId: s.bucketIds[2] as never, sender: ADMIN as never });
            await s.keysSettled();
            await rememberMasters();
            await s.step(3_700);
            await s.keysSettled();
            for (const [i] of memories.entries()) expect((await fetchWith(i, (await mint(i)).token)).status).toBe(200);
            // One more call of every query an admin, owner or viewer can make, then scan everything.
            await s.auth(ADMIN).list_buckets();
            await s.auth(ADMIN).list_admins();
            await s.auth(ADMIN).get_config();
            await s.auth(OWNER).get_memory({ memory_id: memories[0] });
            await s.auth(OWNER).mint_upload_grant({ memory_id: memories[0], variants: [{ original: null }], asset_ids: [] });
            await s.auth(OWNER).mint_delete_grant({ memory_id: memories[0], variants: [], asset_ids: [] });
            await s.auth(VIEWER).mint_http_tokens({ memory_ids: memories, variants: [{ thumbnail: null }], ttl_seconds: [] });
            for (const bucket of s.bucketIds) await s.bucket(bucket).keyring_status();
            await rememberMasters();
            expect([...masters.keys()].sort()).toEqual(['k1', 'k2', 'k3']);
            expect((await keyStatus()).keys.map((k: any) => k.kid)).toEqual(['k3']);
            const secrets = keyMaterial([...masters.values()], s.bucketIds);
            expect(s.replies.length).toBeGreaterThan(40);
            const leaks = s.replies.flatMap((r) => {
                const where = findSecret(r.reply, secrets);
                return where ? [`${r.method} on ${r.canister}: ${where}`] : [];
            });
            expect(leaks).toEqual([]);
            // The scan finds a secret where one is.
            expect(findSecret({ nested: [{ blob: secrets[3] }] }, secrets)).toBeDefined();
            expect(findSecret(Buffer.from(secrets[5]!).toString('hex'), secrets)).toBeDefined();
        } finally {
            await s.stop();
        }
    });

    it('answers NotReady for a bucket that acknowledged no key, and says why in key_status', async () => {
        const { s, memories, masters, mint, fetchWith, keyStatus, bucketStatus, rememberMasters, forgeWith } = await freshSystem();
        try {
            // A bucket installed for another auth canister refuses our pushes.
            const fixture = await s.pic.setupCanister({ idlFactory: bucketIdlFactory as never, wasm: bucketWasm(), arg: bucketInstallArgs(VIEWER), sender: ADMIN as never });
            const misconfigured = Principal.fromText(fixture.canisterId.toText());
            await s.registerBucket(misconfigured, 1_000_000_000n);
            await s.until('a refused push', async () => (await keyStatus()).buckets.some((b: any) => b.canister_id.toText() === misconfigured.toText() && b.failed_attempts > 0), { stepSeconds: 1 });
            const status = (await keyStatus()).buckets.find((b: any) => b.canister_id.toText() === misconfigured.toText());
            expect([status.acknowledged_kid, status.last_error[0]]).toEqual([[], expect.stringContaining('NotAuthorized')]);
            const [memoryId] = ok(await s.auth(ADMIN).import_memories([{ owner: OWNER, title: 'stuck', bucket: [misconfigured], grants: [] }]));
            expect(errorName(await s.auth(OWNER).mint_http_token({ memory_id: memoryId, variants: [{ thumbnail: null }], asset_ids: [], ttl_seconds: [] }))).toBe('NotReady');
            expect(errorName(await s.auth(OWNER).mint_upload_grant({ memory_id: memoryId, variants: [{ thumbnail: null }], asset_ids: [] }))).toBe('NotReady');
            // Taken out of placement; the other buckets are unaffected.
            ok(await s.auth(ADMIN).set_bucket_status({ canister_id: misconfigured, status: { draining: null } }));
            expect((await fetchWith(0, (await mint(0)).token)).status).toBe(200);
        } finally {
            await s.stop();
        }
    });
});
