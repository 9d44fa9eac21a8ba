/**
 * Witnesses: the pruned tree that reveals exactly the requested paths of a full tree, as the
 * replica returns for read_state and ic0.data_certificate. Follows the reference implementation's
 * `prune` (ic-ref IC.HashTree): everything at or below a requested path is revealed; for a path
 * that is absent, the neighbouring labels are revealed (with pruned contents) so that lookup
 * proves absence; everything else collapses into pruned digests.
 *
 * A full state tree is witnessed many times (every certified query), so the per-level label index
 * and each fork's label range are cached: a witness then only walks the forks around the requested
 * labels instead of every node of a level.
 */
import { bytesToHex } from '@noble/hashes/utils';
import {
    NodeTag,
    compareLabels,
    flattenForks,
    pruned,
    reconstruct,
    toPath,
    type HashTree,
    type PathInput
} from './hashTree';

/** The witness of `tree` for `paths`; its root digest equals the full tree's. */
export function witness(tree: HashTree, paths: readonly PathInput[]): HashTree {
    return prune(tree, paths.map(toPath));
}

interface Wanted {
    readonly label: Uint8Array;
    /** Path tails below the label; none for a label revealed only as an absence neighbour. */
    readonly tails: Uint8Array[][];
}

function prune(tree: HashTree, paths: readonly Uint8Array[][]): HashTree {
    if (paths.length === 0) return pruned(reconstruct(tree));
    if (paths.some((path) => path.length === 0)) return tree;

    const present = levelLabels(tree);
    const byKey = new Map<string, Wanted>();
    const want = (label: Uint8Array, tail?: Uint8Array[]): void => {
        const key = bytesToHex(label);
        const wanted = byKey.get(key) ?? { label, tails: [] };
        if (tail) wanted.tails.push(tail);
        byKey.set(key, wanted);
    };
    for (const [label, ...tail] of paths) {
        const index = lowerBound(present, label!);
        const match = present[index];
        if (match && compareLabels(match, label!) === 0) {
            want(match, tail);
        } else {
            // Well-formed trees list labels in order, so the neighbours bracket the absent label.
            if (index > 0) want(present[index - 1]!);
            if (match) want(match);
        }
    }
    const wanted = [...byKey.values()].sort((a, b) => compareLabels(a.label, b.label));
    const wantedLabels = wanted.map(({ label }) => label);

    const visit = (node: HashTree): HashTree => {
        switch (node[0]) {
            case NodeTag.Empty:
                return node;
            case NodeTag.Labeled: {
                const index = lowerBound(wantedLabels, node[1]);
                const entry = wanted[index];
                return entry && compareLabels(entry.label, node[1]) === 0
                    ? [NodeTag.Labeled, node[1], prune(node[2], entry.tails)]
                    : pruned(reconstruct(node));
            }
            case NodeTag.Fork: {
                const range = labelRange(node);
                if (range) {
                    const first = wantedLabels[lowerBound(wantedLabels, range[0])];
                    if (!first || compareLabels(first, range[1]) > 0) return pruned(reconstruct(node));
                }
                const left = visit(node[1]);
                const right = visit(node[2]);
                // Nothing revealed on either side: one digest is smaller than a fork of digests.
                if (isOpaque(left) && isOpaque(right)) return pruned(reconstruct(node));
                return [NodeTag.Fork, left, right];
            }
            default:
                return pruned(reconstruct(node));
        }
    };
    return visit(tree);
}

function isOpaque(node: HashTree): boolean {
    return node[0] === NodeTag.Pruned || node[0] === NodeTag.Empty;
}

const levelLabelCache = new WeakMap<HashTree, Uint8Array[]>();

/** The labels of the forest rooted at `tree`, in tree order (sorted, for a well-formed tree). */
function levelLabels(tree: HashTree): Uint8Array[] {
    let labels = levelLabelCache.get(tree);
    if (!labels) {
        labels = flattenForks(tree).flatMap((node) => (node[0] === NodeTag.Labeled ? [node[1]] : []));
        levelLabelCache.set(tree, labels);
    }
    return labels;
}

const rangeCache = new WeakMap<HashTree, readonly [Uint8Array, Uint8Array] | null>();

/**
 * First and last label under a fork, when its outermost nodes are labeled (always, in a full
 * tree); null when a pruned or empty node there leaves the range open.
 */
function labelRange(fork: HashTree): readonly [Uint8Array, Uint8Array] | null {
    let range = rangeCache.get(fork);
    if (range === undefined) {
        const first = outermostLabel(fork, 1);
        const last = outermostLabel(fork, 2);
        range = first && last ? [first, last] : null;
        rangeCache.set(fork, range);
    }
    return range;
}

function outermostLabel(tree: HashTree, side: 1 | 2): Uint8Array | undefined {
    let node = tree;
    while (node[0] === NodeTag.Fork) node = node[side];
    return node[0] === NodeTag.Labeled ? node[1] : undefined;
}

/** Index of the first label >= `label` in the sorted `labels`. */
function lowerBound(labels: readonly Uint8Array[], label: Uint8Array): number {
    let low = 0;
    let high = labels.length;
    while (low < high) {
        const middle = (low + high) >>> 1;
        if (compareLabels(labels[middle]!, label) < 0) low = middle + 1;
        else high = middle;
    }
    return low;
}
