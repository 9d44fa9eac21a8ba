/**
 * Canister calls on the wire: `RawCanisterCall`, `RawEffectivePrincipal`, `RawMessageId`,
 * `RawIngressStatusArgs` (requests) and `RawCanisterResult` / `RawSubmitIngressResult` (responses),
 * as defined in packages/pocket-ic/src/common/rest.rs and sent by PicJS's pocket-ic-client-types.
 */
import type { Principal } from '@icp-sdk/core/principal';
import type { CallOutcome, CanisterCall, EffectivePrincipal } from '../../core/localIc';
import { RejectCode } from '../../core/localIc';
import { RestError } from '../errors';
import type { JsonObject, JsonValue } from '../json';
import { asBase64Bytes, asObject, asPrincipal, asString, asVariant, optional, required, unknownVariant } from './reader';
import { errorCodeName, rejectCodeName } from './rejectCodes';

export function toBase64(bytes: Uint8Array): string {
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

export function decodeEffectivePrincipal(value: JsonValue | undefined, path: string): EffectivePrincipal {
    const { tag, payload } = asVariant(value, path);
    switch (tag) {
        case 'None':
            return { kind: 'none' };
        case 'SubnetId':
            return { kind: 'subnet', id: asPrincipal(payload, `${path}.SubnetId`) };
        case 'CanisterId':
            return { kind: 'canister', id: asPrincipal(payload, `${path}.CanisterId`) };
        default:
            throw unknownVariant(path, tag, ['None', 'SubnetId', 'CanisterId']);
    }
}

export function encodeEffectivePrincipal(principal: EffectivePrincipal): JsonValue {
    switch (principal.kind) {
        case 'none':
            return 'None';
        case 'subnet':
            return { SubnetId: toBase64(principal.id.toUint8Array()) };
        case 'canister':
            return { CanisterId: toBase64(principal.id.toUint8Array()) };
    }
}

/** Decodes `RawCanisterCall` (the body of read/query, update/submit_ingress_message, ...). */
export function decodeCanisterCall(body: JsonValue): CanisterCall {
    const object = asObject(body, 'body');
    const senderInfo = optional(object, 'sender_info');
    if (senderInfo !== undefined) {
        // Dropping it silently would make canisters observe a different caller context than asked for.
        throw new RestError(400, 'sender_info is not supported by localnet');
    }
    const effective = optional(object, 'effective_principal');
    return {
        sender: asPrincipal(required(object, 'sender', 'body'), 'body.sender'),
        canisterId: asPrincipal(required(object, 'canister_id', 'body'), 'body.canister_id'),
        method: asString(required(object, 'method', 'body'), 'body.method'),
        arg: asBase64Bytes(required(object, 'payload', 'body'), 'body.payload'),
        effectivePrincipal:
            effective === undefined ? { kind: 'none' } : decodeEffectivePrincipal(effective, 'body.effective_principal')
    };
}

export interface MessageRef {
    readonly messageId: Uint8Array;
    readonly effectivePrincipal: EffectivePrincipal;
}

/** Decodes `RawMessageId`; PicJS passes the submit response's `message_id` string back verbatim. */
export function decodeMessageRef(value: JsonValue | undefined, path: string): MessageRef {
    const object = asObject(value, path);
    const effective = optional(object, 'effective_principal');
    return {
        messageId: asBase64Bytes(required(object, 'message_id', path), `${path}.message_id`),
        effectivePrincipal:
            effective === undefined ? { kind: 'none' } : decodeEffectivePrincipal(effective, `${path}.effective_principal`)
    };
}

export function encodeMessageRef(ref: MessageRef): JsonObject {
    return {
        effective_principal: encodeEffectivePrincipal(ref.effectivePrincipal),
        message_id: toBase64(ref.messageId)
    };
}

/** Decodes `RawIngressStatusArgs`. */
export function decodeIngressStatusArgs(body: JsonValue): { message: MessageRef; caller?: Principal } {
    const object = asObject(body, 'body');
    const message = decodeMessageRef(required(object, 'raw_message_id', 'body'), 'body.raw_message_id');
    const rawCaller = optional(object, 'raw_caller');
    if (rawCaller === undefined) return { message };
    // Rust sends `RawPrincipalId` ({ principal_id }); PicJS 0.23 sends the bare base64 string.
    const callerValue =
        typeof rawCaller === 'string' ? rawCaller : required(asObject(rawCaller, 'body.raw_caller'), 'principal_id', 'body.raw_caller');
    return { message, caller: asPrincipal(callerValue, 'body.raw_caller') };
}

/** `RawCanisterResult`: `{"Ok": base64}` or `{"Err": RejectResponse}`. */
export function encodeCallOutcome(outcome: CallOutcome): JsonObject {
    if (outcome.kind === 'reply') return { Ok: toBase64(outcome.bytes) };
    return {
        Err: {
            reject_code: rejectCodeName(outcome.rejectCode),
            reject_message: outcome.message,
            error_code: errorCodeName(outcome.errorCode),
            certified: outcome.certified
        }
    };
}

/** `RawSubmitIngressResult::Ok(RawMessageId)`. */
export function encodeSubmitted(ref: MessageRef): JsonObject {
    return { Ok: encodeMessageRef(ref) };
}

/**
 * The reject PocketIC returns (inside a 200 `{"Err": ...}`) for a call to a canister that does not
 * exist, used when the core signals that case by throwing instead of returning a reject outcome.
 */
export function canisterNotFoundOutcome(canisterId: Principal, certified: boolean): Extract<CallOutcome, { kind: 'reject' }> {
    return {
        kind: 'reject',
        rejectCode: RejectCode.DestinationInvalid,
        message: `Canister ${canisterId.toText()} not found`,
        errorCode: 'IC0301',
        certified
    };
}
