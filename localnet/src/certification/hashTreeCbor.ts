/**
 * CBOR form of hash trees (spec CDDL: [0], [1, l, r], [2, label, t], [3, data], [4, hash]).
 * Trees are already in that shape; decoding validates an untrusted value back into one.
 */
import { decode, encode, encodeWithSelfDescribedTag } from '@dfinity/cbor';
import { DIGEST_LENGTH, NodeTag, type HashTree } from './hashTree';

/** CBOR bytes of a tree, by default with the self-describe tag 55799 as the IC sends it. */
export function encodeHashTree(tree: HashTree, options: { selfDescribe?: boolean } = {}): Uint8Array {
    // The encoder only reads the arrays; the readonly tuple types are a compile-time promise.
    const value = tree as unknown as unknown[];
    return options.selfDescribe === false ? encode(value) : encodeWithSelfDescribedTag(value);
}

export function decodeHashTree(bytes: Uint8Array): HashTree {
    return hashTreeFromCborValue(decode(bytes));
}

/** Validates a decoded CBOR value (e.g. the `tree` field of a decoded certificate). */
export function hashTreeFromCborValue(value: unknown): HashTree {
    if (!Array.isArray(value)) throw new Error('hash tree node is not an array');
    const [tag, first, second] = value as unknown[];
    const bytes = (field: unknown, what: string): Uint8Array => {
        if (!(field instanceof Uint8Array)) throw new Error(`hash tree ${what} is not a byte string`);
        return field;
    };
    const arity = (expected: number): void => {
        if (value.length !== expected) throw new Error(`hash tree node with tag ${String(tag)} needs ${expected} elements`);
    };
    switch (tag) {
        case NodeTag.Empty:
            arity(1);
            return [NodeTag.Empty];
        case NodeTag.Fork:
            arity(3);
            return [NodeTag.Fork, hashTreeFromCborValue(first), hashTreeFromCborValue(second)];
        case NodeTag.Labeled:
            arity(3);
            return [NodeTag.Labeled, bytes(first, 'label'), hashTreeFromCborValue(second)];
        case NodeTag.Leaf:
            arity(2);
            return [NodeTag.Leaf, bytes(first, 'leaf')];
        case NodeTag.Pruned: {
            arity(2);
            const digest = bytes(first, 'pruned digest');
            if (digest.length !== DIGEST_LENGTH) throw new Error('pruned digest is not 32 bytes');
            return [NodeTag.Pruned, digest];
        }
        default:
            throw new Error(`unknown hash tree node tag ${String(tag)}`);
    }
}
