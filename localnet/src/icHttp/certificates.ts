/**
 * Certificates the endpoints return: a witness of exactly the requested paths (plus `/time`) of a
 * subnet's certified state, under that state's BLS signature and, for non-root subnets, the
 * root's delegation. The v3 read_state endpoints additionally hide every non-root subnet's
 * deprecated `/subnet/<id>/canister_ranges` (those ranges live in `/canister_ranges/<id>`).
 */
import type { Principal } from '@icp-sdk/core/principal';
import { encodeCertificate } from '../certification/certificate';
import type { CertifiedState } from '../certification/certifiedState';
import { labelsEqual, NodeTag, pruned, reconstruct, toLabel, type HashTree, type PathInput } from '../certification/hashTree';
import { witness } from '../certification/witness';

const TIME_PATH: PathInput = ['time'];

export function certificateFor(state: CertifiedState, paths: readonly PathInput[], options: { keepRangesOnlyOf?: Principal } = {}): Uint8Array {
    let tree = witness(state.tree, [TIME_PATH, ...paths]);
    if (options.keepRangesOnlyOf) tree = pruneDeprecatedRanges(tree, options.keepRangesOnlyOf.toUint8Array());
    return encodeCertificate({ tree, signature: state.signature, delegation: state.delegation });
}

/** Replaces `/subnet/<id>/canister_ranges` by its digest for every subnet but `keptSubnet`. */
function pruneDeprecatedRanges(tree: HashTree, keptSubnet: Uint8Array): HashTree {
    return mapLabeled(tree, (label, subnets) =>
        labelsEqual(label, toLabel('subnet'))
            ? mapLabeled(subnets, (subnetId, subnet) =>
                  labelsEqual(subnetId, keptSubnet)
                      ? subnet
                      : mapLabeled(subnet, (field, ranges) =>
                            labelsEqual(field, toLabel('canister_ranges')) && ranges[0] !== NodeTag.Pruned ? pruned(reconstruct(ranges)) : ranges
                        )
              )
            : subnets
    );
}

/** Rebuilds the forest at the top of `tree`, replacing each labeled node's subtree by `map`'s result. */
function mapLabeled(tree: HashTree, map: (label: Uint8Array, subtree: HashTree) => HashTree): HashTree {
    switch (tree[0]) {
        case NodeTag.Fork: {
            const left = mapLabeled(tree[1], map);
            const right = mapLabeled(tree[2], map);
            return left === tree[1] && right === tree[2] ? tree : [NodeTag.Fork, left, right];
        }
        case NodeTag.Labeled: {
            const subtree = map(tree[1], tree[2]);
            return subtree === tree[2] ? tree : [NodeTag.Labeled, tree[1], subtree];
        }
        default:
            return tree;
    }
}
