import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils';
import { lookup_path, LookupPathStatus, reconstruct as agentReconstruct, type HashTree as AgentHashTree } from '@icp-sdk/core/agent';
import {
    empty,
    fork,
    isWellFormed,
    labeled,
    leaf,
    lookupPath,
    lookupSubtree,
    pruned,
    reconstruct,
    type HashTree
} from '../../src/certification/hashTree';
import { decodeHashTree, encodeHashTree } from '../../src/certification/hashTreeCbor';
import { witness } from '../../src/certification/witness';

// The worked example of the interface specification ("Certification" → "Example").
const specTree: HashTree = fork(
    fork(labeled('a', fork(fork(labeled('x', leaf('hello')), empty()), labeled('y', leaf('world')))), labeled('b', leaf('good'))),
    fork(labeled('c', empty()), labeled('d', leaf('morning')))
);
const SPEC_TREE_CBOR =
    '8301830183024161830183018302417882034568656c6c6f810083024179820345776f726c6483024162820344676f6f648301830241638100830241648203476d6f726e696e67';
const SPEC_ROOT_HASH = 'eb5c5b2195e62d996b84c9bcc8259d19a83786a2f59e0878cec84c811f669aa0';
const SPEC_PRUNED_CBOR =
    '83018301830241618301820458201b4feff9bef8131788b0c9dc6dbad6e81e524249c879e9f10f71ce3749f5a63883024179820345776f726c6483024162820458207b32ac0c6ba8ce35ac82c255fc7906f7fc130dab2a090f80fe12f9c2cae83ba6830182045820ec8324b8a1f1ac16bd2e806edba78006479c9877fed4eb464a25485465af601d830241648203476d6f726e696e67';

const text = (value: string): Uint8Array => utf8ToBytes(value);

describe('hash tree (spec example)', () => {
    it('encodes to the CBOR and root hash the spec gives', () => {
        expect(bytesToHex(encodeHashTree(specTree, { selfDescribe: false }))).toBe(SPEC_TREE_CBOR);
        expect(bytesToHex(reconstruct(specTree))).toBe(SPEC_ROOT_HASH);
    });

    it('prunes to exactly the spec witness for /a/y, /ax, /d', () => {
        const pruned = witness(specTree, [['a', 'y'], ['ax'], ['d']]);
        expect(bytesToHex(encodeHashTree(pruned, { selfDescribe: false }))).toBe(SPEC_PRUNED_CBOR);
        expect(bytesToHex(reconstruct(pruned))).toBe(SPEC_ROOT_HASH);
    });

    it('looks up the pruned tree as the spec table says', () => {
        const pruned = witness(specTree, [['a', 'y'], ['ax'], ['d']]);
        expect(lookupPath(pruned, ['a', 'a'])).toEqual({ status: 'unknown' });
        expect(lookupPath(pruned, ['a', 'y'])).toEqual({ status: 'found', value: text('world') });
        expect(lookupPath(pruned, ['aa'])).toEqual({ status: 'absent' });
        expect(lookupPath(pruned, ['ax'])).toEqual({ status: 'absent' });
        expect(lookupPath(pruned, ['b'])).toEqual({ status: 'unknown' });
        expect(lookupPath(pruned, ['bb'])).toEqual({ status: 'unknown' });
        expect(lookupPath(pruned, ['d'])).toEqual({ status: 'found', value: text('morning') });
        expect(lookupPath(pruned, ['e'])).toEqual({ status: 'absent' });
    });

    it('looks up the full tree, including errors and empty subtrees', () => {
        expect(lookupPath(specTree, ['a', 'x'])).toEqual({ status: 'found', value: text('hello') });
        expect(lookupPath(specTree, ['c'])).toEqual({ status: 'absent' });
        expect(lookupPath(specTree, ['c', 'z'])).toEqual({ status: 'absent' });
        expect(lookupPath(specTree, ['a'])).toEqual({ status: 'error' });
        expect(lookupPath(specTree, ['d', 'z'])).toEqual({ status: 'absent' });
        expect(lookupPath(specTree, [])).toEqual({ status: 'error' });
        const a = lookupSubtree(specTree, ['a']);
        expect(a.status).toBe('found');
    });

    it('agrees with the agent (@icp-sdk/core) on digests and lookups', async () => {
        const decoded = decodeHashTree(encodeHashTree(specTree));
        expect(bytesToHex(await agentReconstruct(decoded as unknown as AgentHashTree))).toBe(SPEC_ROOT_HASH);
        const agentTree = witness(specTree, [['a', 'y'], ['d']]) as unknown as AgentHashTree;
        expect(lookup_path(['d'], agentTree)).toEqual({ status: LookupPathStatus.Found, value: text('morning') });
        expect(lookup_path(['a', 'x'], agentTree).status).toBe(LookupPathStatus.Unknown);
    });

    it('checks well-formedness', () => {
        expect(isWellFormed(specTree)).toBe(true);
        expect(isWellFormed(fork(labeled('b', leaf('1')), labeled('a', leaf('2'))))).toBe(false);
        expect(isWellFormed(fork(labeled('a', leaf('1')), labeled('a', leaf('2'))))).toBe(false);
        expect(isWellFormed(fork(labeled('a', leaf('1')), leaf('2')))).toBe(false);
        expect(isWellFormed(labeled('a', fork(labeled('z', empty()), labeled('y', empty()))))).toBe(false);
    });

    it('rejects malformed CBOR trees and pruned nodes of the wrong size', () => {
        expect(() => pruned(new Uint8Array(31))).toThrow();
        expect(() => decodeHashTree(hexToBytes('820458200000'))).toThrow();
        expect(() => decodeHashTree(hexToBytes('8105'))).toThrow();
    });
});
