/**
 * Who may call what, on localnet: every update method (and every guarded query) called by each
 * kind of caller. Allowed calls succeed; refused ones answer Anonymous, NotAuthorized (a member
 * without the role, or no admin right) or NotFound (no role on the memory at all: a stranger learns
 * nothing, not even that it exists), and leave the state exactly as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Principal } from '@icp-sdk/core/principal';
import { ADMIN, ANONYMOUS, DEPUTY, EDITOR, json, ok, OWNER, startAuthSystem, STRANGER, VIEWER, type AuthSystem } from '../support/authSystem';

let s: AuthSystem;
/** Granted viewer on every memory: the target of revoke. */
const THIRD = Principal.selfAuthenticating(new Uint8Array(32).fill(16));
const CALLERS = { anonymous: ANONYMOUS, stranger: STRANGER, viewer: VIEWER, editor: EDITOR, owner: OWNER, admin: DEPUTY, controller: ADMIN } as const;
type CallerName = keyof typeof CALLERS;
const NAMES = Object.keys(CALLERS) as CallerName[];

/** A fresh memory per (method, caller), owned by OWNER, with VIEWER, EDITOR and THIRD granted. */
const fresh = new Map<string, string>();
const MEMORY_METHODS = ['grant', 'revoke', 'transfer_ownership', 'delete_memory'];

beforeAll(async () => {
    s = await startAuthSystem({ buckets: [1_000_000_000n] });
    ok(await s.auth(ADMIN).add_admin(DEPUTY));
    // No provisioning in this suite (its staged "wasm" is 10 bytes): the fleet state stays still between snapshots.
    ok(await s.auth(ADMIN).set_fleet_config({ ...NO_FLEET_CHANGE, max_buckets: [1] }));
    const wanted = MEMORY_METHODS.flatMap((m) => NAMES.map((c) => `${m}:${c}`));
    const ids = ok(
        await s.auth(ADMIN).import_memories(
            wanted.map((key) => ({
                owner: OWNER,
                title: key,
                bucket: [],
                grants: [
                    { principal: VIEWER, role: { viewer: null } },
                    { principal: EDITOR, role: { editor: null } },
                    { principal: THIRD, role: { viewer: null } }
                ]
            }))
        )
    );
    wanted.forEach((key, i) => fresh.set(key, ids[i]));
    fresh.set('shared', ids[0]);
});
afterAll(async () => s?.stop());

type Call = (caller: Principal, callerName: CallerName) => Promise<any>;
const memoryFor = (method: string, caller: CallerName) => fresh.get(`${method}:${caller}`)!;
let fakeBucket = 0;
const unregistered: string[] = [];
const unregisteredCanister = () => Principal.fromUint8Array(Uint8Array.from([0, 0, 0, 0, 0, 0x30, 0, ++fakeBucket, 1, 1]));

