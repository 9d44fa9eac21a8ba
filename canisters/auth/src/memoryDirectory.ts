/**
 * Memories and who may access them. A memory record (owner, bucket, title, creation time) plus two
 * link lists per grant: principal → memories (for list_memories) and memory → principals (for
 * get_memory and deletion), both holding the role. The owner is in both lists as `owner`.
 */
import type { KeyValueStore } from '@icp-private-assets/shared';
import { LinkedIndex } from './linkedIndex';
import { roleCode, roleFromCode, type Role } from './roles';
import { decodeMemory, encodeMemory } from './storedRecords';

export interface MemoryRecord {
    readonly id: string;
    readonly owner: string;
    readonly bucket: string;
    readonly title: string;
    /** Nanoseconds, decimal string. */
    readonly createdAt: string;
    /** Unix seconds: tokens issued before it were revoked; new tokens are issued from it on. */
    readonly tokensNotBefore?: number;
}

export const MAX_TITLE_LENGTH = 200;

const principalList = (principal: string) => `p:${principal}`;
const memoryList = (memoryId: string) => `m:${memoryId}`;

export class MemoryDirectory {
    readonly #links: LinkedIndex;

    constructor(
        private readonly memories: KeyValueStore<string>,
        links: KeyValueStore<string>
    ) {
        this.#links = new LinkedIndex(links);
    }

    get(id: string): MemoryRecord | undefined {
        const raw = this.memories.get(id);
        return raw === undefined ? undefined : decodeMemory(id, raw);
    }

    create(record: MemoryRecord): void {
        const { id, ...rest } = record;
        this.memories.insert(id, encodeMemory(rest));
        this.#setLinks(id, record.owner, 'owner');
    }

    /** The principal's role on the memory, if any (one lookup: used on every mint). */
    roleOf(memoryId: string, principal: string): Role | undefined {
        return roleFromCode(this.#links.get(memoryList(memoryId), principal));
    }

    /** Principals with a role on the memory, the owner included. */
    memberCount(memoryId: string): number {
        return this.#links.count(memoryList(memoryId));
    }

    setRole(memoryId: string, principal: string, role: Role): void {
        this.#setLinks(memoryId, principal, role);
    }

    removeRole(memoryId: string, principal: string): boolean {
        const removed = this.#links.remove(memoryList(memoryId), principal) !== undefined;
        this.#links.remove(principalList(principal), memoryId);
        return removed;
    }

    /** Records a revocation cutoff on the memory (minting issues tokens from it on). */
    setTokensNotBefore(memoryId: string, notBefore: number): void {
        const memory = this.get(memoryId);
        if (!memory) throw new Error(`no memory ${memoryId}`);
        const { id, ...rest } = memory;
        this.memories.insert(id, encodeMemory({ ...rest, tokensNotBefore: Math.max(notBefore, memory.tokensNotBefore ?? 0) }));
    }

    /** Makes `newOwner` the owner; the previous owner keeps access as an editor. */
    transfer(memoryId: string, newOwner: string): void {
        const memory = this.get(memoryId);
        if (!memory) throw new Error(`no memory ${memoryId}`);
        const { id, ...rest } = memory;
        this.memories.insert(id, encodeMemory({ ...rest, owner: newOwner }));
        this.#setLinks(memoryId, memory.owner, 'editor');
        this.#setLinks(memoryId, newOwner, 'owner');
    }

    /** Removes the memory and every grant on it. */
    delete(memoryId: string): MemoryRecord | undefined {
        const memory = this.get(memoryId);
        if (!memory) return undefined;
        for (const principal of this.#links.members(memoryList(memoryId))) this.removeRole(memoryId, principal);
        this.memories.remove(memoryId);
        return memory;
    }

    grants(memoryId: string): { principal: string; role: Role }[] {
        return this.#links.page(memoryList(memoryId), Number.MAX_SAFE_INTEGER).entries.map((e) => ({ principal: e.member, role: roleFromCode(e.value)! }));
    }

    /** The principal's memories, newest grant first. */
    listFor(principal: string, limit: number, cursor?: string): { items: { memoryId: string; role: Role }[]; next?: string } {
        const page = this.#links.page(principalList(principal), limit, cursor);
        return {
            items: page.entries.map((e) => ({ memoryId: e.member, role: roleFromCode(e.value)! })),
            ...(page.next !== undefined ? { next: page.next } : {})
        };
    }

    #setLinks(memoryId: string, principal: string, role: Role): void {
        this.#links.put(memoryList(memoryId), principal, roleCode(role));
        this.#links.put(principalList(principal), memoryId, roleCode(role));
    }
}
