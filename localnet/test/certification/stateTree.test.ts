import { describe, expect, it } from 'vitest';
import { decode } from '@dfinity/cbor';
import { Principal } from '@icp-sdk/core/principal';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils';
import { isWellFormed, lookupPath, lookupSubtree, NodeTag, reconstruct, type HashTree } from '../../src/certification/hashTree';
import { decodeUnsignedLeb128, encodeUnsignedLeb128 } from '../../src/leb128';
import {
    buildStateHashTree,
    encodeCanisterRanges,
    encodeControllers,
    StateTreeCache,
    type CanisterRange
} from '../../src/certification/stateTree';

const canister = (index: number): Principal =>
    Principal.fromUint8Array(Uint8Array.of(0, 0, 0, 0, 0, 0, 0, index, 1, 1));
const anonymous = Principal.anonymous();
const user = Principal.fromText('2vxsx-fae'); // also anonymous, textual form

describe('state tree values', () => {
    it('encodes naturals as unsigned LEB128', () => {
        expect(bytesToHex(encodeUnsignedLeb128(0))).toBe('00');
        expect(bytesToHex(encodeUnsignedLeb128(127))).toBe('7f');
        expect(bytesToHex(encodeUnsignedLeb128(624485))).toBe('e58e26');
        const time = 1_700_000_000_123_456_789n;
        expect(decodeUnsignedLeb128(encodeUnsignedLeb128(time))).toBe(time);
        expect(() => encodeUnsignedLeb128(-1n)).toThrow();
    });

    it('encodes controllers as a self-described CBOR array of principal bytes, sorted', () => {
        const bytes = encodeControllers([canister(2), anonymous]);
        // tag 55799, array(2), bytes(10) 00…, bytes(1) 04: bytewise order, as the replica's BTreeSet.
        expect(bytesToHex(bytes)).toBe('d9d9f782' + '4a' + '00000000000000020101' + '4104');
        expect(decode(bytes)).toEqual([canister(2).toUint8Array(), Uint8Array.of(4)]);
        expect(bytesToHex(encodeControllers([]))).toBe('d9d9f780');
        expect(user.toUint8Array()).toEqual(anonymous.toUint8Array());
    });

    it('encodes canister ranges as a self-described CBOR array of [start, end] pairs', () => {
        const ranges: CanisterRange[] = [{ start: canister(1), end: canister(2) }];
        expect(bytesToHex(encodeCanisterRanges(ranges))).toBe(
            'd9d9f781' + '82' + '4a00000000000000010101' + '4a00000000000000020101'
        );
    });
});

