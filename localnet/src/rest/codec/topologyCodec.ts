/**
 * `Topology` on the wire (GET /instances/{id}/_/topology, read/topology and the create response).
 * Subnet ids are map keys in principal text form; every other principal is base64 of its bytes.
 */
import { createHash } from 'node:crypto';
import type { SubnetInfo, Topology } from '../../core/localIc';
import type { JsonObject } from '../json';
import { toBase64 } from './callCodec';

function encodeSubnet(subnet: SubnetInfo): JsonObject {
    const idBytes = subnet.id.toUint8Array();
    return {
        subnet_kind: subnet.kind,
        // PocketIC derives subnet keys from this seed; ours only needs to be stable per subnet.
        subnet_seed: [...createHash('sha256').update(idBytes).digest()],
        instruction_config: 'Production',
        canister_ranges: subnet.canisterRanges.map((range) => ({
            start: { canister_id: toBase64(range.start.toUint8Array()) },
            end: { canister_id: toBase64(range.end.toUint8Array()) }
        })),
        // Dropped by PocketIC 10+, but PicJS 0.23 still reads `size` into SubnetTopology.size.
        size: subnet.nodeIds.length,
        node_ids: subnet.nodeIds.map((node) => ({ node_id: toBase64(node.toUint8Array()) }))
    };
}

export function encodeTopology(topology: Topology): JsonObject {
    const subnetConfigs: JsonObject = {};
    for (const subnet of topology.subnets) subnetConfigs[subnet.id.toText()] = encodeSubnet(subnet);
    return {
        subnet_configs: subnetConfigs,
        default_effective_canister_id: { canister_id: toBase64(topology.defaultEffectiveCanisterId.toUint8Array()) }
    };
}
