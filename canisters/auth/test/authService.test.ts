/**
 * The auth service's rules in Node, with a fake platform (fake clock, timers run on demand, fake
 * buckets): what used to be testable only after an Azle build on localnet. The localnet suites
 * keep what really crosses canisters (key pushes, placement from real metrics, upgrades, the
 * authorization matrix through Candid).
 */
import { describe, expect, it } from 'vitest';
import { base64UrlNoPad, decodePayload, MAC_LENGTH, verifyToken } from '@icp-private-assets/shared';
import { batchSizeError, IMPORT_INSTRUCTION_BUDGET, MAX_BATCH, MAX_GRANTS_PER_MEMORY, type Caller } from '../src/authService';
import { ANONYMOUS_CALLER, bucketId, CONTROLLER, DEPUTY, EDITOR, fakePlatform, manyPrincipal, OWNER, readyPlatform, S, STRANGER, VIEWER, type FakePlatform } from './support/fakePlatform';

const claims = (token: string) => {
    const framed = base64UrlNoPad.decode(token);
    const decoded = decodePayload(framed.subarray(0, framed.length - MAC_LENGTH));
    if (!decoded.ok) throw new Error(decoded.reason);
    return decoded.claims;
};

function okOf<T>(result: { Ok: T } | { Err: unknown } | { readonly Ok: T } | { readonly Err: unknown }): T {
    if (!('Ok' in result)) throw new Error(`expected Ok, got ${JSON.stringify(result)}`);
    return result.Ok;
}
const errOf = (result: object) => ('Err' in result ? Object.keys((result as { Err: object }).Err)[0] : 'Ok');

/** A memory owned by OWNER, shared with VIEWER and EDITOR. */
function sharedMemory(p: FakePlatform): string {
    const memory = okOf(p.service.createMemory(OWNER, 'shared'));
    okOf(p.service.grant(OWNER, memory.id, VIEWER.principal, 'viewer'));
    okOf(p.service.grant(OWNER, memory.id, EDITOR.principal, 'editor'));
    return memory.id;
}

const mintRead = (p: FakePlatform, caller: Caller, memoryId: string) => p.service.mintReadToken(caller, memoryId, ['thumbnail'], undefined, undefined);

describe('set-up', () => {
    it('answers NotReady until raw_rand gave the id seed and the first key, and NoBucket without buckets', async () => {
        const p = fakePlatform();
        p.rawRandFails = true;
        p.service.load();
        await p.runTimers();
        expect(errOf(p.service.createMemory(OWNER, 'early'))).toBe('NotReady');
        // Bootstrap retries after MAINTENANCE_SECONDS.
        p.rawRandFails = false;
        await p.advance(5);
        expect(p.service.keys.masters.map((m) => m.kid)).toEqual(['k1']);
        expect(errOf(p.service.createMemory(OWNER, 'no bucket yet'))).toBe('NoBucket');
        await p.addBucket();
        expect(okOf(p.service.createMemory(OWNER, '  Summer  '))).toMatchObject({ owner: OWNER.principal, title: 'Summer', role: 'owner' });
    });

    it('gives memories unpredictable, distinct ids', async () => {
        const p = await readyPlatform();
        const ids = Array.from({ length: 50 }, () => okOf(p.service.createMemory(OWNER, 'm')).id);
        expect(new Set(ids).size).toBe(50);
        for (const id of ids) expect(id).toMatch(/^m[0-9a-f]{32}$/);
    });
});

