/**
 * The replicated state tree a subnet certifies (spec "The system state tree"), assembled from plain
 * inputs. Shapes and value encodings follow the replica (rs/canonical_state lazy_tree_conversion.rs):
 * an empty canister shows only `controllers`; `certified_data`, `metadata` and `module_hash` appear
 * once code is installed.
 *
 * Cost model: building hashes the whole state once; wrap the result in a CertifiedState and reuse
 * it for every certificate until the state (or time) changes, so per-request work is a witness.
 * A StateTreeCache additionally lets a rebuild skip records that did not change.
 */
import { encodeWithSelfDescribedTag } from '@dfinity/cbor';
import type { Principal } from '@icp-sdk/core/principal';
import { compareLabels, type HashTree } from './hashTree';
import {
    labeledHashTree,
    labeledLeaf,
    labeledSubtree,
    labeledTreeToHashTree,
    type LabeledTree
} from './labeledTree';
import { encodeUnsignedLeb128 } from '../leb128';

/**
 * A principal's bytes, or any principal object: the tree only needs the bytes, and callers outside
 * localnet (shared's tests) still hold @dfinity/principal's Principal rather than @icp-sdk/core's.
 */
export type PrincipalLike = Pick<Principal, 'toUint8Array'> | Uint8Array;

export interface StateTreeInput {
    /** `/time`: nanoseconds since the Unix epoch. */
    readonly timeNanos: bigint;
    readonly canisters?: Iterable<CanisterStateInput>;
    readonly requestStatuses?: Iterable<RequestStatusInput>;
    /** All subnets of the instance (the replica lists every subnet of the routing table). */
    readonly subnets?: Iterable<SubnetStateInput>;
}

export interface CanisterStateInput {
    readonly canisterId: PrincipalLike;
    /** Encoded sorted bytewise; the spec leaves the order to the implementation. */
    readonly controllers: readonly PrincipalLike[];
    /** SHA-256 of the installed module; undefined for an empty canister. */
    readonly moduleHash?: Uint8Array;
    /** As set by ic0.certified_data_set; empty when never set. Only shown once code is installed. */
    readonly certifiedData?: Uint8Array;
    /** Contents of the `icp:public <name>` / `icp:private <name>` custom sections, by name. */
    readonly metadata?: Iterable<readonly [name: string, content: Uint8Array]>;
}

export type RequestStatusInput = { readonly requestId: Uint8Array } & (
    | { readonly status: 'received' | 'processing' | 'done' }
    | { readonly status: 'replied'; readonly reply: Uint8Array }
    | {
          readonly status: 'rejected';
          readonly rejectCode: number;
          readonly rejectMessage: string;
          /** e.g. "IC0503"; the replica always sets it. */
          readonly errorCode?: string;
      }
);

export interface CanisterRange {
    readonly start: PrincipalLike;
    readonly end: PrincipalLike;
}

export interface SubnetStateInput {
    readonly subnetId: PrincipalLike;
    /** DER-encoded BLS public key (blsDer.ts). */
    readonly publicKeyDer: Uint8Array;
    /** Inclusive ranges; an empty list is allowed. */
    readonly canisterRanges: readonly CanisterRange[];
    /** DER-encoded Ed25519 node keys; the replica lists them for its own subnet only. */
    readonly nodes?: Iterable<{ readonly nodeId: PrincipalLike; readonly publicKeyDer: Uint8Array }>;
}

/** Shard size of `/canister_ranges/<subnet_id>/…`, as in the replica (MAX_RANGES_PER_ROUTING_TABLE_LEAF). */
export const MAX_RANGES_PER_SHARD = 5;

/** Label of the single shard of a subnet without ranges: canister id 0 (CanisterId::from_u64(0)). */
const EMPTY_RANGES_LABEL = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 1, 1);

export function principalBytes(principal: PrincipalLike): Uint8Array {
    return principal instanceof Uint8Array ? principal : principal.toUint8Array();
}

/** `#6.55799([* principal bytes])`, the value at `/canister/<id>/controllers`. */
export function encodeControllers(controllers: readonly PrincipalLike[]): Uint8Array {
    return encodeWithSelfDescribedTag(controllers.map(principalBytes).sort(compareLabels));
}

/** `#6.55799([* [start end]])`, the value at `/subnet/<id>/canister_ranges` and of each shard. */
export function encodeCanisterRanges(ranges: readonly CanisterRange[]): Uint8Array {
    return encodeWithSelfDescribedTag(ranges.map(({ start, end }) => [principalBytes(start), principalBytes(end)]));
}

/**
 * Keeps the hashed subtree of each canister and request-status record between builds, keyed by the
 * record object. Only sound for records that are never mutated once passed in: to change one, pass
 * a new object. A rebuild then hashes only new records and the forks joining the entries.
 */
