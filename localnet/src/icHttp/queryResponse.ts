/**
 * Query responses as the replica sends them: `{status, reply: {arg}}` or `{status, reject_code,
 * reject_message, error_code}`, plus `signatures: [{timestamp, signature, identity}]` where a node
 * signs `"\x0Bic-response" · hash_of_map(response fields + timestamp + request_id)` with its
 * Ed25519 key. Agents check these against the node keys they read from `/subnet/<id>/node`.
 */
import { ed25519 } from '@noble/curves/ed25519';
import { concatBytes } from '@noble/hashes/utils';
import type { CallOutcome } from '../core/localIc';
import type { SubnetNode } from '../core/subnetTopology';
import { hashOfMap } from './requestId';
import { RESPONSE_SEPARATOR } from './signatures';

/** ErrorCode::CanisterRejectedMessage: what the replica reports for a canister's own reject. */
const CANISTER_REJECTED_MESSAGE = 'IC0406';

export function signedQueryResponse(outcome: CallOutcome, requestId: Uint8Array, node: SubnetNode, timestamp: bigint): Record<string, unknown> {
    const response: Record<string, unknown> =
        outcome.kind === 'reply'
            ? { status: 'replied', reply: { arg: outcome.bytes } }
            : {
                  status: 'rejected',
                  reject_code: outcome.rejectCode,
                  reject_message: outcome.message,
                  error_code: outcome.errorCode || CANISTER_REJECTED_MESSAGE
              };
    const hash = hashOfMap({ ...response, timestamp, request_id: requestId });
    const signature = ed25519.sign(concatBytes(RESPONSE_SEPARATOR, hash), node.secretKey);
    return { ...response, signatures: [{ timestamp, signature, identity: node.id.toUint8Array() }] };
}
