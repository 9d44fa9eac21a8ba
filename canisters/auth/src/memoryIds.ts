/**
 * Memory ids: `m` + 32 hex digits = HMAC-SHA256(seed, counter) truncated to 128 bits, where the
 * seed comes from raw_rand. Unpredictable like random ids, and unique without a lookup.
 */
import { hmacSha256 } from '@icp-private-assets/shared';

export function memoryIdFor(seed: Uint8Array, counter: number): string {
    const message = new Uint8Array(8);
    new DataView(message.buffer).setBigUint64(0, BigInt(counter));
    const mac = hmacSha256(seed, message);
    return `m${Array.from(mac.subarray(0, 16), (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