describe('sharing rules', () => {
    it('lets the owner grant, change and revoke roles; refuses nonsense grants', async () => {
        const p = await readyPlatform();
        const id = sharedMemory(p);
        expect(okOf(p.service.getMemory(OWNER, id)).grants.map((g) => g.role).sort()).toEqual(['editor', 'owner', 'viewer']);
        expect(p.service.grant(OWNER, id, STRANGER.principal, 'owner')).toEqual({ Err: { InvalidRequest: 'use transfer_ownership to change the owner' } });
        expect(errOf(p.service.grant(OWNER, id, '2vxsx-fae', 'viewer'))).toBe('InvalidRequest');
        expect(errOf(p.service.grant(OWNER, id, OWNER.principal, 'viewer'))).toBe('InvalidRequest');
        expect(errOf(p.service.grant(EDITOR, id, STRANGER.principal, 'viewer'))).toBe('NotAuthorized');
        expect(errOf(p.service.revoke(VIEWER, id, EDITOR.principal))).toBe('NotAuthorized');
        expect(errOf(p.service.revoke(OWNER, id, OWNER.principal))).toBe('InvalidRequest');
        okOf(p.service.revoke(VIEWER, id, VIEWER.principal)); // a member may leave
        expect(errOf(p.service.getMemory(VIEWER, id))).toBe('NotFound');
    });

    it('answers strangers NotFound for existing and missing memories alike, and Anonymous to the anonymous principal', async () => {
        const p = await readyPlatform();
        const id = sharedMemory(p);
        const missing = 'm0123456789abcdef0123456789abcdef';
        for (const memoryId of [id, missing]) {
            expect(errOf(p.service.getMemory(STRANGER, memoryId))).toBe('NotFound');
            expect(errOf(mintRead(p, STRANGER, memoryId))).toBe('NotFound');
            expect(errOf(p.service.revoke(STRANGER, memoryId, STRANGER.principal))).toBe('NotFound');
            expect(errOf(p.service.grant(STRANGER, memoryId, STRANGER.principal, 'viewer'))).toBe('NotFound');
            expect(errOf(p.service.transferOwnership(STRANGER, memoryId, STRANGER.principal))).toBe('NotFound');
            expect(errOf(await p.service.deleteMemory(STRANGER, memoryId))).toBe('NotFound');
        }
        expect(errOf(p.service.getMemory(ANONYMOUS_CALLER, id))).toBe('Anonymous');
        expect(errOf(p.service.createMemory(ANONYMOUS_CALLER, 'x'))).toBe('Anonymous');
        expect(errOf(p.service.getMemory(OWNER, 'not/an id'))).toBe('InvalidRequest');
        expect(p.service.listMemories(ANONYMOUS_CALLER, undefined, undefined)).toEqual({ memories: [] });
    });

    it('caps a memory at 1,000 members, but lets existing members change role', async () => {
        const p = await readyPlatform();
        const id = okOf(p.service.createMemory(OWNER, 'popular')).id;
        for (let i = 0; i < MAX_GRANTS_PER_MEMORY; i++) okOf(p.service.grant(OWNER, id, manyPrincipal(i), 'viewer'));
        expect(errOf(p.service.grant(OWNER, id, VIEWER.principal, 'viewer'))).toBe('InvalidRequest');
        okOf(p.service.grant(OWNER, id, manyPrincipal(5), 'editor'));
    });

    it('transfers ownership: the new owner has every right, the previous one is an editor', async () => {
        const p = await readyPlatform();
        const id = sharedMemory(p);
        okOf(p.service.transferOwnership(OWNER, id, STRANGER.principal));
        expect(okOf(p.service.getMemory(OWNER, id)).memory.role).toBe('editor');
        expect(errOf(p.service.grant(OWNER, id, DEPUTY.principal, 'viewer'))).toBe('NotAuthorized');
        okOf(p.service.grant(STRANGER, id, DEPUTY.principal, 'viewer'));
        expect(errOf(p.service.transferOwnership(STRANGER, id, '2vxsx-fae'))).toBe('InvalidRequest');
    });

    it('lists a caller’s memories, owned and shared, newest first, in pages', async () => {
        const p = await readyPlatform();
        const shared = sharedMemory(p);
        const own = [1, 2, 3].map((i) => okOf(p.service.createMemory(VIEWER, `own ${i}`)).id);
        const first = p.service.listMemories(VIEWER, 2, undefined);
        expect(first.memories.map((m) => m.id)).toEqual([own[2], own[1]]);
        const second = p.service.listMemories(VIEWER, 2, first.next);
        expect(second.memories.map((m) => [m.id, m.role])).toEqual([
            [own[0], 'owner'],
            [shared, 'viewer']
        ]);
        expect(second.next).toBeUndefined();
    });
});

