/**
 * The smallest hash tree a canister needs for HTTP skip certification: one chain of labels ending
 * in an empty leaf, `labeled(l1, labeled(l2, … leaf("")))`. Implements the two things the IC
 * interface specification defines for it, the root digest ("reconstruct") and the CBOR encoding,
 * with no platform globals and no CBOR library, so it runs inside Azle's stable mode.
 */
import { sha256 } from '@noble/hashes/sha2';

const encoder = new TextEncoder();

/** The spec's domain_sep(s): one length byte, then the ASCII separator. */
function domainSeparator(name: string): Uint8Array {
    const bytes = encoder.encode(name);
    return concatBytes([Uint8Array.of(bytes.length), bytes]);
}

const LEAF_SEPARATOR = domainSeparator('ic-hashtree-leaf');
const LABELED_SEPARATOR = domainSeparator('ic-hashtree-labeled');

/** Node tags of the hash tree CBOR encoding ([2, label, tree] and [3, data]). */
const LABELED_TAG = 2;
const LEAF_TAG = 3;

/** CBOR self-describe tag 55799 (0xd9d9f7), which the IC puts in front of trees and paths. */
const SELF_DESCRIBE_TAG = Uint8Array.of(0xd9, 0xd9, 0xf7);

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
    let length = 0;
    for (const part of parts) length += part.length;
    const out = new Uint8Array(length);
    let offset = 0;
    for (const part of parts) {
        out.set(part, offset);
        offset += part.length;
    }
    return out;
}

/** reconstruct() of the chain `labels` → empty leaf. */
export function labeledPathDigest(labels: readonly Uint8Array[]): Uint8Array {
    let digest = sha256(concatBytes([LEAF_SEPARATOR, new Uint8Array(0)]));
    for (let i = labels.length - 1; i >= 0; i--) {
        digest = sha256(concatBytes([LABELED_SEPARATOR, labels[i]!, digest]));
    }
    return digest;
}

/** CBOR (with the self-describe tag) of the chain `labels` → empty leaf. */
export function encodeLabeledPathTree(labels: readonly Uint8Array[]): Uint8Array {
    const parts: Uint8Array[] = [SELF_DESCRIBE_TAG];
    for (const label of labels) {
        parts.push(cborHead(MajorType.Array, 3), cborHead(MajorType.Unsigned, LABELED_TAG), cborBytes(label));
    }
    parts.push(cborHead(MajorType.Array, 2), cborHead(MajorType.Unsigned, LEAF_TAG), cborBytes(new Uint8Array(0)));
    return concatBytes(parts);
}

/** CBOR (with the self-describe tag) of an array of text strings, e.g. an `expr_path`. */
export function encodeTextArray(texts: readonly string[]): Uint8Array {
    const parts: Uint8Array[] = [SELF_DESCRIBE_TAG, cborHead(MajorType.Array, texts.length)];
    for (const text of texts) {
        const bytes = encoder.encode(text);
        parts.push(cborHead(MajorType.Text, bytes.length), bytes);
    }
    return concatBytes(parts);
}

const MajorType = { Unsigned: 0, Bytes: 2, Text: 3, Array: 4 } as const;
type MajorType = (typeof MajorType)[keyof typeof MajorType];

function cborBytes(bytes: Uint8Array): Uint8Array {
    return concatBytes([cborHead(MajorType.Bytes, bytes.length), bytes]);
}

/** The initial byte(s) of a CBOR item: major type plus its argument in the shortest form. */
function cborHead(major: MajorType, argument: number): Uint8Array {
    const type = major << 5;
    if (argument < 24) return Uint8Array.of(type | argument);
    if (argument < 0x100) return Uint8Array.of(type | 24, argument);
    if (argument < 0x10000) return Uint8Array.of(type | 25, argument >>> 8, argument & 0xff);
    return Uint8Array.of(type | 26, argument >>> 24, (argument >>> 16) & 0xff, (argument >>> 8) & 0xff, argument & 0xff);
}