/** Each update's call, who may make it, and (optionally) what it needs first and what the allowed calls must have done. */
const UPDATES: Record<string, { call: Call; allowed: CallerName[]; setup?: () => Promise<unknown>; effect?: () => Promise<void> }> = {
    create_memory: { call: (p) => s.auth(p).create_memory({ title: 'mine' }), allowed: ['stranger', 'viewer', 'editor', 'owner', 'admin', 'controller'] },
    grant: {
        call: (p, c) => s.auth(p).grant({ memory_id: memoryFor('grant', c), principal: STRANGER, role: { editor: null } }),
        allowed: ['owner'],
        effect: async () => {
            const granted = ok(await s.auth(OWNER).get_memory({ memory_id: memoryFor('grant', 'owner') }));
            expect(granted.grants.some((g: any) => g.principal.toText() === STRANGER.toText() && 'editor' in g.role)).toBe(true);
        }
    },
    revoke: {
        call: (p, c) => s.auth(p).revoke({ memory_id: memoryFor('revoke', c), principal: THIRD }),
        allowed: ['owner'],
        effect: async () => {
            const revoked = ok(await s.auth(OWNER).get_memory({ memory_id: memoryFor('revoke', 'owner') }));
            expect(revoked.grants.some((g: any) => g.principal.toText() === THIRD.toText())).toBe(false);
        }
    },
    transfer_ownership: {
        call: (p, c) => s.auth(p).transfer_ownership({ memory_id: memoryFor('transfer_ownership', c), new_owner: THIRD }),
        allowed: ['owner'],
        effect: async () => {
            const transferred = ok(await s.auth(THIRD).get_memory({ memory_id: memoryFor('transfer_ownership', 'owner') }));
            expect(transferred.memory.owner.toText()).toBe(THIRD.toText());
        }
    },
    delete_memory: {
        call: (p, c) => s.auth(p).delete_memory({ memory_id: memoryFor('delete_memory', c) }),
        allowed: ['owner'],
        effect: async () => expect(outcome(await s.auth(OWNER).get_memory({ memory_id: memoryFor('delete_memory', 'owner') }))).toBe('NotFound')
    },
    register_bucket: { call: (p) => s.auth(p).register_bucket({ canister_id: unregisteredCanister(), capacity_bytes: 1000n }), allowed: ['admin', 'controller'] },
    set_bucket_status: { call: (p) => s.auth(p).set_bucket_status({ canister_id: s.bucketIds[0], status: { active: null } }), allowed: ['admin', 'controller'] },
    add_admin: {
        call: (p) => s.auth(p).add_admin(THIRD),
        allowed: ['admin', 'controller'],
        effect: async () => {
            expect(ok(await s.auth(ADMIN).list_admins()).map((p: any) => p.toText())).toContain(THIRD.toText());
            ok(await s.auth(ADMIN).remove_admin(THIRD)); // leave the admin list as the other tests expect it
        }
    },
    remove_admin: {
        setup: async () => ok(await s.auth(ADMIN).add_admin(THIRD)),
        call: (p) => s.auth(p).remove_admin(THIRD),
        allowed: ['admin', 'controller'],
        effect: async () => expect(ok(await s.auth(ADMIN).list_admins()).map((p: any) => p.toText())).toEqual([DEPUTY.toText()])
    },
    set_config: { call: (p) => s.auth(p).set_config({ default_ttl_seconds: [180], max_ttl_seconds: [], upload_grant_ttl_seconds: [], skew_seconds: [] }), allowed: ['admin', 'controller'] },
    rotate_keys: {
        call: (p) => s.auth(p).rotate_keys(),
        allowed: ['admin', 'controller'],
        effect: async () => expect(ok(await s.auth(ADMIN).key_status()).keys.length).toBeGreaterThanOrEqual(3)
    },
    import_memories: { call: (p) => s.auth(p).import_memories([{ owner: OWNER, title: 'imported', bucket: [], grants: [] }]), allowed: ['admin', 'controller'] },
    set_fleet_config: {
        call: (p) => s.auth(p).set_fleet_config({ ...NO_FLEET_CHANGE, runway_warning_days: [45] }),
        allowed: ['admin', 'controller'],
        effect: async () => expect(ok(await s.auth(ADMIN).fleet_status()).config.runway_warning_days).toBe(45)
    },
    begin_bucket_wasm: { call: (p) => s.auth(p).begin_bucket_wasm({ sha256: new Uint8Array(32), size: 10n }), allowed: ['admin', 'controller'] },
    put_bucket_wasm_chunk: {
        setup: () => s.auth(ADMIN).begin_bucket_wasm({ sha256: new Uint8Array(32), size: 10n }),
        call: (p) => s.auth(p).put_bucket_wasm_chunk({ index: 0, bytes: new Uint8Array(10) }),
        allowed: ['admin', 'controller']
    },
    unregister_bucket: {
        // Each allowed caller unregisters an empty bucket of its own.
        call: async (p, c) => {
            if (c !== 'admin' && c !== 'controller') return s.auth(p).unregister_bucket({ canister_id: s.bucketIds[0] });
            const id = unregisteredCanister();
            unregistered.push(id.toText());
            ok(await s.auth(ADMIN).register_bucket({ canister_id: id, capacity_bytes: 1000n }));
            return s.auth(p).unregister_bucket({ canister_id: id });
        },
        allowed: ['admin', 'controller'],
        effect: async () => {
            const listed = ok(await s.auth(ADMIN).list_buckets()).map((b: any) => b.canister_id.toText());
            expect(listed).toContain(s.bucketIds[0]!.toText());
            for (const id of unregistered) expect(listed).not.toContain(id);
        }
    },
    commit_bucket_wasm: {
        // Each allowed caller commits an upload of its own; refused callers find one in progress and change nothing.
        setup: () => stageWasm(),
        call: async (p, c) => {
            if (c === 'admin' || c === 'controller') await stageWasm();
            return s.auth(p).commit_bucket_wasm();
        },
        allowed: ['admin', 'controller'],
        effect: async () => expect(ok(await s.auth(ADMIN).fleet_status()).wasm[0].state).toEqual({ ready: null })
    }
};

