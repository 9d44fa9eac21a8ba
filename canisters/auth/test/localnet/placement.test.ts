/**
 * Placing memories on buckets, on localnet: the emptiest active bucket wins, usage comes from the
 * buckets' own metrics, a bucket without room becomes full, and full or draining buckets get no
 * new memories.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, errorName, ok, OWNER, startAuthSystem, type AuthSystem } from '../support/authSystem';

let s: AuthSystem;
const capacities = [1_000_000n, 3_000_000n, 2_000_000n];

beforeAll(async () => {
    s = await startAuthSystem({ buckets: capacities });
});
afterAll(async () => s?.stop());

const create = async (title = 'memory') => ok(await s.auth(OWNER).create_memory({ title }));
const indexOf = (memory: { bucket: { toText(): string } }) => s.bucketIds.findIndex((b) => b.toText() === memory.bucket.toText());
const buckets = async () => ok(await s.auth(ADMIN).list_buckets()) as any[];
const setStatus = async (i: number, status: string) => ok(await s.auth(ADMIN).set_bucket_status({ canister_id: s.bucketIds[i], status: { [status]: null } }));
/** Waits for the usage refresh (every 60 s) to pick up what the buckets store. */
async function refreshUsage() {
    const before = (await buckets()).map((b) => b.usage_refreshed_at[0] ?? 0n);
    await s.until('bucket usage refreshed', async () => (await buckets()).every((b, i) => (b.usage_refreshed_at[0] ?? 0n) > before[i]!), { stepSeconds: 10 });
}

describe('placement', () => {
    it('places by the usage the buckets really report: the emptiest active bucket, full ones skipped, NoBucket when none is active', async () => {
        // One scenario: each step builds on what the previous one stored.
        // The registered buckets, active, with their capacities.
        let listed = await buckets();
        expect(listed.map((b) => [b.canister_id.toText(), Object.keys(b.status)[0], b.capacity_bytes, b.used_bytes, b.memory_count])).toEqual(
            s.bucketIds.map((id, i) => [id.toText(), 'active', capacities[i], 0n, 0n])
        );
        // Places a new memory on the bucket with the most free capacity.
        const memory = await create('first');
        expect(indexOf(memory)).toBe(1);
        expect((await buckets())[1].memory_count).toBe(1n);
        // Follows the usage the buckets report: after 1.5 MB lands on the largest, the next memory goes elsewhere.
        const first = (await s.auth(OWNER).list_memories({ cursor: [], limit: [] })).memories[0];
        await s.upload(OWNER, first.id, 'original', new Uint8Array(1_500_000).fill(7), { contentType: 'video/mp4' });
        await refreshUsage();
        listed = await buckets();
        expect(listed.map((b) => b.used_bytes)).toEqual([0n, 1_500_000n, 0n]);
        expect(indexOf(await create('second'))).toBe(2); // 2 MB free beats 1.5 MB
        // Marks a bucket full when its usage reaches its capacity; a full bucket gets no new memories.
        const [memoryId] = ok(await s.auth(ADMIN).import_memories([{ owner: OWNER, title: 'filler', bucket: [s.bucketIds[0]], grants: [] }]));
        await s.upload(OWNER, memoryId, 'original', new Uint8Array(1_000_000).fill(1), { contentType: 'video/mp4' });
        await refreshUsage();
        listed = await buckets();
        expect([Object.keys(listed[0].status)[0], listed[0].used_bytes]).toEqual(['full', 1_000_000n]);
        // Bucket 1 has 1.5 MB free, bucket 2 has 2 MB: set bucket 2 full by hand, and bucket 1 receives.
        await setStatus(2, 'full');
        for (let i = 0; i < 3; i++) expect(indexOf(await create(`while 2 is full ${i}`))).toBe(1);
        // Answers NoBucket when no bucket is active, and places again once one is.
        await setStatus(1, 'draining');
        expect(errorName(await s.auth(OWNER).create_memory({ title: 'nowhere' }))).toBe('NoBucket');
        // Existing memories on draining and full buckets keep working.
        const onDraining = (await s.auth(OWNER).list_memories({ cursor: [], limit: [100] })).memories.find((m: any) => indexOf(m) === 1);
        ok(await s.auth(OWNER).mint_http_token({ memory_id: onDraining.id, variants: [{ original: null }], asset_ids: [], ttl_seconds: [] }));
        await setStatus(2, 'active');
        expect(indexOf(await create('back'))).toBe(2);
    });

    it('refuses bad registrations and unknown buckets', async () => {
        expect(errorName(await s.auth(ADMIN).register_bucket({ canister_id: s.bucketIds[0], capacity_bytes: 10n }))).toBe('InvalidRequest');
        const unregistered = await s.installBucket();
        expect(errorName(await s.auth(ADMIN).register_bucket({ canister_id: unregistered, capacity_bytes: 0n }))).toBe('InvalidRequest');
        expect(errorName(await s.auth(ADMIN).set_bucket_status({ canister_id: unregistered, status: { active: null } }))).toBe('NotFound');
        expect(errorName(await s.auth(ADMIN).import_memories([{ owner: OWNER, title: 'x', bucket: [unregistered], grants: [] }]))).toBe('InvalidRequest');
    });
});
