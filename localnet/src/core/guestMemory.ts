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
    return {
        read(address, size) {
            const buffer = memory.buffer;
            if (address < 0 || size < 0 || address + size > buffer.byteLength) throw outOfBounds('read');
            return new Uint8Array(buffer, address, size).slice();
        },
        write(address, bytes) {
            const buffer = memory.buffer;
            if (address < 0 || address + bytes.length > buffer.byteLength) throw outOfBounds('write');
            if (bytes.length === 0) return;
            new Uint8Array(buffer).set(bytes, address);
            markDirty(address, bytes.length);
        }
    };
}
