import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import {
    NodeTag,
    compareLabels,
    isWellFormed,
    lookupPath,
    reconstruct,
    type HashTree
} from '../../src/certification/hashTree';
import { encodeHashTree } from '../../src/certification/hashTreeCbor';
import {
    labeledLeaf,
    labeledSubtree,
    labeledTreeToHashTree,
    type LabeledTree
} from '../../src/certification/labeledTree';
import { witness } from '../../src/certification/witness';

// Short labels over a tiny alphabet, so requested paths often hit, miss between, and prefix
// existing labels ("a" < "aa" < "ab" < "b").
const labelArb = fc.string({ unit: fc.constantFrom('a', 'b', 'c'), maxLength: 2 });

const { tree: labeledTreeArb } = fc.letrec<{ tree: LabeledTree }>((tie) => ({
    tree: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.string({ maxLength: 3 }).map((value) => labeledLeaf(value)),
        fc
            .uniqueArray(fc.tuple(labelArb, tie('tree')), { selector: ([label]) => label, maxLength: 5 })
            .map((children) => labeledSubtree(children))
    )
}));

const pathsArb = fc.array(fc.array(labelArb, { maxLength: 4 }), { maxLength: 4 });

/** Labels from the root to every leaf of a (pruned) hash tree. */
function leafPaths(tree: HashTree, prefix: Uint8Array[] = []): Uint8Array[][] {
    switch (tree[0]) {
        case NodeTag.Leaf:
            return [prefix];
        case NodeTag.Fork:
            return [...leafPaths(tree[1], prefix), ...leafPaths(tree[2], prefix)];
        case NodeTag.Labeled:
            return leafPaths(tree[2], [...prefix, tree[1]]);
        default:
            return [];
    }
}

function isPrefix(prefix: readonly Uint8Array[], path: readonly Uint8Array[]): boolean {
    return prefix.length <= path.length && prefix.every((label, i) => compareLabels(label, path[i]!) === 0);
}

/** Whether following `path` in the full tree hits a leaf before the path ends. */
function passesThroughLeaf(tree: HashTree, path: readonly string[]): boolean {
    return path.some((_, i) => lookupPath(tree, path.slice(0, i)).status === 'found');
}

describe('witness', () => {
    it('keeps the root hash, stays well-formed and is idempotent', () => {
        fc.assert(
            fc.property(labeledTreeArb, pathsArb, (labeledTree, paths) => {
                const full = labeledTreeToHashTree(labeledTree);
                const pruned = witness(full, paths);
                expect(bytesToHex(reconstruct(pruned))).toBe(bytesToHex(reconstruct(full)));
                expect(isWellFormed(pruned)).toBe(true);
                expect(encodeHashTree(witness(pruned, paths))).toEqual(encodeHashTree(pruned));
            }),
            { numRuns: 500 }
        );
    });

    it('answers every requested path as the full tree does (absence proven, not just unknown)', () => {
        fc.assert(
            fc.property(labeledTreeArb, pathsArb, (labeledTree, paths) => {
                const full = labeledTreeToHashTree(labeledTree);
                const pruned = witness(full, paths);
                for (const path of paths) {
                    // Like the reference implementation, a path running past a leaf is only pruned.
                    if (passesThroughLeaf(full, path)) continue;
                    expect(lookupPath(pruned, path)).toEqual(lookupPath(full, path));
                }
            }),
            { numRuns: 500 }
        );
    });

    it('reveals no leaf outside the requested paths', () => {
        fc.assert(
            fc.property(labeledTreeArb, pathsArb, (labeledTree, paths) => {
                const full = labeledTreeToHashTree(labeledTree);
                const requested = paths.map((path) => path.map((label) => utf8ToBytes(label)));
                for (const revealed of leafPaths(witness(full, paths))) {
                    expect(requested.some((path) => isPrefix(path, revealed))).toBe(true);
                }
            }),
            { numRuns: 500 }
        );
    });

    it('prunes everything for no paths and nothing for the empty path', () => {
        const full = labeledTreeToHashTree(labeledSubtree([['a', labeledLeaf('x')], ['b', labeledLeaf('y')]]));
        expect(witness(full, [])).toEqual([NodeTag.Pruned, reconstruct(full)]);
        expect(witness(full, [[]])).toBe(full);
    });

    it('proves absence of a label beyond the last one with only the last label revealed', () => {
        const full = labeledTreeToHashTree(
            labeledSubtree(['a', 'b', 'c', 'd'].map((label) => [label, labeledLeaf(label.repeat(100))] as const))
        );
        const pruned = witness(full, [['e']]);
        expect(lookupPath(pruned, ['e'])).toEqual({ status: 'absent' });
        expect(lookupPath(pruned, ['d'])).toEqual({ status: 'unknown' });
        expect(leafPaths(pruned)).toEqual([]);
    });
});

describe('labeled trees', () => {
    it('sorts children bytewise and forks them into a balanced tree', () => {
        const tree = labeledTreeToHashTree(
            labeledSubtree([['c', labeledLeaf('3')], ['a', labeledLeaf('1')], ['b', labeledLeaf('2')]])
        );
        expect(tree).toEqual([
            NodeTag.Fork,
            [NodeTag.Labeled, utf8ToBytes('a'), [NodeTag.Leaf, utf8ToBytes('1')]],
            [
                NodeTag.Fork,
                [NodeTag.Labeled, utf8ToBytes('b'), [NodeTag.Leaf, utf8ToBytes('2')]],
                [NodeTag.Labeled, utf8ToBytes('c'), [NodeTag.Leaf, utf8ToBytes('3')]]
            ]
        ]);
    });

    it('turns an empty subtree into Empty and rejects duplicate labels', () => {
        expect(labeledTreeToHashTree(labeledSubtree([]))).toEqual([NodeTag.Empty]);
        expect(() =>
            labeledTreeToHashTree(labeledSubtree([['a', labeledLeaf('1')], ['a', labeledLeaf('2')]]))
        ).toThrow(/duplicate label/);
    });
});