export class StateTreeCache {
    readonly #subtrees = new WeakMap<object, HashTree>();

    subtree(record: object, build: () => LabeledTree): LabeledTree {
        let tree = this.#subtrees.get(record);
        if (!tree) {
            tree = labeledTreeToHashTree(build());
            this.#subtrees.set(record, tree);
        }
        return labeledHashTree(tree);
    }
}

export function buildStateTree(input: StateTreeInput, cache?: StateTreeCache): LabeledTree {
    const subnets = [...(input.subnets ?? [])];
    const cached = <T extends object>(record: T, build: (record: T) => LabeledTree): LabeledTree =>
        cache ? cache.subtree(record, () => build(record)) : build(record);
    const canisters = Array.from(
        input.canisters ?? [],
        (canister) => [principalBytes(canister.canisterId), cached(canister, canisterSubtree)] as const
    );
    const requests = Array.from(
        input.requestStatuses ?? [],
        (request) => [request.requestId, cached(request, requestStatusSubtree)] as const
    );
    return labeledSubtree([
        ['canister', labeledSubtree(canisters)],
        ['canister_ranges', labeledSubtree(subnets.map(shardedRangesEntry))],
        ['request_status', labeledSubtree(requests)],
        ['subnet', labeledSubtree(subnets.map(subnetEntry))],
        ['time', labeledLeaf(encodeUnsignedLeb128(input.timeNanos))]
    ]);
}

/** The full hash tree of the state, ready for `new CertifiedState(tree, secretKey)`. */
export function buildStateHashTree(input: StateTreeInput, cache?: StateTreeCache): HashTree {
    return labeledTreeToHashTree(buildStateTree(input, cache));
}

function canisterSubtree(canister: CanisterStateInput): LabeledTree {
    const children: [string, LabeledTree][] = [['controllers', labeledLeaf(encodeControllers(canister.controllers))]];
    if (canister.moduleHash) {
        const metadata = Array.from(canister.metadata ?? [], ([name, content]) => [name, labeledLeaf(content)] as const);
        children.push(
            ['certified_data', labeledLeaf(canister.certifiedData ?? new Uint8Array())],
            ['metadata', labeledSubtree(metadata)],
            ['module_hash', labeledLeaf(canister.moduleHash)]
        );
    }
    return labeledSubtree(children);
}

function requestStatusSubtree(request: RequestStatusInput): LabeledTree {
    const children: [string, LabeledTree][] = [['status', labeledLeaf(request.status)]];
    if (request.status === 'replied') {
        children.push(['reply', labeledLeaf(request.reply)]);
    } else if (request.status === 'rejected') {
        children.push(
            ['reject_code', labeledLeaf(encodeUnsignedLeb128(request.rejectCode))],
            ['reject_message', labeledLeaf(request.rejectMessage)]
        );
        if (request.errorCode !== undefined) children.push(['error_code', labeledLeaf(request.errorCode)]);
    }
    return labeledSubtree(children);
}

function subnetEntry(subnet: SubnetStateInput): readonly [Uint8Array, LabeledTree] {
    const children: [string, LabeledTree][] = [
        ['canister_ranges', labeledLeaf(encodeCanisterRanges(sortedRanges(subnet.canisterRanges)))],
        ['public_key', labeledLeaf(subnet.publicKeyDer)]
    ];
    if (subnet.nodes) {
        const nodes = Array.from(
            subnet.nodes,
            ({ nodeId, publicKeyDer }) =>
                [principalBytes(nodeId), labeledSubtree([['public_key', labeledLeaf(publicKeyDer)]])] as const
        );
        children.push(['node', labeledSubtree(nodes)]);
    }
    return [principalBytes(subnet.subnetId), labeledSubtree(children)];
}

/** `/canister_ranges/<subnet_id>/<first canister id of shard>`: the v3 API's sharded ranges. */
function shardedRangesEntry(subnet: SubnetStateInput): readonly [Uint8Array, LabeledTree] {
    const ranges = sortedRanges(subnet.canisterRanges);
    const shards: (readonly [Uint8Array, LabeledTree])[] = [];
    for (let i = 0; i < ranges.length; i += MAX_RANGES_PER_SHARD) {
        const shard = ranges.slice(i, i + MAX_RANGES_PER_SHARD);
        shards.push([principalBytes(shard[0]!.start), labeledLeaf(encodeCanisterRanges(shard))]);
    }
    if (shards.length === 0) shards.push([EMPTY_RANGES_LABEL, labeledLeaf(encodeCanisterRanges([]))]);
    return [principalBytes(subnet.subnetId), labeledSubtree(shards)];
}

function sortedRanges(ranges: readonly CanisterRange[]): CanisterRange[] {
    return [...ranges].sort((a, b) => compareLabels(principalBytes(a.start), principalBytes(b.start)));
}
