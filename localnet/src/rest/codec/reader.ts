/**
 * Typed access to parsed JSON request bodies. Every failure names the offending path, so a bad
 * request gets a precise 422 instead of a TypeError deep inside a handler.
 * Optional fields follow serde's `Option<T>`: a missing member and `null` both mean "absent".
 */
import { Principal } from '@icp-sdk/core/principal';
import { DecodeError } from '../errors';
import type { JsonObject, JsonValue } from '../json';

export function describe(value: JsonValue | undefined): string {
    if (value === undefined) return 'nothing';
    if (value === null) return 'null';
    if (Array.isArray(value)) return 'an array';
    return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

export function asObject(value: JsonValue | undefined, path: string): JsonObject {
    if (value === null || value === undefined || typeof value !== 'object' || Array.isArray(value)) {
        throw new DecodeError(path, `expected an object, got ${describe(value)}`);
    }
    return value;
}

export function asArray(value: JsonValue | undefined, path: string): JsonValue[] {
    if (!Array.isArray(value)) throw new DecodeError(path, `expected an array, got ${describe(value)}`);
    return value;
}

export function asString(value: JsonValue | undefined, path: string): string {
    if (typeof value !== 'string') throw new DecodeError(path, `expected a string, got ${describe(value)}`);
    return value;
}

export function asBoolean(value: JsonValue | undefined, path: string): boolean {
    if (typeof value !== 'boolean') throw new DecodeError(path, `expected a boolean, got ${describe(value)}`);
    return value;
}

/** A member that must be present (null only if the caller's type allows it). */
export function required(object: JsonObject, key: string, path: string): JsonValue {
    if (!Object.hasOwn(object, key)) throw new DecodeError(path, `missing field \`${key}\``);
    return object[key] as JsonValue;
}

/** A serde `Option<T>` member: undefined when missing or null. */
export function optional(object: JsonObject, key: string): JsonValue | undefined {
    if (!Object.hasOwn(object, key)) return undefined;
    const value = object[key];
    return value === null ? undefined : value;
}

/** An unsigned integer of at most `bits` bits, accepted as a JSON number or a big integer literal. */
export function asUnsigned(value: JsonValue | undefined, path: string, bits: 64 | 128): bigint {
    let result: bigint;
    if (typeof value === 'bigint') {
        result = value;
    } else if (typeof value === 'number' && Number.isSafeInteger(value)) {
        result = BigInt(value);
    } else {
        throw new DecodeError(path, `expected an unsigned integer, got ${describe(value)}`);
    }
    if (result < 0n || result >= 1n << BigInt(bits)) {
        throw new DecodeError(path, `integer out of range for u${bits}`);
    }
    return result;
}

/** A small unsigned integer (ids, counts, milliseconds) that fits a JS number. */
export function asSafeUnsigned(value: JsonValue | undefined, path: string): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
        throw new DecodeError(path, `expected a non-negative integer, got ${describe(value)}`);
    }
    return value;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Standard padded base64, as PocketIC's `base64::deserialize` and PicJS's `Buffer#toString('base64')`. */
export function asBase64Bytes(value: JsonValue | undefined, path: string): Uint8Array {
    const text = asString(value, path);
    // Buffer silently skips invalid characters, so validate first to reject garbage.
    if (!BASE64.test(text)) throw new DecodeError(path, 'invalid base64');
    // Copy out of Buffer's shared pool: consumers such as IDL.decode (@icp-sdk/core 5.x, as
    // @dfinity/candid 3.x) read `bytes.buffer` from offset 0 and would otherwise see pool contents.
    return new Uint8Array(Buffer.from(text, 'base64'));
}

/** Principals are at most 29 bytes (interface specification, "Principals"). */
export const MAX_PRINCIPAL_BYTES = 29;

/** A principal given as base64 of its raw bytes (PocketIC's RawCanisterId/RawPrincipalId/...). */
export function asPrincipal(value: JsonValue | undefined, path: string): Principal {
    const bytes = asBase64Bytes(value, path);
    if (bytes.length > MAX_PRINCIPAL_BYTES) {
        throw new DecodeError(path, `a principal has at most ${MAX_PRINCIPAL_BYTES} bytes, got ${bytes.length}`);
    }
    return Principal.fromUint8Array(bytes);
}

/**
 * A serde externally tagged enum: either a bare string (unit variant) or a single-member object
 * `{ "Variant": payload }`.
 */
export function asVariant(value: JsonValue | undefined, path: string): { tag: string; payload: JsonValue | undefined } {
    if (typeof value === 'string') return { tag: value, payload: undefined };
    const object = asObject(value, path);
    const keys = Object.keys(object);
    if (keys.length !== 1) throw new DecodeError(path, `expected an enum variant, got an object with ${keys.length} members`);
    const tag = keys[0] as string;
    return { tag, payload: object[tag] };
}

export function unknownVariant(path: string, tag: string, expected: readonly string[]): DecodeError {
    return new DecodeError(path, `unknown variant \`${tag}\`, expected one of ${expected.map((e) => `\`${e}\``).join(', ')}`);
}
