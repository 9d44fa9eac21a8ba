/**
 * A trap raised by the host while a canister runs (ic0.trap, a system API misuse, the instruction
 * limit). Thrown through the wasm frames and caught by the executor, which rolls the message back.
 */
import { ErrorCode } from './icErrors';

export class CanisterTrap extends Error {
    override name = 'CanisterTrap';
    constructor(
        message: string,
        readonly errorCode: string = ErrorCode.CanisterTrapped
    ) {
        super(message);
    }
}

/** ic0.trap with the canister's own message. */
export function calledTrap(message: string): CanisterTrap {
    return new CanisterTrap(`Canister called \`ic0.trap\` with message: '${message}'`, ErrorCode.CanisterCalledTrap);
}

/** Calling a system API function where the spec does not allow it, or with bad arguments. */
export function contractViolation(message: string): CanisterTrap {
    return new CanisterTrap(`Canister violated contract: ${message}`, ErrorCode.CanisterContractViolation);
}

export function instructionLimitExceeded(limit: bigint): CanisterTrap {
    return new CanisterTrap(
        `Canister exceeded the limit of ${limit} instructions for single message execution.`,
        ErrorCode.InstructionLimitExceeded
    );
}
