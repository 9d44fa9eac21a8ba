/**
 * The CBOR request envelope `{content, sender_pubkey?, sender_sig?, sender_delegation?}` and the
 * three content kinds, parsed the way the replica deserializes them (serde): a body that is not
 * CBOR or lacks a field is "Failed to deserialize cbor request: …"; a well-formed body that breaks
 * the rules of a request (principal too long, signature without key) is refused by the endpoint
 * with its own prefix (see `StructureError`).
 */
import { decode } from '@dfinity/cbor';
import { Principal } from '@icp-sdk/core/principal';
import { badRequest } from './httpError';
import { describe, hashOfMap, isPlainMap, UnhashableValueError } from './requestId';

export type RequestKind = 'call' | 'query' | 'read_state';

export interface SignedDelegation {
    readonly delegation: Readonly<Record<string, unknown>>;
    readonly pubkey: Uint8Array;
    readonly expiration: bigint;
    /** Canister ids the delegation is restricted to; undefined means all canisters. */
    readonly targets: readonly Uint8Array[] | undefined;
    readonly signature: Uint8Array;
}

export type Authentication =
    | { readonly kind: 'anonymous' }
    | {
          readonly kind: 'signed';
          readonly senderPubkey: Uint8Array;
          readonly senderSig: Uint8Array;
          readonly delegations: readonly SignedDelegation[];
      };

interface CommonContent {
    readonly sender: Principal;
    readonly ingressExpiry: bigint;
    readonly nonce: Uint8Array | undefined;
    /** Representation-independent hash of the content map. */
    readonly requestId: Uint8Array;
}

export interface CanisterCallContent extends CommonContent {
    readonly kind: 'call' | 'query';
    readonly canisterId: Principal;
    readonly methodName: string;
    readonly arg: Uint8Array;
}

export interface ReadStateContent extends CommonContent {
    readonly kind: 'read_state';
    readonly paths: readonly (readonly Uint8Array[])[];
}

export type RequestContent = CanisterCallContent | ReadStateContent;

export interface Envelope<C extends RequestContent = RequestContent> {
    readonly content: C;
    readonly authentication: Authentication;
}

/** A structurally invalid request (serde accepted it, the typed conversion did not). */
export class StructureError extends Error {
    override name = 'StructureError';
}

const DESERIALIZE_PREFIX = 'Failed to deserialize cbor request: ';

export function parseEnvelope(body: Uint8Array, kind: 'call' | 'query'): Envelope<CanisterCallContent>;
export function parseEnvelope(body: Uint8Array, kind: 'read_state'): Envelope<ReadStateContent>;
export function parseEnvelope(body: Uint8Array, kind: RequestKind): Envelope {
    // First everything serde checks (CBOR, field presence and types), then the typed conversion.
    const envelope = new FieldReader(decodeBody(body), 'struct HttpRequestEnvelope');
    const content = envelope.record('content');
    const requestType = content.text('request_type');
    if (requestType !== kind) {
        throw badRequest(`${DESERIALIZE_PREFIX}unknown variant \`${requestType}\`, expected \`${kind}\``);
    }
    const fields = {
        sender: content.blob('sender'),
        ingressExpiry: content.nat64('ingress_expiry'),
        nonce: content.optionalBlob('nonce')
    };
    const call =
        kind === 'read_state'
            ? undefined
            : { canisterId: content.blob('canister_id'), methodName: content.text('method_name'), arg: content.blob('arg') };
    const paths = kind === 'read_state' ? content.array('paths').map((path) => byteStrings(path, 'a sequence of labels')) : [];
    const senderPubkey = envelope.optionalBlob('sender_pubkey');
    const senderSig = envelope.optionalBlob('sender_sig');
    const delegations = envelope.optionalArray('sender_delegation')?.map(parseSignedDelegation);
    const requestId = requestIdOfContent(content.map, kind);

    const common = { sender: toPrincipal(fields.sender, 'sender'), ingressExpiry: fields.ingressExpiry, nonce: fields.nonce, requestId };
    const parsed: RequestContent = call
        ? { kind: kind as 'call' | 'query', ...common, canisterId: toPrincipal(call.canisterId, 'canister_id'), methodName: call.methodName, arg: call.arg }
        : { kind: 'read_state', ...common, paths };
    return { content: parsed, authentication: authenticationOf(senderPubkey, senderSig, delegations) };
}

function decodeBody(body: Uint8Array): unknown {
    try {
        if (body.length === 0) throw new Error('EOF while parsing a value');
        return decode(body);
    } catch (error) {
        throw badRequest(`${DESERIALIZE_PREFIX}${(error as Error).message}`);
    }
}

