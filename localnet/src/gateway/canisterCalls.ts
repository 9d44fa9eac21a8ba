/**
 * The gateway's calls, made straight on the execution core (no agent, no HTTP round trip) as the
 * anonymous principal, as the real gateway's calls are. Rejects become GatewayErrors.
 */
import { Principal } from '@icp-sdk/core/principal';
import type { CallOutcome, CanisterCall, SubmitResult } from '../core/localIc';
import { GatewayError, rejectToGatewayError } from './gatewayError';

/** What the gateway needs from an instance; `LocalNetwork` provides it. */
export interface GatewayNetwork {
    queryNow(call: CanisterCall): CallOutcome;
    submit(call: CanisterCall): Promise<SubmitResult>;
    awaitNow(messageId: Uint8Array): CallOutcome;
    /** DER public key that certificates chain to. */
    readonly rootKey: Uint8Array;
    /** Instance time, nanoseconds since the epoch. */
    time(): Promise<bigint>;
}

/** The IC's limit on a non-replicated query reply; the core enforces it too, this is the gateway's own guard. */
export const MAX_QUERY_REPLY_BYTES = 3 * 1024 * 1024;

const ANONYMOUS = Principal.anonymous();

function replyBytes(outcome: CallOutcome, method: string): Uint8Array {
    if (outcome.kind === 'reject') throw rejectToGatewayError(outcome, method);
    return outcome.bytes;
}

export function queryCanister(network: GatewayNetwork, canisterId: Principal, method: string, arg: Uint8Array): Uint8Array {
    const bytes = replyBytes(network.queryNow({ sender: ANONYMOUS, canisterId, method, arg }), method);
    if (bytes.length > MAX_QUERY_REPLY_BYTES) {
        throw new GatewayError(507, `Response size exceeds limit: ${method} replied ${bytes.length} bytes, more than ${MAX_QUERY_REPLY_BYTES}`);
    }
    return bytes;
}

export async function updateCanister(network: GatewayNetwork, canisterId: Principal, method: string, arg: Uint8Array): Promise<Uint8Array> {
    const call: CanisterCall = { sender: ANONYMOUS, canisterId, method, arg, effectivePrincipal: { kind: 'canister', id: canisterId } };
    const submitted = await network.submit(call);
    if (submitted.kind === 'rejected') throw rejectToGatewayError(submitted.outcome, method);
    let outcome: CallOutcome;
    try {
        outcome = network.awaitNow(submitted.messageId);
    } catch (error) {
        // e.g. a message waiting on a timer that never fires without time passing.
        throw new GatewayError(504, `${method} did not complete: ${error instanceof Error ? error.message : String(error)}`);
    }
    return replyBytes(outcome, method);
}
