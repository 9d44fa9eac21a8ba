/**
 * Subnet delegations (spec "Delegation"): the root subnet certifies another subnet's public key and
 * canister ranges, and that subnet's certificates carry the root certificate as `delegation`.
 */
import type { CertificateDelegation } from './certificate';
import type { CertifiedState } from './certifiedState';
import { lookupPath, type PathInput } from './hashTree';

/**
 * Paths a delegation reveals: the key, the ranges both as the v2 API and agents up to at least
 * 3.4.3 read them (`subnet/<id>/canister_ranges`) and as the v3 API shards them
 * (`canister_ranges/<id>/…`). `/time` is always added by the certificate itself.
 */
export function delegationPaths(subnetId: Uint8Array): PathInput[] {
    return [
        ['subnet', subnetId, 'public_key'],
        ['subnet', subnetId, 'canister_ranges'],
        ['canister_ranges', subnetId]
    ];
}

/** The delegation for `subnetId`, witnessed from the root subnet's certified state. */
export function createSubnetDelegation(rootState: CertifiedState, subnetId: Uint8Array): CertificateDelegation {
    if (rootState.delegation) {
        throw new Error('a delegation must be signed by the root subnet, whose certificates carry no delegation');
    }
    if (lookupPath(rootState.tree, ['subnet', subnetId, 'public_key']).status !== 'found') {
        throw new Error('the root state tree has no public key for the delegated subnet');
    }
    return { subnetId, certificate: rootState.certificate(delegationPaths(subnetId)) };
}