/** The hash of the content map as received, including fields localnet does not read. */
function requestIdOfContent(content: Readonly<Record<string, unknown>>, kind: RequestKind): Uint8Array {
    const hashed = { ...content };
    // The replica ignores `sender_info` for read_state (agents leave it out there).
    if (kind === 'read_state') delete hashed.sender_info;
    try {
        return hashOfMap(hashed);
    } catch (error) {
        // Unhashable values, or nesting too deep to hash (RangeError): either way a bad request.
        const reason = error instanceof UnhashableValueError ? error.message : 'the content cannot be hashed';
        throw badRequest(`${DESERIALIZE_PREFIX}${reason}`);
    }
}

function authenticationOf(
    senderPubkey: Uint8Array | undefined,
    senderSig: Uint8Array | undefined,
    delegations: SignedDelegation[] | undefined
): Authentication {
    if (senderPubkey && senderSig) return { kind: 'signed', senderPubkey, senderSig, delegations: delegations ?? [] };
    if (!senderPubkey && !senderSig && !delegations) return { kind: 'anonymous' };
    throw new StructureError('Missing field: sender_pubkey and sender_sig must be given together, and sender_delegation only with them');
}

function parseSignedDelegation(value: unknown): SignedDelegation {
    const signed = new FieldReader(value, 'struct SignedDelegation');
    const delegation = signed.record('delegation');
    const targets = delegation.optionalArray('targets')?.map((target) => byteString(target));
    return {
        delegation: delegation.map,
        pubkey: delegation.blob('pubkey'),
        expiration: delegation.nat64('expiration'),
        targets,
        signature: signed.blob('signature')
    };
}

function byteString(value: unknown): Uint8Array {
    if (!(value instanceof Uint8Array)) throw badRequest(`${DESERIALIZE_PREFIX}invalid type: ${describe(value)}, expected a byte string`);
    return value;
}

function byteStrings(value: unknown, expected: string): Uint8Array[] {
    if (!Array.isArray(value)) throw badRequest(`${DESERIALIZE_PREFIX}invalid type: ${describe(value)}, expected ${expected}`);
    return value.map(byteString);
}

function toPrincipal(bytes: Uint8Array, field: string): Principal {
    if (bytes.length > 29) throw new StructureError(`Invalid ${field}: a principal has at most 29 bytes, got ${bytes.length}`);
    return Principal.fromUint8Array(bytes);
}

/** serde-like access to a CBOR map, with serde's wording for missing fields and wrong types. */
class FieldReader {
    readonly map: Readonly<Record<string, unknown>>;

    constructor(value: unknown, expected: string) {
        if (!isPlainMap(value)) throw badRequest(`${DESERIALIZE_PREFIX}invalid type: ${describe(value)}, expected ${expected}`);
        this.map = value;
    }

    record(name: string): FieldReader {
        return new FieldReader(this.#required(name), `a map for field \`${name}\``);
    }

    text(name: string): string {
        const value = this.#required(name);
        if (typeof value !== 'string') throw this.#wrongType(name, value, 'a string');
        return value;
    }

    blob(name: string): Uint8Array {
        const value = this.#required(name);
        if (!(value instanceof Uint8Array)) throw this.#wrongType(name, value, 'a byte string');
        return value;
    }

    optionalBlob(name: string): Uint8Array | undefined {
        return this.map[name] === undefined || this.map[name] === null ? undefined : this.blob(name);
    }

    nat64(name: string): bigint {
        const value = this.#required(name);
        const natural = typeof value === 'bigint' ? value : typeof value === 'number' && Number.isSafeInteger(value) ? BigInt(value) : undefined;
        if (natural === undefined || natural < 0n || natural >= 1n << 64n) throw this.#wrongType(name, value, 'u64');
        return natural;
    }

    array(name: string): unknown[] {
        const value = this.#required(name);
        if (!Array.isArray(value)) throw this.#wrongType(name, value, 'a sequence');
        return value;
    }

    optionalArray(name: string): unknown[] | undefined {
        return this.map[name] === undefined || this.map[name] === null ? undefined : this.array(name);
    }

    #required(name: string): unknown {
        const value = this.map[name];
        if (value === undefined) throw badRequest(`${DESERIALIZE_PREFIX}missing field \`${name}\``);
        return value;
    }

    #wrongType(name: string, value: unknown, expected: string) {
        return badRequest(`${DESERIALIZE_PREFIX}invalid type: ${describe(value)}, expected ${expected} (field \`${name}\`)`);
    }
}
