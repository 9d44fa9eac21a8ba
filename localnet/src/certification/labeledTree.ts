/**
 * Nested labeled data (the spec's "system state tree": labeled subtrees with blob leaves) and its
 * conversion to a well-formed hash tree.
 */
import { bytesToHex } from '@noble/hashes/utils';
import {
    compareLabels,
    empty,
    fork,
    labeled,
    leaf,
    toLabel,
    type HashTree,
    type LabelInput
} from './hashTree';

export type LabeledTree =
    | { readonly kind: 'leaf'; readonly value: Uint8Array }
    | { readonly kind: 'subtree'; readonly children: readonly LabeledChild[] }
    /** A part converted earlier (and possibly already hashed), spliced in as is. */
    | { readonly kind: 'hashed'; readonly tree: HashTree };

export type LabeledChild = readonly [label: Uint8Array, tree: LabeledTree];

export function labeledLeaf(value: LabelInput): LabeledTree {
    return { kind: 'leaf', value: toLabel(value) };
}

/** Reuses an already converted tree, e.g. a cached subtree whose digest is already known. */
export function labeledHashTree(tree: HashTree): LabeledTree {
    return { kind: 'hashed', tree };
}

/** A subtree from label/child pairs in any order; order and uniqueness are checked when hashing. */
export function labeledSubtree(children: Iterable<readonly [LabelInput, LabeledTree]>): LabeledTree {
    return { kind: 'subtree', children: Array.from(children, ([label, child]) => [toLabel(label), child] as const) };
}

/**
 * The hash tree of a labeled tree: children sorted bytewise by label and joined by balanced forks
 * (the shape the reference implementation produces), an empty subtree becoming Empty.
 */
export function labeledTreeToHashTree(tree: LabeledTree): HashTree {
    if (tree.kind === 'leaf') return leaf(tree.value);
    if (tree.kind === 'hashed') return tree.tree;
    const sorted = [...tree.children].sort(([a], [b]) => compareLabels(a, b));
    for (let i = 1; i < sorted.length; i++) {
        if (compareLabels(sorted[i - 1]![0], sorted[i]![0]) === 0) {
            throw new Error(`duplicate label ${bytesToHex(sorted[i]![0])} in a labeled tree`);
        }
    }
    const nodes = sorted.map(([label, child]) => labeled(label, labeledTreeToHashTree(child)));
    return nodes.length === 0 ? empty() : balancedForks(nodes, 0, nodes.length);
}

/** Joins nodes[start, end) (non-empty) into a fork tree of minimal depth. */
function balancedForks(nodes: readonly HashTree[], start: number, end: number): HashTree {
    if (end - start === 1) return nodes[start]!;
    const middle = start + Math.floor((end - start) / 2);
    return fork(balancedForks(nodes, start, middle), balancedForks(nodes, middle, end));
}
