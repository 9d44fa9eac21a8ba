/** The permission table, row by row: who may do each action (one row per action). */
import { describe, expect, it } from 'vitest';
import { denial, PERMISSIONS, type Action, type CallerFacts } from '../src/permissions';

const CALLERS: Record<string, CallerFacts> = {
    anonymous: { anonymous: true, admin: false },
    stranger: { anonymous: false, admin: false },
    viewer: { anonymous: false, admin: false, role: 'viewer' },
    editor: { anonymous: false, admin: false, role: 'editor' },
    owner: { anonymous: false, admin: false, role: 'owner' },
    admin: { anonymous: false, admin: true }
};

/** Allowed callers per action; every other caller is refused (anonymous: Anonymous; no role: NotFound; too low: NotAuthorized). */
const ALLOWED: Record<Action, string[]> = {
    create_memory: ['stranger', 'viewer', 'editor', 'owner', 'admin'],
    view_memory: ['viewer', 'editor', 'owner'],
    mint_read_token: ['viewer', 'editor', 'owner'],
    mint_upload_grant: ['editor', 'owner'],
    mint_delete_grant: ['owner'],
    share: ['owner'],
    leave: ['viewer', 'editor', 'owner'],
    transfer_ownership: ['owner'],
    delete_memory: ['owner'],
    administer: ['admin']
};

describe('permission table', () => {
    it('covers every action, and only those', () => {
        expect(Object.keys(ALLOWED).sort()).toEqual(Object.keys(PERMISSIONS).sort());
    });

    it.each(Object.entries(ALLOWED))('%s', (action, allowed) => {
        const outcomes = Object.fromEntries(Object.entries(CALLERS).map(([name, facts]) => [name, Object.keys(denial(action as Action, facts) ?? { Ok: null })[0]]));
        const expected = Object.fromEntries(
            Object.entries(CALLERS).map(([name, facts]) => {
                if (allowed.includes(name)) return [name, 'Ok'];
                if (facts.anonymous) return [name, 'Anonymous'];
                const memberAction = PERMISSIONS[action as Action].kind === 'member';
                return [name, memberAction && facts.role === undefined ? 'NotFound' : 'NotAuthorized'];
            })
        );
        expect(outcomes).toEqual(expected);
    });
});
