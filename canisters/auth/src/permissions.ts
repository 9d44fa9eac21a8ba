/**
 * Who may do what: one table, consulted by every method of the auth service. An action needs
 * either one of a set of roles on the memory it concerns, or the admin right, or only an
 * authenticated caller. Callers without any role on a memory are answered `NotFound`, as for a
 * memory that does not exist; members whose role is not enough get `NotAuthorized`.
 *
 * Adding a role outside the viewer < editor < owner ladder (say, "contributor": may upload but
 * not see other people's uploads) is one edit here: add it to ROLES in roles.ts and to the role
 * sets of the actions it may perform (a set, not a minimum rank, so it need not fit the ladder),
 * plus one row in test/permissions.test.ts.
 */
import { rolesFrom, type Role } from './roles';

export type Requirement =
    | { readonly kind: 'authenticated' }
    | { readonly kind: 'admin' }
    | { readonly kind: 'member'; readonly roles: readonly Role[] };

const member = (roles: readonly Role[]): Requirement => ({ kind: 'member', roles });

export const PERMISSIONS = {
    create_memory: { kind: 'authenticated' },
    view_memory: member(rolesFrom('viewer')),
    mint_read_token: member(rolesFrom('viewer')),
    mint_upload_grant: member(rolesFrom('editor')),
    mint_delete_grant: member(rolesFrom('owner')),
    /** Grant, change or revoke another principal's role. */
    share: member(rolesFrom('owner')),
    /** Give up one's own role. */
    leave: member(rolesFrom('viewer')),
    transfer_ownership: member(rolesFrom('owner')),
    delete_memory: member(rolesFrom('owner')),
    administer: { kind: 'admin' }
} as const satisfies Record<string, Requirement>;

export type Action = keyof typeof PERMISSIONS;

export type Denial = { readonly Anonymous: null } | { readonly NotAuthorized: null } | { readonly NotFound: null };

export interface CallerFacts {
    readonly anonymous: boolean;
    readonly admin: boolean;
    /** The caller's role on the memory the action concerns, if it concerns one. */
    readonly role?: Role;
}

/** Undefined when allowed; otherwise how to refuse. */
export function denial(action: Action, caller: CallerFacts): Denial | undefined {
    const requirement: Requirement = PERMISSIONS[action];
    if (caller.anonymous) return { Anonymous: null };
    switch (requirement.kind) {
        case 'authenticated':
            return undefined;
        case 'admin':
            return caller.admin ? undefined : { NotAuthorized: null };
        case 'member':
            if (caller.role === undefined) return { NotFound: null };
            return requirement.roles.includes(caller.role) ? undefined : { NotAuthorized: null };
    }
}
