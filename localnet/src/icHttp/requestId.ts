/**
 * Representation-independent hashing (interface spec "Request ids"): what request ids, query
 * response hashes and delegation signatures are computed over. Works on decoded CBOR values:
 * text, blobs, naturals (hashed as unsigned LEB128), arrays and maps (nested maps hash as maps).
 */
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, concatBytes, utf8ToBytes } from '@noble/hashes/utils';
import { encodeUnsignedLeb128 } from '../leb128';
import { compareLabels } from '../certification/hashTree';

export class UnhashableValueError extends Error {
    override name = 'UnhashableValueError';
}

export function hashValue(value: unknown): Uint8Array {
    if (typeof value === 'string') return sha256(utf8ToBytes(value));
    if (value instanceof Uint8Array) return sha256(value);
    if (typeof value === 'bigint' || typeof value === 'number') return sha256(encodeUnsignedLeb128(naturalOf(value)));
    if (Array.isArray(value)) return sha256(concatBytes(...value.map(hashValue)));
    if (isPlainMap(value)) return hashOfMap(value);
    throw new UnhashableValueError(`a value of type ${describe(value)} cannot be hashed`);
}

/** hash_of_map: entries hashed pairwise, sorted by the concatenated key/value digests. */
export function hashOfMap(map: Readonly<Record<string, unknown>>): Uint8Array {
    const entries = Object.entries(map)
        .filter(([, value]) => value !== undefined)
        .map(([key, value]) => concatBytes(sha256(utf8ToBytes(key)), hashValue(value)));
    entries.sort(compareLabels);
    return sha256(concatBytes(...entries));
}

export const requestIdOf = hashOfMap;

export const requestIdHex = (requestId: Uint8Array): string => bytesToHex(requestId);

function naturalOf(value: number | bigint): bigint {
    if (typeof value === 'number' && !Number.isSafeInteger(value)) {
        throw new UnhashableValueError(`the number ${value} is not an integer`);
    }
    const natural = BigInt(value);
    if (natural < 0n) throw new UnhashableValueError(`the integer ${natural} is negative`);
    return natural;
}

export function isPlainMap(value: unknown): value is Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) return false;
    const prototype = Object.getPrototypeOf(value) as unknown;
    return prototype === Object.prototype || prototype === null;
}

export function describe(value: unknown): string {
    if (value === null) return 'null';
    if (value instanceof Uint8Array) return 'byte string';
    if (Array.isArray(value)) return 'array';
    if (isPlainMap(value)) return 'map';
    if (typeof value === 'number' || typeof value === 'bigint') return 'integer';
    if (typeof value === 'string') return 'text string';
    if (typeof value === 'boolean') return 'boolean';
    return typeof value;
}