const NO_FLEET_CHANGE = {
    min_free_bytes: [],
    bucket_capacity_bytes: [],
    cycles_per_bucket: [],
    max_buckets: [],
    operators: [],
    top_up_below_cycles: [],
    top_up_cycles: [],
    runway_warning_days: []
};
/** A 10-byte "module" uploaded but not committed (this suite has no provisioning: its hash matches nothing). */
async function stageWasm(): Promise<void> {
    ok(await s.auth(ADMIN).begin_bucket_wasm({ sha256: new Uint8Array(32), size: 10n }));
    ok(await s.auth(ADMIN).put_bucket_wasm_chunk({ index: 0, bytes: new Uint8Array(10) }));
}

const shared = () => fresh.get('shared')!;
const QUERIES: Record<string, { call: Call; allowed: CallerName[] }> = {
    get_memory: { call: (p) => s.auth(p).get_memory({ memory_id: shared() }), allowed: ['viewer', 'editor', 'owner'] },
    mint_http_token: { call: (p) => s.auth(p).mint_http_token({ memory_id: shared(), variants: [{ preview: null }], asset_ids: [], ttl_seconds: [] }), allowed: ['viewer', 'editor', 'owner'] },
    mint_http_tokens: {
        call: async (p) => (await s.auth(p).mint_http_tokens({ memory_ids: [shared()], variants: [{ preview: null }], ttl_seconds: [] }))[0].result,
        allowed: ['viewer', 'editor', 'owner']
    },
    mint_upload_grant: { call: (p) => s.auth(p).mint_upload_grant({ memory_id: shared(), variants: [{ preview: null }], asset_ids: [] }), allowed: ['editor', 'owner'] },
    mint_delete_grant: { call: (p) => s.auth(p).mint_delete_grant({ memory_id: shared(), variants: [], asset_ids: [] }), allowed: ['owner'] },
    list_buckets: { call: (p) => s.auth(p).list_buckets(), allowed: ['admin', 'controller'] },
    key_status: { call: (p) => s.auth(p).key_status(), allowed: ['admin', 'controller'] },
    list_admins: { call: (p) => s.auth(p).list_admins(), allowed: ['admin', 'controller'] },
    fleet_status: { call: (p) => s.auth(p).fleet_status(), allowed: ['admin', 'controller'] }
};

