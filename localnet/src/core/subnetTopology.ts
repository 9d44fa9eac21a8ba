/**
 * The subnets of an instance: ids, kinds, canister-id ranges, node ids and BLS keys. The root
 * subnet (NNS when present, else the first subnet) holds the instance root key; other subnets'
 * certificates carry a delegation from it, as on the IC.
 */
import type { Principal } from '@dfinity/principal';
import { generateBlsKeyPair, type BlsKeyPair } from '../certification/rootKey';
import { CANISTER_RANGE_SIZE, canisterIdFromNumber, canisterIdToNumber, derivedPrincipal } from './canisterIds';
import type { SubnetInfo, SubnetKind } from './localIc';

export interface Subnet {
    readonly index: number;
    readonly id: Principal;
    readonly kind: SubnetKind;
    readonly rangeStart: bigint;
    readonly rangeEnd: bigint;
    readonly nodeIds: readonly Principal[];
    readonly key: BlsKeyPair;
    readonly publicKeyDer: Uint8Array;
    /** Next canister number to allocate. */
    nextCanister: bigint;
}

/** Fixed order so that system subnets get the low ranges, as on mainnet. */
const KIND_ORDER: readonly SubnetKind[] = ['NNS', 'II', 'Fiduciary', 'Bitcoin', 'SNS', 'System', 'Application'];

export function createSubnets(kinds: readonly SubnetKind[]): Subnet[] {
    // Exactly the requested subnets, as PocketIC creates them; one application subnet by default.
    const requested = kinds.length > 0 ? [...kinds] : ['Application' as const];
    requested.sort((a, b) => KIND_ORDER.indexOf(a) - KIND_ORDER.indexOf(b));
    return requested.map((kind, index) => {
        const key = generateBlsKeyPair();
        const rangeStart = BigInt(index) * CANISTER_RANGE_SIZE;
        return {
            index,
            id: derivedPrincipal(`localnet-subnet-${index}-${kind}`),
            kind,
            rangeStart,
            rangeEnd: rangeStart + CANISTER_RANGE_SIZE - 1n,
            nodeIds: [derivedPrincipal(`localnet-node-${index}-0`)],
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
