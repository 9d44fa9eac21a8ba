/** Host access to a canister's linear memory: bounds-checked, and every write marked dirty. */
import { CanisterTrap } from './canisterTrap';

export interface GuestMemory {
    /** A copy of memory[address, address + size). Traps when out of bounds. */
    read(address: number, size: number): Uint8Array;
    /** Writes and marks the pages dirty. Traps when out of bounds. */
    write(address: number, bytes: Uint8Array): void;
}

export function outOfBounds(what: string): CanisterTrap {
    return new CanisterTrap(`Canister trapped: ${what}: heap out of bounds`);
}

export function createGuestMemory(
    memory: WebAssembly.Memory,
    markDirty: (address: number, length: number) => void
): GuestMemory {
    // One view for all calls, replaced only when memory.grow detaches the buffer: system calls are
    // frequent enough (Azle's stable B-tree reads) that a view per call shows up in profiles.
    let view = new Uint8Array(memory.buffer);
    const current = (): Uint8Array => {
        if (view.buffer !== memory.buffer) view = new Uint8Array(memory.buffer);
        return view;
    };
    return {
        read(address, size) {
            const bytes = current();
            if (address < 0 || size < 0 || address + size > bytes.length) throw outOfBounds('read');
            return bytes.slice(address, address + size);
        },
        write(address, data) {
            const bytes = current();
            if (address < 0 || address + data.length > bytes.length) throw outOfBounds('write');
            if (data.length === 0) return;
            bytes.set(data, address);
            markDirty(address, data.length);
        }
    };
}
