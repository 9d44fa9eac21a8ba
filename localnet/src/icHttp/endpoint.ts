/** What an endpoint answers when it does not refuse the request (refusals are thrown IcHttpErrors). */
import type { LocalNetwork } from '../core/localNetwork';
import { parseEnvelope, StructureError, type CanisterCallContent, type Envelope, type ReadStateContent } from './envelope';
import { badRequest } from './httpError';
import type { ValidationContext } from './requestValidation';

export type EndpointReply = { readonly status: 200; readonly cbor: unknown } | { readonly status: 202; readonly text: string };

/** Parses the envelope; a structurally invalid one is a 400 with the endpoint's prefix. */
export function envelopeOf(body: Uint8Array, kind: 'call' | 'query', structurePrefix: string): Envelope<CanisterCallContent>;
export function envelopeOf(body: Uint8Array, kind: 'read_state', structurePrefix: string): Envelope<ReadStateContent>;
export function envelopeOf(body: Uint8Array, kind: 'call' | 'query' | 'read_state', structurePrefix: string): Envelope {
    try {
        return kind === 'read_state' ? parseEnvelope(body, kind) : parseEnvelope(body, kind);
    } catch (error) {
        if (error instanceof StructureError) throw badRequest(`${structurePrefix}${error.message}`);
        throw error;
    }
}

export async function validationContext(network: LocalNetwork): Promise<ValidationContext> {
    return { now: await network.time(), rootKey: network.rootKey };
}