const outcome = (result: any): string => ('Ok' in result ? 'Ok' : Object.keys(result.Err)[0]!);
/** Callers with a role on the test memories. */
const MEMBERS: CallerName[] = ['viewer', 'editor', 'owner'];
/** Methods about one memory: callers without any role on it get NotFound, as for a memory that does not exist. */
const ON_A_MEMORY = [...MEMORY_METHODS, 'get_memory', 'mint_http_token', 'mint_http_tokens', 'mint_upload_grant', 'mint_delete_grant'];
const expected = (method: string, allowed: CallerName[]) =>
    Object.fromEntries(
        NAMES.map((c) => [
            c,
            allowed.includes(c) ? 'Ok' : c === 'anonymous' ? 'Anonymous' : ON_A_MEMORY.includes(method) && !MEMBERS.includes(c) ? 'NotFound' : 'NotAuthorized'
        ])
    );

/** Everything a refused call could have changed, as the controller and the memory's owner see it. */
async function snapshot(memoryId?: string): Promise<string> {
    const admin = s.auth(ADMIN);
    const [keys, buckets, admins, config, fleet] = await Promise.all([admin.key_status(), admin.list_buckets(), admin.list_admins(), admin.get_config(), admin.fleet_status()]);
    const memory = memoryId ? await s.auth(OWNER).get_memory({ memory_id: memoryId }) : undefined;
    const owned = await s.auth(OWNER).list_memories({ cursor: [], limit: [100] });
    const strangers = await s.auth(STRANGER).list_memories({ cursor: [], limit: [100] });
    const { config: fleetConfig, wasm, provisioning } = ok(fleet);
    return json({ keys: ok(keys).version, masters: ok(keys).keys, buckets: ok(buckets), admins: ok(admins), config, fleetConfig, wasm, provisioning, memory, owned, strangers });
}

describe('authorization matrix', () => {
    it.each(Object.entries(UPDATES))('update %s: only the allowed succeed and do what they asked, refusals change nothing', async (method, { call, allowed, setup, effect }) => {
        await setup?.();
        const outcomes: Record<string, string> = {};
        for (const name of NAMES) {
            const memoryId = MEMORY_METHODS.includes(method) ? memoryFor(method, name) : undefined;
            const before = allowed.includes(name) ? undefined : await snapshot(memoryId);
            outcomes[name] = outcome(await call(CALLERS[name], name));
            if (before !== undefined) expect(await snapshot(memoryId), `${method} by ${name} changed state`).toBe(before);
        }
        expect(outcomes).toEqual(expected(method, allowed));
        await effect?.();
    });

    it.each(Object.entries(QUERIES))('query %s: only the allowed get an answer', async (method, { call, allowed }) => {
        const outcomes: Record<string, string> = {};
        for (const name of NAMES) outcomes[name] = outcome(await call(CALLERS[name], name));
        expect(outcomes).toEqual(expected(method, allowed));
    });

    it('refuses upgrade_buckets to all but admins and controllers, changing nothing', async () => {
        for (const name of NAMES.filter((n) => n !== 'admin' && n !== 'controller')) {
            const before = await snapshot();
            const rollout = ok(await s.auth(ADMIN).fleet_status()).rollout;
            expect(outcome(await s.auth(CALLERS[name]).upgrade_buckets())).toBe(name === 'anonymous' ? 'Anonymous' : 'NotAuthorized');
            expect(await snapshot()).toBe(before);
            expect(ok(await s.auth(ADMIN).fleet_status()).rollout).toEqual(rollout);
        }
    });

    it('lets everyone read the public config and ask whether they are an admin; anonymous list nothing', async () => {
        for (const name of NAMES) expect((await s.auth(CALLERS[name]).get_config()).default_ttl_seconds).toBe(180);
        const admins = Object.fromEntries(await Promise.all(NAMES.map(async (name) => [name, await s.auth(CALLERS[name]).is_admin()] as const)));
        expect(admins).toEqual({ anonymous: false, stranger: false, viewer: false, editor: false, owner: false, admin: true, controller: true });
        expect(await s.auth(ANONYMOUS).list_memories({ cursor: [], limit: [] })).toEqual({ memories: [], next_cursor: [] });
    });
});
