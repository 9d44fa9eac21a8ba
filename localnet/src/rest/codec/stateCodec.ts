/**
 * Small request/response types of the instance endpoints: `RawTime`, `RawCanisterId`,
 * `RawSubnetId`, `RawAddCycles`, `RawCycles`, `RawSetStableMemory`, `RawStableMemory`,
 * `RawPrincipalId` lists and `AutoProgressConfig` (packages/pocket-ic/src/common/rest.rs).
 */
import type { Principal } from '@icp-sdk/core/principal';
import type { JsonObject, JsonValue } from '../json';
import { asBase64Bytes, asObject, asPrincipal, asSafeUnsigned, asUnsigned, optional, required } from './reader';
import { toBase64 } from './callCodec';

/** `RawTime` request: `{"nanos_since_epoch": u64}`. */
export function decodeTime(body: JsonValue): bigint {
    const object = asObject(body, 'body');
    return asUnsigned(required(object, 'nanos_since_epoch', 'body'), 'body.nanos_since_epoch', 64);
}

/** `RawTime` response; the bigint is written as an exact JSON integer. */
export function encodeTime(nanos: bigint): JsonObject {
    return { nanos_since_epoch: nanos };
}

/** `RawCanisterId` request: `{"canister_id": base64}`. */
export function decodeCanisterId(body: JsonValue): Principal {
    const object = asObject(body, 'body');
    return asPrincipal(required(object, 'canister_id', 'body'), 'body.canister_id');
}

/** `RawSubnetId` request: `{"subnet_id": base64}`. */
export function decodeSubnetId(body: JsonValue): Principal {
    const object = asObject(body, 'body');
    return asPrincipal(required(object, 'subnet_id', 'body'), 'body.subnet_id');
}

/** `Option<RawSubnetId>` response: the subnet, or `null` for an unknown canister. */
export function encodeOptionalSubnetId(subnetId: Principal | undefined): JsonValue {
    return subnetId === undefined ? null : { subnet_id: toBase64(subnetId.toUint8Array()) };
}

/** `RawAddCycles` request: `{"canister_id": base64, "amount": u128}`. */
export function decodeAddCycles(body: JsonValue): { canisterId: Principal; amount: bigint } {
    const object = asObject(body, 'body');
    return {
        canisterId: asPrincipal(required(object, 'canister_id', 'body'), 'body.canister_id'),
        amount: asUnsigned(required(object, 'amount', 'body'), 'body.amount', 128)
    };
}

/** `RawCycles` response. */
export function encodeCycles(cycles: bigint): JsonObject {
    return { cycles };
}

/** `RawSetStableMemory` request; `blob_id` is the base64 of the blob's SHA-256 returned by /blobstore. */
export function decodeSetStableMemory(body: JsonValue): { canisterId: Principal; blobId: Uint8Array } {
    const object = asObject(body, 'body');
    return {
        canisterId: asPrincipal(required(object, 'canister_id', 'body'), 'body.canister_id'),
        blobId: asBase64Bytes(required(object, 'blob_id', 'body'), 'body.blob_id')
    };
}

/** `RawStableMemory` response. */
export function encodeStableMemory(bytes: Uint8Array): JsonObject {
    return { blob: toBase64(bytes) };
}

/** `Vec<RawPrincipalId>` response of read/get_controllers. */
export function encodeControllers(controllers: readonly Principal[]): JsonValue {
    return controllers.map((controller) => ({ principal_id: toBase64(controller.toUint8Array()) }));
}

/** `Vec<u8>` response of read/pub_key: serde's default encoding, a JSON array of byte values. */
export function encodeBytesAsArray(bytes: Uint8Array): JsonValue {
    return Array.from(bytes);
}

/** `AutoProgressConfig` request: `{"artificial_delay_ms": u64 | null}`. */
export function decodeAutoProgressConfig(body: JsonValue): { artificialDelayMs?: number } {
    const object = asObject(body, 'body');
    const delay = optional(object, 'artificial_delay_ms');
    return delay === undefined ? {} : { artificialDelayMs: asSafeUnsigned(delay, 'body.artificial_delay_ms') };
}