describe('minting', () => {
    it('mints read tokens the memory’s bucket verifies, naming no principal, for members only', async () => {
        const p = await readyPlatform();
        const id = sharedMemory(p);
        const minted = okOf(mintRead(p, VIEWER, id));
        const memory = okOf(p.service.getMemory(OWNER, id)).memory;
        expect(claims(minted.token)).toMatchObject({ aud: memory.bucket, purpose: 'read', kid: 'k1' });
        expect(claims(minted.token).sub).toBeUndefined();
        const verified = verifyToken(minted.token, p.buckets.get(memory.bucket)!.verifier(), { purpose: 'read', audience: memory.bucket, memoryId: id, variant: 'thumbnail' }, Number(p.clock.now / S));
        expect(verified.ok).toBe(true);
        expect(errOf(p.service.mintUploadGrant(VIEWER, id, ['preview'], undefined))).toBe('NotAuthorized');
        okOf(p.service.mintUploadGrant(EDITOR, id, ['preview'], ['a1']));
        expect(errOf(p.service.mintDeleteGrant(EDITOR, id, undefined, undefined))).toBe('NotAuthorized');
        expect(claims(okOf(p.service.mintDeleteGrant(OWNER, id, undefined, undefined)).token).scope.variants).toHaveLength(4);
        expect(errOf(p.service.mintReadToken(OWNER, id, [], undefined, undefined))).toBe('InvalidRequest');
    });

    it('caps lifetimes at max_ttl_seconds and mints a batch with a reason per refused memory', async () => {
        const p = await readyPlatform();
        const id = sharedMemory(p);
        const capped = claims(okOf(p.service.mintReadToken(OWNER, id, ['preview'], undefined, 1_000_000)).token);
        expect(capped.exp - capped.iat).toBe(3600);
        const strangers = okOf(p.service.createMemory(STRANGER, 'not yours')).id;
        const batch = p.service.mintReadTokens(VIEWER, [id, strangers, 'bad id'], ['thumbnail'], undefined);
        expect(batch.map((item) => [item.memoryId, errOf(item.result)])).toEqual([
            [id, 'Ok'],
            [strangers, 'NotFound'],
            ['bad id', 'InvalidRequest']
        ]);
        expect(batchSizeError(MAX_BATCH)).toBeUndefined();
        expect(batchSizeError(MAX_BATCH + 1)).toBe(`invalid arguments: at most ${MAX_BATCH} memories per batch, got ${MAX_BATCH + 1}`);
    });

    it('answers NotReady for a bucket that acknowledged no key yet', async () => {
        const p = await readyPlatform();
        const id = okOf(p.service.createMemory(OWNER, 'm')).id;
        const bucket = okOf(p.service.getMemory(OWNER, id)).memory.bucket;
        p.service.buckets.update(bucket, (b) => delete b.ackedKid);
        expect(errOf(mintRead(p, OWNER, id))).toBe('NotReady');
    });
});

