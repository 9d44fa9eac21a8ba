/**
 * The IC hash tree (interface specification, "Certification" → "Certificate", "Lookup",
 * "Encoding of certificates"). Nodes are the tuples the spec's CDDL prescribes, so a tree is
 * CBOR-ready as is and structurally identical to what @dfinity/agent decodes.
 */
import { createHash } from 'node:crypto';
import { concatBytes, utf8ToBytes } from '@noble/hashes/utils';

export const NodeTag = { Empty: 0, Fork: 1, Labeled: 2, Leaf: 3, Pruned: 4 } as const;

export type EmptyNode = readonly [typeof NodeTag.Empty];
export type ForkNode = readonly [typeof NodeTag.Fork, HashTree, HashTree];
export type LabeledNode = readonly [typeof NodeTag.Labeled, Uint8Array, HashTree];
export type LeafNode = readonly [typeof NodeTag.Leaf, Uint8Array];
export type PrunedNode = readonly [typeof NodeTag.Pruned, Uint8Array];
export type HashTree = EmptyNode | ForkNode | LabeledNode | LeafNode | PrunedNode;

/** A label as the caller writes it: bytes, or text that is UTF-8 encoded. */
export type LabelInput = Uint8Array | string;
/** A path as the caller writes it, e.g. `['canister', canisterIdBytes, 'certified_data']`. */
export type PathInput = readonly LabelInput[];

export const DIGEST_LENGTH = 32;

export function toLabel(label: LabelInput): Uint8Array {
    return typeof label === 'string' ? utf8ToBytes(label) : label;
}

export function toPath(path: PathInput): Uint8Array[] {
    return path.map(toLabel);
}

export function empty(): EmptyNode {
    return [NodeTag.Empty];
}

export function fork(left: HashTree, right: HashTree): ForkNode {
    return [NodeTag.Fork, left, right];
}

export function labeled(label: LabelInput, subtree: HashTree): LabeledNode {
    return [NodeTag.Labeled, toLabel(label), subtree];
}

export function leaf(value: LabelInput): LeafNode {
    return [NodeTag.Leaf, toLabel(value)];
}

export function pruned(digest: Uint8Array): PrunedNode {
    if (digest.length !== DIGEST_LENGTH) {
        throw new Error(`a pruned node holds a ${DIGEST_LENGTH}-byte digest, got ${digest.length} bytes`);
    }
    return [NodeTag.Pruned, digest];
}

/** `domain_sep(s) = byte(|s|) · s` from the spec. */
export function domainSeparator(name: string): Uint8Array {
    const bytes = utf8ToBytes(name);
    return concatBytes(Uint8Array.of(bytes.length), bytes);
}

const EMPTY_SEPARATOR = domainSeparator('ic-hashtree-empty');
const FORK_SEPARATOR = domainSeparator('ic-hashtree-fork');
const LABELED_SEPARATOR = domainSeparator('ic-hashtree-labeled');
const LEAF_SEPARATOR = domainSeparator('ic-hashtree-leaf');

/** SHA-256 of the concatenation of `parts`; node:crypto is about twice as fast as a JS hash here. */
function sha256(...parts: Uint8Array[]): Uint8Array {
    const hash = createHash('sha256');
    for (const part of parts) hash.update(part);
    const digest = hash.digest();
    return new Uint8Array(digest.buffer, digest.byteOffset, digest.length);
}

const EMPTY_DIGEST = sha256(EMPTY_SEPARATOR);

// Trees are immutable, so a node's digest never changes; caching it makes repeated witnesses of
// one state tree cost only the hashes along the revealed paths.
const digests = new WeakMap<HashTree, Uint8Array>();

/** The root hash of a (possibly pruned) tree, `reconstruct` in the spec. Do not mutate the result. */
export function reconstruct(tree: HashTree): Uint8Array {
    const cached = digests.get(tree);
    if (cached) return cached;
    let digest: Uint8Array;
    switch (tree[0]) {
        case NodeTag.Empty:
            digest = EMPTY_DIGEST;
            break;
        case NodeTag.Fork:
            digest = sha256(FORK_SEPARATOR, reconstruct(tree[1]), reconstruct(tree[2]));
            break;
        case NodeTag.Labeled:
            digest = sha256(LABELED_SEPARATOR, tree[1], reconstruct(tree[2]));
            break;
        case NodeTag.Leaf:
            digest = sha256(LEAF_SEPARATOR, tree[1]);
            break;
        case NodeTag.Pruned:
            digest = tree[1];
            break;
        default:
            throw new Error(`unknown hash tree node tag ${String((tree as readonly unknown[])[0])}`);
    }
    digests.set(tree, digest);
    return digest;
}

