/**
 * Which read_state paths a sender may request (the replica's `verify_paths` in
 * rs/http_endpoints/public/src/read_state.rs), per endpoint: canister or subnet target, API v2 or
 * v3. Anything else is a 404 "Invalid path requested."; ownership violations are 403s.
 */
import { Principal } from '@icp-sdk/core/principal';
import { bytesToHex } from '@noble/hashes/utils';
import { badRequest, IcHttpError } from './httpError';
import { canisterIdSetContains, type CanisterIdSet } from './requestValidation';

export interface ReadStateScope {
    readonly target: 'canister' | 'subnet';
    readonly version: 2 | 3;
    /** The canister or subnet id in the URL. */
    readonly effectivePrincipal: Principal;
    /** The root ("NNS") subnet, whose ranges stay readable on v3. */
    readonly rootSubnetId: Principal;
    readonly sender: Principal;
    readonly targets: CanisterIdSet;
}

/** What path authorization needs to know about the state. */
export interface ReadStateFacts {
    ingressSender(requestId: Uint8Array): Principal | undefined;
    ingressReceiver(requestId: Uint8Array): Principal | undefined;
    /** Visibility of a custom section `icp:public|private <name>`, undefined when there is none. */
    metadataVisibility(canisterId: Principal, name: string): 'public' | 'private' | undefined;
    isController(canisterId: Principal, principal: Principal): boolean;
}

const EXPECTED_MESSAGE_ID_LENGTH = 32;
const REQUEST_STATUS_FIELDS = new Set(['status', 'reply', 'reject_code', 'reject_message', 'error_code']);
const utf8 = new TextDecoder('utf-8', { fatal: true });

export function authorizeReadStatePaths(paths: readonly (readonly Uint8Array[])[], scope: ReadStateScope, facts: ReadStateFacts): void {
    let requestStatusId: string | undefined;
    for (const path of paths) {
        const labels = path.map(asText);
        const [first, , third, , fifth] = labels;
        const length = path.length;
        const invalid = () => new IcHttpError(404, 'Invalid path requested.');

        if (first === 'time' && length === 1) continue;
        if (first === 'canister' && scope.target === 'canister' && length === 3 && (third === 'controllers' || third === 'module_hash')) {
            sameAsEffective(parsePrincipal(path[1]!), scope.effectivePrincipal);
            continue;
        }
        if (first === 'canister' && scope.target === 'canister' && length === 4 && third === 'metadata') {
            let name: string;
            try {
                name = utf8.decode(path[3]!);
            } catch (error) {
                throw badRequest(`Could not parse the custom section name: ${(error as Error).message}.`);
            }
            const canisterId = parsePrincipal(path[1]!);
            sameAsEffective(canisterId, scope.effectivePrincipal);
            if (facts.metadataVisibility(canisterId, name) === 'private' && !facts.isController(canisterId, scope.sender)) {
                throw new IcHttpError(403, `Custom section ${name.slice(0, 100)} can only be requested by the controllers of the canister.`);
            }
            continue;
        }
        if (first === 'api_boundary_nodes' && (length <= 2 || (length === 3 && ['domain', 'ipv4_address', 'ipv6_address'].includes(third!)))) continue;
        if (first === 'subnet') {
            if (length <= 2) continue;
            if (length === 3 && (third === 'public_key' || third === 'type' || third === 'node')) continue;
            if (length === 3 && third === 'metrics' && scope.target === 'subnet') {
                sameAsEffective(parsePrincipal(path[1]!), scope.effectivePrincipal);
                continue;
            }
            if (length === 4 && third === 'node') continue;
            if (length === 5 && third === 'node' && fifth === 'public_key') continue;
            if (length === 3 && third === 'canister_ranges') {
                // v3 only shows the root subnet's ranges here; other subnets' are in /canister_ranges.
                if (scope.version === 2 || parsePrincipal(path[1]!).toText() === scope.rootSubnetId.toText()) continue;
            }
            throw invalid();
        }
        if (first === 'canister_ranges' && length === 2 && scope.target === 'subnet') continue;
        if (first === 'request_status' && (length === 2 || (length === 3 && REQUEST_STATUS_FIELDS.has(third!))) && (scope.target === 'canister' || scope.version === 3)) {
            const requestId = path[1]!;
            if (requestId.length !== EXPECTED_MESSAGE_ID_LENGTH) {
                throw badRequest(`Invalid request id in paths. Maybe the request ID is not of ${EXPECTED_MESSAGE_ID_LENGTH} bytes in length?!`);
            }
            const hex = bytesToHex(requestId);
            if (requestStatusId !== undefined && requestStatusId !== hex) {
                throw badRequest(`More than one non-unique request ID exists in request_status paths: ${requestStatusId} and ${hex}.`);
            }
            requestStatusId = hex;
            const sender = facts.ingressSender(requestId);
            if (sender && sender.toText() !== scope.sender.toText()) {
                throw new IcHttpError(403, 'The user tries to access Request ID not signed by the caller.');
            }
            const receiver = facts.ingressReceiver(requestId);
            if (receiver && !canisterIdSetContains(scope.targets, receiver)) {
                throw new IcHttpError(403, 'The user tries to access request IDs for canisters not belonging to sender delegation targets.');
            }
            continue;
        }
        throw invalid();
    }
}

/** A label as text when it is valid UTF-8 (for matching the fixed labels), else undefined. */
function asText(label: Uint8Array): string | undefined {
    try {
        return utf8.decode(label);
    } catch {
        return undefined;
    }
}

function parsePrincipal(bytes: Uint8Array): Principal {
    if (bytes.length > 29) throw badRequest(`Could not parse principal ID: a principal has at most 29 bytes, got ${bytes.length}.`);
    return Principal.fromUint8Array(bytes);
}

function sameAsEffective(principal: Principal, effective: Principal): void {
    if (principal.toText() !== effective.toText()) {
        throw badRequest(`Effective principal id in URL ${effective.toText()} does not match requested principal id: ${principal.toText()}.`);
    }
}