describe('revocation', () => {
    it('pushes a cutoff to the memory’s bucket in the next round; the remaining members’ new tokens pass it', async () => {
        const p = await readyPlatform();
        const id = sharedMemory(p);
        const bucket = okOf(p.service.getMemory(OWNER, id)).memory.bucket;
        const before = okOf(mintRead(p, OWNER, id));
        okOf(p.service.revoke(OWNER, id, VIEWER.principal));
        expect(okOf(p.service.getMemory(OWNER, id)).revocationPending).toBe(true);
        await p.runTimers();
        expect(okOf(p.service.getMemory(OWNER, id)).revocationPending).toBe(false);
        const cutoff = p.buckets.get(bucket)!.revoked.get(id)!;
        expect(claims(before.token).iat).toBeLessThan(cutoff);
        expect(claims(okOf(mintRead(p, OWNER, id)).token).iat).toBeGreaterThanOrEqual(cutoff);
        expect(errOf(mintRead(p, VIEWER, id))).toBe('NotFound');
    });

    it('revokes on a lowered role, a transfer and a deletion, not on a raised role', async () => {
        const p = await readyPlatform();
        const id = sharedMemory(p);
        const bucket = p.buckets.get(okOf(p.service.getMemory(OWNER, id)).memory.bucket)!;
        okOf(p.service.grant(OWNER, id, VIEWER.principal, 'editor'));
        await p.runTimers();
        expect(bucket.calls.revokeTokens).toBe(0);
        okOf(p.service.grant(OWNER, id, EDITOR.principal, 'viewer'));
        await p.runTimers();
        expect(bucket.calls.revokeTokens).toBe(1);
        okOf(p.service.transferOwnership(OWNER, id, VIEWER.principal));
        await p.runTimers();
        expect(bucket.calls.revokeTokens).toBe(2);
        okOf(await p.service.deleteMemory(VIEWER, id));
        await p.runTimers();
        expect(bucket.calls.revokeTokens).toBe(3);
        expect(bucket.deleted).toEqual([id]);
    });

    it('two revocations in one second move the cutoff on, so the second voids tokens minted in between', async () => {
        const p = await readyPlatform();
        const id = sharedMemory(p);
        const bucket = p.buckets.get(okOf(p.service.getMemory(OWNER, id)).memory.bucket)!;
        okOf(p.service.revoke(OWNER, id, VIEWER.principal));
        await p.runTimers();
        const first = bucket.revoked.get(id)!;
        const between = claims(okOf(mintRead(p, EDITOR, id)).token);
        expect(between.iat).toBe(first);
        okOf(p.service.revoke(OWNER, id, EDITOR.principal));
        await p.runTimers();
        expect(bucket.revoked.get(id)).toBe(first + 1);
    });

    it('retries a push to a stopped bucket with backoff until it is back', async () => {
        const p = await readyPlatform();
        const id = sharedMemory(p);
        const bucket = p.buckets.get(okOf(p.service.getMemory(OWNER, id)).memory.bucket)!;
        bucket.stopped = true;
        okOf(p.service.revoke(OWNER, id, VIEWER.principal));
        await p.runTimers();
        const status = okOf(p.service.keyStatus(CONTROLLER)).buckets[0]!;
        expect([status.pendingRevocations, status.revocationFailures, status.revocationError]).toEqual([1, 1, expect.stringContaining('stopped')]);
        bucket.stopped = false;
        await p.advance(5);
        expect(bucket.revoked.has(id)).toBe(true);
        expect(okOf(p.service.keyStatus(CONTROLLER)).buckets[0]!.pendingRevocations).toBe(0);
    });
});

describe('deletion', () => {
    it('removes the memory at once and retries the bucket-side deletion until the bucket is back', async () => {
        const p = await readyPlatform();
        const id = sharedMemory(p);
        const bucket = p.buckets.get(okOf(p.service.getMemory(OWNER, id)).memory.bucket)!;
        bucket.stopped = true;
        expect(okOf(await p.service.deleteMemory(OWNER, id))).toEqual({});
        expect(errOf(p.service.getMemory(OWNER, id))).toBe('NotFound');
        expect(p.service.listMemories(VIEWER, undefined, undefined).memories).toEqual([]);
        bucket.stopped = false;
        await p.advance(5);
        expect(bucket.deleted).toEqual([id]);
        expect(p.stores.pendingDeletions.keys()).toEqual([]);
    });
});

