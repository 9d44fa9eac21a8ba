/**
 * PocketIC serializes `RejectResponse.reject_code` and `.error_code` with serde's default enum
 * encoding, i.e. as variant names ("CanisterError", "CanisterCalledTrap"), not numbers. The core
 * reports numeric reject codes and "IC0503"-style error codes; these tables translate them.
 * Source: `RejectCode` and `ErrorCode` in packages/pocket-ic/src/lib.rs (dfinity/ic).
 */
import type { RejectCode } from '../../core/localIc';

const rejectCodeNames: Record<number, string> = {
    1: 'SysFatal',
    2: 'SysTransient',
    3: 'DestinationInvalid',
    4: 'CanisterReject',
    5: 'CanisterError',
    6: 'SysUnknown'
};

const errorCodeNames: Record<number, string> = {
    101: 'SubnetOversubscribed',
    102: 'MaxNumberOfCanistersReached',
    201: 'CanisterQueueFull',
    202: 'IngressMessageTimeout',
    203: 'CanisterQueueNotEmpty',
    204: 'IngressHistoryFull',
    205: 'CanisterIdAlreadyExists',
    206: 'StopCanisterRequestTimeout',
    207: 'CanisterOutOfCycles',
    208: 'CertifiedStateUnavailable',
    209: 'CanisterInstallCodeRateLimited',
    210: 'CanisterHeapDeltaRateLimited',
    301: 'CanisterNotFound',
    305: 'CanisterSnapshotNotFound',
    402: 'InsufficientMemoryAllocation',
    403: 'InsufficientCyclesForCreateCanister',
    404: 'SubnetNotFound',
    405: 'CanisterNotHostedBySubnet',
    406: 'CanisterRejectedMessage',
    407: 'UnknownManagementMessage',
    408: 'InvalidManagementPayload',
    409: 'CanisterSnapshotImmutable',
    502: 'CanisterTrapped',
    503: 'CanisterCalledTrap',
    504: 'CanisterContractViolation',
    505: 'CanisterInvalidWasm',
    506: 'CanisterDidNotReply',
    507: 'CanisterOutOfMemory',
    508: 'CanisterStopped',
    509: 'CanisterStopping',
    510: 'CanisterNotStopped',
    511: 'CanisterStoppingCancelled',
    512: 'CanisterInvalidController',
    513: 'CanisterFunctionNotFound',
    514: 'CanisterNonEmpty',
    517: 'QueryCallGraphLoopDetected',
    520: 'InsufficientCyclesInCall',
    521: 'CanisterWasmEngineError',
    522: 'CanisterInstructionLimitExceeded',
    524: 'CanisterMemoryAccessLimitExceeded',
    525: 'QueryCallGraphTooDeep',
    526: 'QueryCallGraphTotalInstructionLimitExceeded',
    527: 'CompositeQueryCalledInReplicatedMode',
    528: 'QueryTimeLimitExceeded',
    529: 'QueryCallGraphInternal',
    530: 'InsufficientCyclesInComputeAllocation',
    531: 'InsufficientCyclesInMemoryAllocation',
    532: 'InsufficientCyclesInMemoryGrow',
    533: 'ReservedCyclesLimitExceededInMemoryAllocation',
    534: 'ReservedCyclesLimitExceededInMemoryGrow',
    535: 'InsufficientCyclesInMessageMemoryGrow',
    536: 'CanisterMethodNotFound',
    537: 'CanisterWasmModuleNotFound',
    538: 'CanisterAlreadyInstalled',
    539: 'CanisterWasmMemoryLimitExceeded',
    540: 'ReservedCyclesLimitIsTooLow',
    601: 'DeadlineExpired',
    602: 'ResponseDropped'
};

export function rejectCodeName(code: RejectCode): string {
    return rejectCodeNames[code] ?? `RejectCode${code}`;
}

/** "IC0503" → "CanisterCalledTrap"; codes unknown to this table are passed through unchanged. */
export function errorCodeName(errorCode: string): string {
    const match = /^IC0*(\d+)$/.exec(errorCode);
    const name = match ? errorCodeNames[Number(match[1])] : undefined;
    return name ?? errorCode;
}

/** The inverse of errorCodeName, for tests and diagnostics. */
export function errorCodeFromName(name: string): string | undefined {
    for (const [code, candidate] of Object.entries(errorCodeNames)) {
        if (candidate === name) return `IC${code.padStart(4, '0')}`;
    }
    return undefined;
}
