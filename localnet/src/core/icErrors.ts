/**
 * Rejects as the replica reports them: a reject code (interface spec) plus the replica's error
 * code ("IC0503") and message wording, so that clients matching on either behave as on the IC.
 */
import type { Principal } from '@icp-sdk/core/principal';
import { RejectCode, type CallOutcome } from './localIc';

/** The replica's ErrorCode numbers (ic-error-types), as "IC0nnn" strings. */
export const ErrorCode = {
    CanisterNotFound: 'IC0301',
    CanisterRejectedMessage: 'IC0406',
    InvalidManagementPayload: 'IC0408',
    CanisterTrapped: 'IC0502',
    CanisterCalledTrap: 'IC0503',
    CanisterContractViolation: 'IC0504',
    CanisterInvalidWasm: 'IC0505',
    CanisterDidNotReply: 'IC0506',
    CanisterOutOfMemory: 'IC0507',
    CanisterStopped: 'IC0508',
    CanisterStopping: 'IC0509',
    CanisterNotStopped: 'IC0510',
    CanisterInvalidController: 'IC0512',
    CanisterNonEmpty: 'IC0514',
    CanisterRejected: 'IC0406',
    CanisterReject: 'IC0406',
    InstructionLimitExceeded: 'IC0522',
    CompositeQueryCalledInReplicatedMode: 'IC0527',
    CanisterMethodNotFound: 'IC0536',
    CanisterWasmModuleNotFound: 'IC0537',
    CanisterAlreadyInstalled: 'IC0538',
    CanisterIdAlreadyExists: 'IC0205',
    UnknownManagementMessage: 'IC0407',
    SubnetNotFound: 'IC0404',
    CanisterOutOfCycles: 'IC0207',
    InsufficientCyclesInCall: 'IC0520',
    /** A canister's own msg_reject carries no replica error code. */
    None: ''
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export type Reject = Extract<CallOutcome, { kind: 'reject' }>;

export function reject(rejectCode: RejectCode, errorCode: string, message: string, certified = true): Reject {
    return { kind: 'reject', rejectCode, errorCode, message, certified };
}

export function canisterNotFound(id: Principal): Reject {
    return reject(RejectCode.DestinationInvalid, ErrorCode.CanisterNotFound, `Canister ${id.toText()} not found`);
}

export function methodNotFound(id: Principal, kind: 'update' | 'query', method: string): Reject {
    return reject(
        RejectCode.DestinationInvalid,
        ErrorCode.CanisterMethodNotFound,
        `Error from Canister ${id.toText()}: Canister has no ${kind} method '${method}'.`
    );
}

export function canisterStopped(id: Principal, stopping: boolean): Reject {
    return stopping
        ? reject(RejectCode.CanisterError, ErrorCode.CanisterStopping, `Canister ${id.toText()} is stopping`)
        : reject(RejectCode.CanisterError, ErrorCode.CanisterStopped, `Canister ${id.toText()} is stopped`);
}

export function canisterEmpty(id: Principal): Reject {
    return reject(
        RejectCode.DestinationInvalid,
        ErrorCode.CanisterWasmModuleNotFound,
        `Error from Canister ${id.toText()}: Attempted to execute a message, but the canister contains no Wasm module.`
    );
}

export function didNotReply(id: Principal): Reject {
    return reject(
        RejectCode.CanisterError,
        ErrorCode.CanisterDidNotReply,
        `Error from Canister ${id.toText()}: Canister did not produce a response.`
    );
}