describe('state tree shape', () => {
    const subnetId = Principal.fromText('2fq7c-slacv-26cgz-vzbx2-2jrcs-5edph-i5s2j-tck77-c3rlz-iobzx-mqe');
    const requestReplied = new Uint8Array(32).fill(1);
    const requestRejected = new Uint8Array(32).fill(2);
    const requestProcessing = new Uint8Array(32).fill(3);
    const tree = buildStateHashTree({
        timeNanos: 1_700_000_000_000_000_000n,
        canisters: [
            {
                canisterId: canister(1),
                controllers: [anonymous],
                moduleHash: new Uint8Array(32).fill(0xaa),
                certifiedData: Uint8Array.of(1, 2, 3),
                metadata: [['candid:service', utf8ToBytes('service : {}')]]
            },
            { canisterId: canister(2), controllers: [canister(1)], certifiedData: Uint8Array.of(9) }
        ],
        requestStatuses: [
            { requestId: requestReplied, status: 'replied', reply: utf8ToBytes('DIDL\x00\x00') },
            {
                requestId: requestRejected,
                status: 'rejected',
                rejectCode: 5,
                rejectMessage: 'trapped',
                errorCode: 'IC0503'
            },
            { requestId: requestProcessing, status: 'processing' }
        ],
        subnets: [
            {
                subnetId,
                publicKeyDer: Uint8Array.of(0x30, 0x00),
                canisterRanges: Array.from({ length: 6 }, (_, i) => ({ start: canister(20 - 2 * i), end: canister(21 - 2 * i) })),
                nodes: [{ nodeId: canister(99), publicKeyDer: Uint8Array.of(0x30, 0x2a) }]
            }
        ]
    });
    const found = (path: (string | Uint8Array)[]): Uint8Array => {
        const result = lookupPath(tree, path);
        if (result.status !== 'found') throw new Error(`${path.join('/')} is ${result.status}`);
        return result.value;
    };

    it('is well-formed', () => {
        expect(isWellFormed(tree)).toBe(true);
    });

    it('has time as LEB128 nanoseconds', () => {
        expect(decodeUnsignedLeb128(found(['time']))).toBe(1_700_000_000_000_000_000n);
    });

    it('shows module_hash, certified_data, metadata and controllers of an installed canister', () => {
        const id = canister(1).toUint8Array();
        expect(found(['canister', id, 'module_hash'])).toEqual(new Uint8Array(32).fill(0xaa));
        expect(found(['canister', id, 'certified_data'])).toEqual(Uint8Array.of(1, 2, 3));
        expect(found(['canister', id, 'controllers'])).toEqual(encodeControllers([anonymous]));
        expect(found(['canister', id, 'metadata', 'candid:service'])).toEqual(utf8ToBytes('service : {}'));
        expect(lookupPath(tree, ['canister', id, 'metadata', 'missing']).status).toBe('absent');
    });

    it('shows only controllers of an empty canister, as the replica does', () => {
        const id = canister(2).toUint8Array();
        expect(found(['canister', id, 'controllers'])).toEqual(encodeControllers([canister(1)]));
        for (const label of ['module_hash', 'certified_data', 'metadata']) {
            expect(lookupPath(tree, ['canister', id, label]).status).toBe('absent');
        }
        expect(lookupPath(tree, ['canister', canister(3).toUint8Array(), 'controllers']).status).toBe('absent');
    });

    it('has request statuses with reply, reject code/message/error code', () => {
        expect(found(['request_status', requestReplied, 'status'])).toEqual(utf8ToBytes('replied'));
        expect(found(['request_status', requestReplied, 'reply'])).toEqual(utf8ToBytes('DIDL\x00\x00'));
        expect(lookupPath(tree, ['request_status', requestReplied, 'reject_code']).status).toBe('absent');
        expect(found(['request_status', requestRejected, 'status'])).toEqual(utf8ToBytes('rejected'));
        expect(decodeUnsignedLeb128(found(['request_status', requestRejected, 'reject_code']))).toBe(5n);
        expect(found(['request_status', requestRejected, 'reject_message'])).toEqual(utf8ToBytes('trapped'));
        expect(found(['request_status', requestRejected, 'error_code'])).toEqual(utf8ToBytes('IC0503'));
        expect(found(['request_status', requestProcessing, 'status'])).toEqual(utf8ToBytes('processing'));
        expect(lookupPath(tree, ['request_status', requestProcessing, 'reply']).status).toBe('absent');
    });

    it('has subnet key, sorted ranges, node keys and sharded /canister_ranges', () => {
        const id = subnetId.toUint8Array();
        expect(found(['subnet', id, 'public_key'])).toEqual(Uint8Array.of(0x30, 0x00));
        const ranges = decode(found(['subnet', id, 'canister_ranges'])) as Uint8Array[][];
        expect(ranges.map(([start]) => start![7])).toEqual([10, 12, 14, 16, 18, 20]);
        expect(found(['subnet', id, 'node', canister(99).toUint8Array(), 'public_key'])).toEqual(Uint8Array.of(0x30, 0x2a));
        // Six ranges make two shards (five per shard), labelled by their first canister id.
        const shards = lookupSubtree(tree, ['canister_ranges', id]);
        expect(shards.status).toBe('found');
        const first = decode(found(['canister_ranges', id, canister(10).toUint8Array()])) as unknown[];
        const second = decode(found(['canister_ranges', id, canister(20).toUint8Array()])) as unknown[];
        expect([first.length, second.length]).toEqual([5, 1]);
    });

    it('labels a subnet without ranges by canister id 0 with an empty shard', () => {
        const id = hexToBytes('01');
        const empty = buildStateHashTree({ timeNanos: 0n, subnets: [{ subnetId: id, publicKeyDer: Uint8Array.of(1), canisterRanges: [] }] });
        const shard = lookupPath(empty, ['canister_ranges', id, hexToBytes('00000000000000000101')]);
        expect(shard).toEqual({ status: 'found', value: hexToBytes('d9d9f780') });
        expect(lookupPath(empty, ['canister', canister(1).toUint8Array()]).status).toBe('absent');
        expect(lookupSubtree(empty, ['request_status'])).toEqual({ status: 'found', subtree: [NodeTag.Empty] });
    });
});

describe('state tree cache', () => {
    const requests = Array.from({ length: 50 }, (_, i) => ({
        requestId: new Uint8Array(32).fill(i),
        status: 'replied' as const,
        reply: Uint8Array.of(i)
    }));
    const canisters = [{ canisterId: canister(1), controllers: [], moduleHash: new Uint8Array(32), certifiedData: Uint8Array.of(1) }];

    it('gives the same tree as an uncached build and reuses unchanged records', () => {
        const cache = new StateTreeCache();
        const input = { timeNanos: 5n, canisters, requestStatuses: requests };
        const first = buildStateHashTree(input, cache);
        expect(reconstruct(first)).toEqual(reconstruct(buildStateHashTree(input)));
        const second = buildStateHashTree({ ...input, timeNanos: 6n }, cache);
        const subtree = (tree: HashTree) => lookupSubtree(tree, ['request_status', requests[7]!.requestId]);
        expect(subtree(second)).toEqual(subtree(first));
        expect((subtree(second) as { subtree: HashTree }).subtree).toBe((subtree(first) as { subtree: HashTree }).subtree);
    });

    it('picks up a replaced record (records must be replaced, not mutated)', () => {
        const cache = new StateTreeCache();
        const before = buildStateHashTree({ timeNanos: 5n, canisters }, cache);
        const updated = [{ ...canisters[0]!, certifiedData: Uint8Array.of(2) }];
        const after = buildStateHashTree({ timeNanos: 5n, canisters: updated }, cache);
        const path = ['canister', canister(1).toUint8Array(), 'certified_data'];
        expect(lookupPath(before, path)).toEqual({ status: 'found', value: Uint8Array.of(1) });
        expect(lookupPath(after, path)).toEqual({ status: 'found', value: Uint8Array.of(2) });
    });
});
