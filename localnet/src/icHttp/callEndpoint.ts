/**
 * `/api/v2/canister/<ecid>/call` (asynchronous: 202, the agent polls read_state) and
 * `/api/v3|v4/canister/<ecid>/call` (synchronous: the message is executed and the answer is a
 * certificate of its request status; 202 if it does not complete within the timeout, as the
 * replica falls back when certification takes too long).
 */
import type { CanisterCall, EffectivePrincipal, SubnetKind } from '../core/localIc';
import type { LocalNetwork } from '../core/localNetwork';
import type { Subnet } from '../core/subnetTopology';
import { certificateFor } from './certificates';
import { isManagementCanister, principalFromUrl, subnetOfEffectiveCanister } from './effectiveDestination';
import { envelopeOf, validationContext, type EndpointReply } from './endpoint';
import { badRequest, IcHttpError } from './httpError';
import { ingressDriverFor } from './ingressDriver';
import { ingressRefusal, rejectionFields } from './ingressFilter';
import { requestIdHex } from './requestId';
import { validateRequest } from './requestValidation';

/** max_ingress_bytes_per_message of the replica's subnet records: 2 MiB, 3.5 MiB on system subnets. */
const MAX_INGRESS_BYTES_APPLICATION = 2 * 1024 * 1024;
const MAX_INGRESS_BYTES_SYSTEM = 3.5 * 1024 * 1024;
const SYSTEM_SUBNET_KINDS: ReadonlySet<SubnetKind> = new Set(['NNS', 'II', 'Bitcoin', 'System']);

export interface CallOptions {
    /** How long a synchronous call waits for completion before answering 202. */
    readonly syncCallTimeoutMs: number;
}

export async function handleCall(network: LocalNetwork, version: 2 | 3 | 4, canisterText: string, body: Uint8Array, options: CallOptions): Promise<EndpointReply> {
    const effectiveCanisterId = principalFromUrl(canisterText, 'effective_canister_id');
    const envelope = envelopeOf(body, 'call', 'Could not parse body as call message: ');
    const { content } = envelope;
    if (!isManagementCanister(content.canisterId) && content.canisterId.toText() !== effectiveCanisterId.toText()) {
        throw badRequest(
            `Specified CanisterId ${content.canisterId.toText()} does not match effective canister id in URL ${effectiveCanisterId.toText()}`
        );
    }
    const subnet = subnetOfEffectiveCanister(network, effectiveCanisterId);
    const maxBytes = SYSTEM_SUBNET_KINDS.has(subnet.kind) ? MAX_INGRESS_BYTES_SYSTEM : MAX_INGRESS_BYTES_APPLICATION;
    if (body.length > maxBytes) {
        throw new IcHttpError(
            413,
            `Request ${requestIdHex(content.requestId)} is too large. Message byte size ${body.length} is larger than the max allowed ${maxBytes}.`
        );
    }
    validateRequest(envelope, await validationContext(network));

    const effectivePrincipal: EffectivePrincipal = isManagementCanister(effectiveCanisterId)
        ? { kind: 'none' }
        : { kind: 'canister', id: effectiveCanisterId };
    const call: CanisterCall = {
        sender: content.sender,
        canisterId: content.canisterId,
        method: content.methodName,
        arg: content.arg,
        ...(isManagementCanister(content.canisterId) ? { effectivePrincipal } : {})
    };
    const refusal = ingressRefusal(network, call);
    if (refusal) {
        const fields = rejectionFields(refusal);
        return { status: 200, cbor: version === 2 ? fields : { status: 'non_replicated_rejection', ...fields } };
    }

    const completion = ingressDriverFor(network).submit(call, content.requestId);
    if (version === 2) return { status: 202, text: '' };
    const completed = await withTimeout(completion, options.syncCallTimeoutMs);
    if (!completed) {
        return { status: 202, text: 'Message did not complete execution and certification within the replica defined timeout.' };
    }
    if (!network.ingressRecord(content.requestId)?.outcome) {
        return { status: 202, text: 'Certified state does not contain request status. Please try /read_state.' };
    }
    return { status: 200, cbor: { status: 'replied', certificate: requestStatusCertificate(network, subnet, content.requestId) } };
}

/** `/time` and `/request_status/<id>` of the subnet's current certified state, which holds the outcome. */
function requestStatusCertificate(network: LocalNetwork, subnet: Subnet, requestId: Uint8Array): Uint8Array {
    return certificateFor(network.certifiedState(subnet), [['request_status', requestId]]);
}

async function withTimeout(completion: Promise<boolean>, timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
        return await Promise.race([completion, timeout]);
    } finally {
        clearTimeout(timer);
    }
}
