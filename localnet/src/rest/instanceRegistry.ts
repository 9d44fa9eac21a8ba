/**
 * The instances of one server. Ids are sequential and never reused, and deleted instances stay
 * listed as "Deleted", as in PocketIC. Operations on one instance run one at a time (PocketIC
 * marks an instance busy while an operation runs), so the core never sees interleaved requests.
 */
import type { LocalIc } from '../core/localIc';
import { RestError } from './errors';

/** How long deleting an instance waits for its running operation before disposing anyway. */
const DELETE_GRACE_MS = 5_000;

export class InstanceSlot {
    private tail: Promise<unknown> = Promise.resolve();
    private deleted = false;

    constructor(
        readonly id: number,
        readonly ic: LocalIc
    ) {}

    get isDeleted(): boolean {
        return this.deleted;
    }

    /** Runs `operation` after every earlier one on this instance has settled. */
    run<T>(operation: (ic: LocalIc) => Promise<T>): Promise<T> {
        const result = this.tail.then(() => {
            if (this.deleted) throw new RestError(400, 'Instance was deleted');
            return operation(this.ic);
        });
        // The queue continues whether or not this operation failed.
        this.tail = result.catch(() => undefined);
        return result;
    }

    /** Rejects further operations, lets the running one finish (bounded), then disposes the core. */
    async delete(): Promise<void> {
        if (this.deleted) return;
        this.deleted = true;
        let timer: NodeJS.Timeout | undefined;
        const grace = new Promise<void>((resolve) => {
            timer = setTimeout(resolve, DELETE_GRACE_MS);
        });
        await Promise.race([this.tail, grace]);
        clearTimeout(timer);
        await this.ic.dispose();
    }
}

export class InstanceRegistry {
    private readonly slots: InstanceSlot[] = [];

    add(ic: LocalIc): InstanceSlot {
        const slot = new InstanceSlot(this.slots.length, ic);
        this.slots.push(slot);
        return slot;
    }

    /** The live instance with this id; 400 like PocketIC for unknown or deleted ids. */
    get(id: number): InstanceSlot {
        const slot = this.slots[id];
        if (!slot) throw new RestError(400, `Instance not found: ${id}`);
        if (slot.isDeleted) throw new RestError(400, `Instance was deleted: ${id}`);
        return slot;
    }

    /** The live instance with this id, or undefined (for front ends, which must not throw). */
    find(id: number): InstanceSlot | undefined {
        const slot = this.slots[id];
        return slot && !slot.isDeleted ? slot : undefined;
    }

    /** Deletes an instance; deleting an already deleted one is a no-op. */
    async delete(id: number): Promise<void> {
        const slot = this.slots[id];
        if (!slot) throw new RestError(400, `Instance not found: ${id}`);
        await slot.delete();
    }

    /** The `GET /instances` listing: one state per id ever created. */
    states(): string[] {
        return this.slots.map((slot) => (slot.isDeleted ? 'Deleted' : 'Available'));
    }

    /** Deletes every live instance; a failing dispose does not stop the others. */
    async deleteAll(): Promise<void> {
        await Promise.allSettled(this.slots.map((slot) => slot.delete()));
    }
}