describe('keys', () => {
    it('rotates: the new kid becomes active once every bucket acknowledged it; concurrent rotations merge', async () => {
        const p = await readyPlatform(2);
        const [first, second] = await Promise.all([p.service.rotateKeys(CONTROLLER), p.service.rotateKeys(CONTROLLER)]);
        expect([okOf(first), okOf(second)]).toEqual([
            { kid: 'k2', version: 2n, merged: false },
            { kid: 'k2', version: 1n, merged: true }
        ]);
        await p.runTimers();
        expect([...p.buckets.values()].map((b) => b.keyring?.entries.map((e) => `${e.kid}:${e.state}`))).toEqual([
            ['k1:verify-only', 'k2:active'],
            ['k1:verify-only', 'k2:active']
        ]);
        const id = okOf(p.service.createMemory(OWNER, 'm')).id;
        expect(claims(okOf(mintRead(p, OWNER, id)).token).kid).toBe('k2');
    });

    it('keeps minting with the old kid for a bucket that has not acknowledged the new one, and retries with backoff', async () => {
        const p = await readyPlatform(2);
        const [lagging] = [...p.buckets.keys()];
        p.buckets.get(lagging!)!.stopped = true;
        okOf(await p.service.rotateKeys(CONTROLLER));
        await p.runTimers();
        const status = () => okOf(p.service.keyStatus(CONTROLLER)).buckets.find((b) => b.id === lagging)!;
        expect([status().failedAttempts, status().ackedKid]).toEqual([1, 'k1']);
        const retryAt = BigInt(status().nextRetryAt!);
        expect(retryAt - p.clock.now).toBe(5n * S);
        const id = okOf(p.service.importMemories(CONTROLLER, [{ owner: OWNER.principal, title: 'on the lagging bucket', bucket: lagging!, grants: [] }]))[0]!;
        expect(claims(okOf(mintRead(p, OWNER, id)).token).kid).toBe('k1');
        p.buckets.get(lagging!)!.stopped = false;
        await p.advance(5);
        expect(status().ackedKid).toBe('k2');
        expect(claims(okOf(mintRead(p, OWNER, id)).token).kid).toBe('k2');
    });

    it('retires the old kid once the overlap has passed after every bucket switched', async () => {
        const p = await readyPlatform(1);
        okOf(await p.service.rotateKeys(CONTROLLER));
        await p.runTimers();
        await p.advance(3_600 + 30 - 5);
        expect(p.service.keys.masters.map((m) => m.kid)).toEqual(['k1', 'k2']);
        await p.advance(10);
        expect(p.service.keys.masters.map((m) => m.kid)).toEqual(['k2']);
        expect([...p.buckets.values()][0]!.keyring!.entries.map((e) => e.kid)).toEqual(['k2']);
    });
});

describe('placement', () => {
    it('places on the active bucket with the most free capacity, from the usage the buckets report; full ones get none', async () => {
        const p = await readyPlatform(0);
        const small = await p.addBucket(1_000n);
        const large = await p.addBucket(3_000n);
        const bucketOf = () => okOf(p.service.createMemory(OWNER, 'm')).bucket;
        expect(bucketOf()).toBe(large);
        p.buckets.get(large)!.usedBytes = 3_000;
        await p.advance(60);
        expect(p.service.buckets.get(large)!.status).toBe('full');
        expect(bucketOf()).toBe(small);
        okOf(p.service.setBucketStatus(CONTROLLER, small, 'draining'));
        expect(errOf(p.service.createMemory(OWNER, 'm'))).toBe('NoBucket');
        expect(errOf(p.service.setBucketStatus(CONTROLLER, bucketId(99), 'active'))).toBe('NotFound');
    });
});

describe('import', () => {
    it('refuses the whole list for one bad entry, grants included (the same rules as grant)', async () => {
        const p = await readyPlatform();
        const good = { owner: OWNER.principal, title: 'ok', grants: [{ principal: VIEWER.principal, role: 'viewer' as const }] };
        for (const bad of [
            { ...good, owner: '2vxsx-fae' },
            { ...good, title: 'x'.repeat(201) },
            { ...good, bucket: bucketId(42) },
            { ...good, grants: [{ principal: '2vxsx-fae', role: 'viewer' as const }] },
            { ...good, grants: [{ principal: OWNER.principal, role: 'editor' as const }] },
            { ...good, grants: [{ principal: VIEWER.principal, role: 'owner' as const }] }
        ]) {
            expect(errOf(p.service.importMemories(CONTROLLER, [good, bad]))).toBe('InvalidRequest');
        }
        expect(p.service.listMemories(OWNER, undefined, undefined).memories).toEqual([]);
        const [id] = okOf(p.service.importMemories(CONTROLLER, [good]));
        expect(okOf(p.service.getMemory(VIEWER, id!)).memory.role).toBe('viewer');
    });

    it('stops before the instruction budget and says which memories it imported', async () => {
        const p = await readyPlatform();
        const memories = Array.from({ length: 5 }, (_, i) => ({ owner: OWNER.principal, title: `m${i}`, grants: [] }));
        let calls = 0;
        Object.defineProperty(p, 'instructionsUsed', { get: () => (++calls > 3 ? IMPORT_INSTRUCTION_BUDGET + 1n : 0n) });
        expect(okOf(p.service.importMemories(CONTROLLER, memories))).toHaveLength(3);
    });
});

