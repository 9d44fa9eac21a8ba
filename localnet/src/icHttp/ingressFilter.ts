/**
 * The replica's ingress filter: before an update is accepted, the target must exist, hold code and
 * run, and its canister_inspect_message (if exported) must accept the message. A refusal is not
 * certified: the endpoint returns it in the response body.
 */
import { canisterEmpty, canisterNotFound, canisterStopped, type Reject } from '../core/icErrors';
import type { CanisterCall } from '../core/localIc';
import type { LocalNetwork } from '../core/localNetwork';
import { isManagementCanister } from './effectiveDestination';

export function ingressRefusal(network: LocalNetwork, call: CanisterCall): Reject | undefined {
    if (isManagementCanister(call.canisterId)) return undefined;
    const canister = network.canister(call.canisterId);
    if (!canister) return canisterNotFound(call.canisterId);
    if (!canister.module) return canisterEmpty(call.canisterId);
    if (canister.status !== 'running') return canisterStopped(call.canisterId, canister.status === 'stopping');
    return network.inspectIngress(call);
}

/** The CBOR fields of a non-replicated rejection (`CborUserError` in the replica). */
export function rejectionFields(reject: Reject): Record<string, unknown> {
    return { error_code: reject.errorCode || 'IC0406', reject_message: reject.message, reject_code: reject.rejectCode };
}
