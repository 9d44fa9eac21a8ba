/**
 * Certified state per subnet, built lazily and reused until the state changes: the tree is hashed
 * and BLS-signed once per version, and each data_certificate or read_state answer is a witness
 * of it. Non-root subnets get a delegation signed by the root subnet.
 */
import type { Principal } from '@icp-sdk/core/principal';
import type { CertificateDelegation } from '../certification/certificate';
import { CertifiedState } from '../certification/certifiedState';
import { createSubnetDelegation } from '../certification/delegation';
import { buildStateHashTree, type RequestStatusInput, type StateTreeInput } from '../certification/stateTree';
import { canisterIdFromNumber } from './canisterIds';
import type { CanisterState } from './canisterState';
import type { Subnet } from './subnetTopology';

export interface CertifiableNetwork {
    readonly subnets: readonly Subnet[];
    readonly rootSubnet: Subnet;
    certifiedTime(): bigint;
    canistersOf(subnet: Subnet): Iterable<CanisterState>;
    requestStatuses(): Iterable<RequestStatusInput>;
}

export class StateCertifier {
    #states = new Map<string, CertifiedState>();
    #delegations = new Map<string, CertificateDelegation>();

    constructor(private readonly network: CertifiableNetwork) {}

    /** Marks every certified state stale (after a round or a time change). */
    invalidate(): void {
        this.#states.clear();
        this.#delegations.clear();
    }

    stateOf(subnet: Subnet): CertifiedState {
        const key = subnet.id.toText();
        let state = this.#states.get(key);
        if (!state) {
            const delegation = subnet === this.network.rootSubnet ? undefined : this.#delegation(subnet);
            state = new CertifiedState(buildStateHashTree(this.#input(subnet)), subnet.key.secretKey, delegation);
            this.#states.set(key, state);
        }
        return state;
    }

    dataCertificate(subnet: Subnet, canisterId: Principal): Uint8Array {
        return this.stateOf(subnet).dataCertificate(canisterId.toUint8Array());
    }

    #delegation(subnet: Subnet): CertificateDelegation {
        const key = subnet.id.toText();
        let delegation = this.#delegations.get(key);
        if (!delegation) {
            delegation = createSubnetDelegation(this.stateOf(this.network.rootSubnet), subnet.id.toUint8Array());
            this.#delegations.set(key, delegation);
        }
        return delegation;
    }

    #input(subnet: Subnet): StateTreeInput {
        const canisters = [...this.network.canistersOf(subnet)].map((c) => ({
            canisterId: c.id,
            controllers: c.settings.controllers,
            ...(c.module
                ? {
                      moduleHash: c.module.hash,
                      certifiedData: c.certifiedData,
                      metadata: [...c.module.description.metadata].map(([name, m]) => [name, m.bytes] as const)
                  }
                : {})
        }));
        return {
            timeNanos: this.network.certifiedTime(),
            canisters,
            requestStatuses: this.network.requestStatuses(),
            subnets: this.network.subnets.map((s) => ({
                subnetId: s.id,
                publicKeyDer: s.publicKeyDer,
                canisterRanges: [{ start: canisterIdFromNumber(s.rangeStart), end: canisterIdFromNumber(s.rangeEnd) }],
                // A subnet certifies its own nodes' keys only, as the replica does.
                ...(s === subnet ? { nodes: s.nodes.map((node) => ({ nodeId: node.id, publicKeyDer: node.publicKeyDer })) } : {})
            }))
        };
    }
}
