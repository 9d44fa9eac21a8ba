/** Roles on a memory and what each allows (docs/auth-interface.md, "Roles"). */

export const ROLES = ['viewer', 'editor', 'owner'] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { viewer: 1, editor: 2, owner: 3 };
const CODE: Record<Role, string> = { viewer: 'v', editor: 'e', owner: 'o' };
const BY_CODE: Record<string, Role> = { v: 'viewer', e: 'editor', o: 'owner' };

export function atLeast(role: Role | undefined, needed: Role): boolean {
    return role !== undefined && RANK[role] >= RANK[needed];
}

/** The roles at or above `lowest` on the ladder (for the permission table). */
export function rolesFrom(lowest: Role): Role[] {
    return ROLES.filter((role) => atLeast(role, lowest));
}

/** One-letter form stored in the link index. */
export function roleCode(role: Role): string {
    return CODE[role];
}

export function roleFromCode(code: string | undefined): Role | undefined {
    return code === undefined ? undefined : BY_CODE[code];
}