describe('administration', () => {
    it('is for controllers and added admins; admin rights give no access to memories', async () => {
        const p = await readyPlatform();
        expect(errOf(p.service.listBuckets(STRANGER))).toBe('NotAuthorized');
        okOf(p.service.addAdmin(CONTROLLER, DEPUTY.principal));
        expect(p.service.isAdmin(DEPUTY)).toBe(true);
        expect(okOf(p.service.listAdmins(DEPUTY))).toEqual([DEPUTY.principal]);
        const id = okOf(p.service.createMemory(OWNER, 'private')).id;
        expect(errOf(p.service.getMemory(DEPUTY, id))).toBe('NotFound');
        expect(errOf(p.service.addAdmin(CONTROLLER, '2vxsx-fae'))).toBe('InvalidRequest');
        okOf(p.service.removeAdmin(DEPUTY, DEPUTY.principal));
        expect(p.service.isAdmin(DEPUTY)).toBe(false);
        expect(errOf(p.service.setConfig(CONTROLLER, { maxTtlSeconds: 10 }))).toBe('InvalidRequest');
        expect(okOf(p.service.setConfig(CONTROLLER, { defaultTtlSeconds: 60 })).defaultTtlSeconds).toBe(60);
    });
});

describe('upgrades', () => {
    it('keeps memories, grants, keys, config and pending pushes; forgets calls that were in flight', async () => {
        const p = await readyPlatform();
        const id = sharedMemory(p);
        okOf(p.service.setConfig(CONTROLLER, { defaultTtlSeconds: 90 }));
        const bucket = okOf(p.service.getMemory(OWNER, id)).memory.bucket;
        p.buckets.get(bucket)!.stopped = true;
        okOf(p.service.revoke(OWNER, id, VIEWER.principal));
        p.service.buckets.update(bucket, (b) => (b.revocationsInFlight = true));
        const next = p.upgrade();
        expect(next.service.config.defaultTtlSeconds).toBe(90);
        expect(okOf(next.service.getMemory(EDITOR, id)).memory.role).toBe('editor');
        expect(next.service.buckets.get(bucket)!.revocationsInFlight).toBe(false);
        next.buckets.get(bucket)!.stopped = false;
        await next.advance(5);
        expect(next.buckets.get(bucket)!.revoked.has(id)).toBe(true);
    });

    it('moves what layout 1 kept in the keys map (id seed, counter, usage time) to their own maps', async () => {
        const p = await readyPlatform();
        const seed = p.stores.memoryIds.get('seed')!;
        okOf(p.service.createMemory(OWNER, 'one'));
        // Put the state back the way layout 1 stored it.
        p.stores.keys.insert('idSeed', seed);
        p.stores.keys.insert('memoryCounter', p.stores.memoryIds.get('counter')!);
        p.stores.memoryIds.remove('seed');
        p.stores.memoryIds.remove('counter');
        const next = p.upgrade();
        expect(p.stores.keys.keys()).toEqual(['keys']);
        expect(p.stores.memoryIds.get('seed')).toBe(seed);
        expect(p.stores.memoryIds.get('counter')).toBe('1');
        const second = okOf(next.service.createMemory(OWNER, 'two'));
        expect(next.service.listMemories(OWNER, undefined, undefined).memories.map((m) => m.id)).toEqual([second.id, expect.any(String)]);
    });
});
