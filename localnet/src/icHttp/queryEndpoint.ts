/**
 * `/api/v2|v3/canister/<ecid>/query`: validates the envelope, runs the query on the core against the
 * latest state (changes discarded), and answers with the result signed by a node of the serving
 * subnet, timestamped with the instance's certified time.
 */
import type { LocalNetwork } from '../core/localNetwork';
import { isManagementCanister, principalFromUrl, subnetOfEffectiveCanister } from './effectiveDestination';
import { envelopeOf, validationContext, type EndpointReply } from './endpoint';
import { badRequest } from './httpError';
import { signedQueryResponse } from './queryResponse';
import { validateRequest } from './requestValidation';

export async function handleQuery(network: LocalNetwork, canisterText: string, body: Uint8Array): Promise<EndpointReply> {
    const effectiveCanisterId = principalFromUrl(canisterText, 'effective_canister_id');
    const envelope = envelopeOf(body, 'query', 'Malformed request: ');
    const { content } = envelope;
    if (!isManagementCanister(content.canisterId) && content.canisterId.toText() !== effectiveCanisterId.toText()) {
        throw badRequest(
            `Specified CanisterId ${content.canisterId.toText()} does not match effective canister id in URL ${effectiveCanisterId.toText()}`
        );
    }
    const subnet = subnetOfEffectiveCanister(network, effectiveCanisterId);
    validateRequest(envelope, await validationContext(network));
    const outcome = network.queryNow({ sender: content.sender, canisterId: content.canisterId, method: content.methodName, arg: content.arg });
    const node = subnet.nodes[0];
    if (!node) throw new Error(`subnet ${subnet.id.toText()} has no node to sign the query response`);
    return { status: 200, cbor: signedQueryResponse(outcome, content.requestId, node, network.certifiedTime) };
}
