/**
 * `/api/v2|v3/canister/<ecid>/read_state` and `/api/v2|v3/subnet/<subnet_id>/read_state`: validates
 * the envelope, authorizes each path (readStatePaths.ts) and answers `{certificate}`, a witness of
 * the serving subnet's certified state for exactly those paths.
 */
import type { Principal } from '@icp-sdk/core/principal';
import type { LocalNetwork } from '../core/localNetwork';
import { certificateFor } from './certificates';
import { principalFromUrl, subnetFromUrl, subnetOfEffectiveCanister } from './effectiveDestination';
import { envelopeOf, validationContext, type EndpointReply } from './endpoint';
import { ingressDriverFor } from './ingressDriver';
import { authorizeReadStatePaths, type ReadStateFacts } from './readStatePaths';
import { validateRequest } from './requestValidation';

export async function handleReadState(
    network: LocalNetwork,
    version: 2 | 3,
    target: 'canister' | 'subnet',
    principalText: string,
    body: Uint8Array
): Promise<EndpointReply> {
    const effectivePrincipal = principalFromUrl(principalText, 'effective_canister_id');
    const envelope = envelopeOf(body, 'read_state', 'Malformed request: ');
    const subnet = target === 'canister' ? subnetOfEffectiveCanister(network, effectivePrincipal) : subnetFromUrl(network, effectivePrincipal);
    const targets = validateRequest(envelope, await validationContext(network));
    const { paths, sender } = envelope.content;
    authorizeReadStatePaths(
        paths,
        { target, version, effectivePrincipal, rootSubnetId: network.rootSubnet.id, sender, targets },
        stateFacts(network)
    );
    const state = network.certifiedState(subnet);
    const certificate = certificateFor(state, paths, version === 3 ? { keepRangesOnlyOf: network.rootSubnet.id } : {});
    return { status: 200, cbor: { certificate } };
}

function stateFacts(network: LocalNetwork): ReadStateFacts {
    return {
        ingressSender: (requestId) => network.ingressRecord(requestId)?.sender,
        ingressReceiver: (requestId) => ingressDriverFor(network).receiverOf(requestId),
        metadataVisibility: (canisterId: Principal, name: string) => {
            const section = network.canister(canisterId)?.module?.description.metadata.get(name);
            return section === undefined ? undefined : section.isPublic ? 'public' : 'private';
        },
        isController: (canisterId, principal) => network.canister(canisterId)?.isController(principal) ?? false
    };
}
