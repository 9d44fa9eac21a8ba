/**
 * The subnets of an instance: ids, kinds, canister-id ranges, nodes and BLS keys. The root
 * subnet (NNS when present, else the first subnet) holds the instance root key; other subnets'
 * certificates carry a delegation from it, as on the IC.
 *
 * Ids are derived as on the IC, which agents rely on: a subnet id is the self-authenticating
 * principal of the subnet's DER public key (agents compute the root subnet's id from the root key),
 * and a node id is the self-authenticating principal of the node's DER Ed25519 key (agents look
 * the key up by node id to verify query-response signatures).
 */
import { Principal } from '@icp-sdk/core/principal';
import { ed25519 } from '@noble/curves/ed25519';
import { concatBytes, hexToBytes } from '@noble/hashes/utils';
import { generateBlsKeyPair, type BlsKeyPair } from '../certification/rootKey';
import { CANISTER_RANGE_SIZE, canisterIdFromNumber, canisterIdToNumber } from './canisterIds';
import type { SubnetInfo, SubnetKind } from './localIc';

/** One replica node of a subnet, with the Ed25519 key it signs query responses with. */
export interface SubnetNode {
    readonly id: Principal;
    /** 32-byte Ed25519 secret key. */
    readonly secretKey: Uint8Array;
    /** The public key as DER SubjectPublicKeyInfo, as `/subnet/<id>/node/<node_id>/public_key` shows it. */
    readonly publicKeyDer: Uint8Array;
}

export interface Subnet {
    readonly index: number;
    readonly id: Principal;
    readonly kind: SubnetKind;
    readonly rangeStart: bigint;
    readonly rangeEnd: bigint;
    readonly nodes: readonly SubnetNode[];
    /** `nodes`' ids, in the same order. */
    readonly nodeIds: readonly Principal[];
    readonly key: BlsKeyPair;
    readonly publicKeyDer: Uint8Array;
    /** Next canister number to allocate. */
    nextCanister: bigint;
}

/** Fixed order so that system subnets get the low ranges, as on mainnet. */
const KIND_ORDER: readonly SubnetKind[] = ['NNS', 'II', 'Fiduciary', 'Bitcoin', 'SNS', 'System', 'Application'];

/** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410): SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING }. */
const ED25519_DER_PREFIX = hexToBytes('302a300506032b6570032100');

export function ed25519PublicKeyToDer(rawKey: Uint8Array): Uint8Array {
    return concatBytes(ED25519_DER_PREFIX, rawKey);
}

export function createSubnetNode(): SubnetNode {
    const secretKey = ed25519.utils.randomSecretKey();
    const publicKeyDer = ed25519PublicKeyToDer(ed25519.getPublicKey(secretKey));
    return { id: Principal.selfAuthenticating(publicKeyDer), secretKey, publicKeyDer };
}

export function createSubnets(kinds: readonly SubnetKind[]): Subnet[] {
    // Exactly the requested subnets, as PocketIC creates them; one application subnet by default.
    const requested = kinds.length > 0 ? [...kinds] : ['Application' as const];
    requested.sort((a, b) => KIND_ORDER.indexOf(a) - KIND_ORDER.indexOf(b));
    return requested.map((kind, index) => {
        const key = generateBlsKeyPair();
        const rangeStart = BigInt(index) * CANISTER_RANGE_SIZE;
        const nodes = [createSubnetNode()];
        return {
            index,
            id: Principal.selfAuthenticating(key.publicKeyDer),
            kind,
            rangeStart,
            rangeEnd: rangeStart + CANISTER_RANGE_SIZE - 1n,
            nodes,
            nodeIds: nodes.map((node) => node.id),
            key,
            publicKeyDer: key.publicKeyDer,
            nextCanister: rangeStart
        };
    });
}

export function subnetInfo(subnet: Subnet): SubnetInfo {
    return {
        id: subnet.id,
        kind: subnet.kind,
        canisterRanges: [{ start: canisterIdFromNumber(subnet.rangeStart), end: canisterIdFromNumber(subnet.rangeEnd) }],
        nodeIds: subnet.nodeIds,
        publicKey: subnet.publicKeyDer
    };
}

/** The subnet whose range contains the canister id, if any. */
export function subnetOfCanisterId(subnets: readonly Subnet[], id: Principal): Subnet | undefined {
    const value = canisterIdToNumber(id);
    if (value === undefined) return undefined;
    return subnets.find((s) => value >= s.rangeStart && value <= s.rangeEnd);
}
