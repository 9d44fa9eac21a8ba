/**
 * Which subnet serves a request: the one whose canister ranges hold the effective canister id in
 * the URL (what boundary nodes route by). Calls to the management canister may name `aaaaa-aa`
 * itself, which a single-replica network accepts; localnet sends those to the subnet of the
 * instance's default effective canister id.
 */
import { Principal } from '@icp-sdk/core/principal';
import type { LocalNetwork } from '../core/localNetwork';
import type { Subnet } from '../core/subnetTopology';
import { badRequest } from './httpError';

export function principalFromUrl(text: string, parameter: string): Principal {
    try {
        return Principal.fromText(text);
    } catch (error) {
        throw badRequest(`Invalid URL: Cannot parse \`${parameter}\` with value \`${text}\`: ${(error as Error).message}`);
    }
}

export function subnetOfEffectiveCanister(network: LocalNetwork, effectiveCanisterId: Principal): Subnet {
    const routed = network.subnetOf(effectiveCanisterId);
    const subnetId =
        routed ?? (isManagementCanister(effectiveCanisterId) ? network.subnetOf(network.topology().defaultEffectiveCanisterId) : undefined);
    const subnet = subnetId && network.subnetById(subnetId);
    if (!subnet) {
        throw badRequest(`Effective canister id ${effectiveCanisterId.toText()} is not in the canister ranges of any subnet of this instance.`);
    }
    return subnet;
}

export function subnetFromUrl(network: LocalNetwork, subnetId: Principal): Subnet {
    const subnet = network.subnetById(subnetId);
    if (!subnet) throw badRequest(`Subnet ${subnetId.toText()} is not a subnet of this instance.`);
    return subnet;
}

export function isManagementCanister(id: Principal): boolean {
    return id.toUint8Array().length === 0;
}