/** Bytewise lexicographic order, the order labels appear in within a well-formed tree. */
export function compareLabels(a: Uint8Array, b: Uint8Array): number {
    const length = Math.min(a.length, b.length);
    for (let i = 0; i < length; i++) {
        const difference = a[i]! - b[i]!;
        if (difference !== 0) return difference;
    }
    return a.length - b.length;
}

export function labelsEqual(a: Uint8Array, b: Uint8Array): boolean {
    return a.length === b.length && compareLabels(a, b) === 0;
}

/** `flatten_forks` from the spec: the forest of non-fork nodes, left to right. */
export function flattenForks(tree: HashTree): HashTree[] {
    const forest: HashTree[] = [];
    const visit = (node: HashTree): void => {
        if (node[0] === NodeTag.Fork) {
            visit(node[1]);
            visit(node[2]);
        } else if (node[0] !== NodeTag.Empty) {
            forest.push(node);
        }
    };
    visit(tree);
    return forest;
}

export type LookupResult =
    | { readonly status: 'found'; readonly value: Uint8Array }
    | { readonly status: 'absent' }
    | { readonly status: 'unknown' }
    | { readonly status: 'error' };

export type SubtreeLookupResult =
    | { readonly status: 'found'; readonly subtree: HashTree }
    | { readonly status: 'absent' }
    | { readonly status: 'unknown' }
    | { readonly status: 'error' };

type LabelSearch =
    | { readonly status: 'found'; readonly subtree: HashTree }
    | { readonly status: 'absent' | 'unknown' | 'error' };

/** `find_label` from the spec, over an already flattened forest. */
function findLabel(label: Uint8Array, forest: readonly HashTree[]): LabelSearch {
    // What we can conclude if `label` falls before the next labeled node: absent if the previous
    // node was labeled (or there is none), unknown if a pruned node could have hidden it.
    let before: 'absent' | 'unknown' = 'absent';
    for (const node of forest) {
        switch (node[0]) {
            case NodeTag.Labeled: {
                const order = compareLabels(label, node[1]);
                if (order === 0) return { status: 'found', subtree: node[2] };
                if (order < 0) return { status: before };
                before = 'absent';
                break;
            }
            case NodeTag.Pruned:
                before = 'unknown';
                break;
            case NodeTag.Leaf:
                // A lone leaf has no labels below it; a leaf mixed into a forest is ill-formed.
                return { status: forest.length === 1 ? 'absent' : 'error' };
            default:
                return { status: 'error' };
        }
    }
    return { status: before };
}

/** `lookup_subtree`: the node reached by following `path` (the tree itself for an empty path). */
export function lookupSubtree(tree: HashTree, path: PathInput): SubtreeLookupResult {
    let node = tree;
    for (const label of path) {
        const search = findLabel(toLabel(label), flattenForks(node));
        if (search.status !== 'found') return search;
        node = search.subtree;
    }
    return { status: 'found', subtree: node };
}

/** `lookup_path` from the spec. */
export function lookupPath(tree: HashTree, path: PathInput): LookupResult {
    const reached = lookupSubtree(tree, path);
    if (reached.status !== 'found') return reached;
    const node = reached.subtree;
    switch (node[0]) {
        case NodeTag.Leaf:
            return { status: 'found', value: node[1] };
        case NodeTag.Empty:
            return { status: 'absent' };
        case NodeTag.Pruned:
            return { status: 'unknown' };
        default:
            return { status: 'error' };
    }
}

/** `well_formed` from the spec: labels strictly increasing per forest, leaves never mixed with labels. */
export function isWellFormed(tree: HashTree): boolean {
    if (tree[0] === NodeTag.Leaf) return true;
    let previous: Uint8Array | undefined;
    for (const node of flattenForks(tree)) {
        if (node[0] === NodeTag.Leaf) return false;
        if (node[0] !== NodeTag.Labeled) continue;
        if (previous && compareLabels(previous, node[1]) >= 0) return false;
        if (!isWellFormed(node[2])) return false;
        previous = node[1];
    }
    return true;
}
