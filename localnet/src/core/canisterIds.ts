/**
 * Canister and subnet ids. A canister id is the principal of an 8-byte big-endian number followed
 * by 0x01 0x01 (the "opaque id" class); subnets own contiguous ranges of those numbers, as on the
 * IC, so routing a canister id to its subnet is a range lookup.
 */
import { Principal } from '@icp-sdk/core/principal';

export const CANISTER_RANGE_SIZE = 1n << 20n;

export function canisterIdFromNumber(value: bigint): Principal {
    const bytes = new Uint8Array(10);
    new DataView(bytes.buffer).setBigUint64(0, value);
    bytes[8] = 0x01;
    bytes[9] = 0x01;
    return Principal.fromUint8Array(bytes);
}

/** The number behind a canister id, or undefined for other principals. */
export function canisterIdToNumber(id: Principal): bigint | undefined {
    const bytes = id.toUint8Array();
    if (bytes.length !== 10 || bytes[8] !== 0x01 || bytes[9] !== 0x01) return undefined;
    return new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0);
}
