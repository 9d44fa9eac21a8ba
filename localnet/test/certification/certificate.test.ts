import { describe, expect, it } from 'vitest';
import { Certificate, lookupResultToBuffer, LookupPathStatus } from '@icp-sdk/core/agent';
import { decode, encodeWithSelfDescribedTag } from '@dfinity/cbor';
import { Principal } from '@icp-sdk/core/principal';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import {
    createCertificate,
    decodeCertificate,
    encodeCertificate,
    stateRootMessage
} from '../../src/certification/certificate';
import { CertifiedState } from '../../src/certification/certifiedState';
import { createSubnetDelegation } from '../../src/certification/delegation';
import { NodeTag, lookupPath, reconstruct, type HashTree } from '../../src/certification/hashTree';
import { decodeUnsignedLeb128, encodeUnsignedLeb128 } from '../../src/leb128';
import { blsKeyPairFromSeed, blsVerify, type BlsKeyPair } from '../../src/certification/rootKey';
import { buildStateHashTree, type StateTreeInput } from '../../src/certification/stateTree';

const rootKeys = blsKeyPairFromSeed(new Uint8Array(32).fill(1));
const subnetKeys = blsKeyPairFromSeed(new Uint8Array(32).fill(2));
const otherKeys = blsKeyPairFromSeed(new Uint8Array(32).fill(3));

const canisterId = Principal.fromText('rrkah-fqaaa-aaaaa-aaaaq-cai'); // canister 1
const otherCanisterId = Principal.fromText('ryjl3-tyaaa-aaaaa-aaaba-cai'); // canister 2
const rootSubnetId = Principal.fromText('tdb26-jop6k-aogll-7ltgs-eruif-6kk7m-qpktf-gdiqx-mxtrf-vb5e6-eqe');
const appSubnetId = Principal.fromText('2fq7c-slacv-26cgz-vzbx2-2jrcs-5edph-i5s2j-tck77-c3rlz-iobzx-mqe');

const certifiedData = utf8ToBytes('certified data of canister 1').slice(0, 32);

const nowNanos = (): bigint => BigInt(Date.now()) * 1_000_000n;

function stateInput(keys: BlsKeyPair, subnetId: Principal, timeNanos = nowNanos()): StateTreeInput {
    return {
        timeNanos,
        canisters: [
            { canisterId, controllers: [], moduleHash: new Uint8Array(32).fill(9), certifiedData },
            { canisterId: otherCanisterId, controllers: [], moduleHash: new Uint8Array(32).fill(8) }
        ],
        requestStatuses: [{ requestId: new Uint8Array(32).fill(5), status: 'replied', reply: utf8ToBytes('DIDL') }],
        subnets: [
            {
                subnetId,
                publicKeyDer: keys.publicKeyDer,
                canisterRanges: [{ start: Principal.fromUint8Array(new Uint8Array(10).fill(0)), end: otherCanisterId }]
            }
        ]
    };
}

async function verify(certificate: Uint8Array, rootKey: Uint8Array, forCanister = canisterId): Promise<Certificate> {
    return Certificate.create({ certificate, rootKey, principal: { canisterId: forCanister } });
}

/** Re-encodes a certificate after `change` rewrote its decoded content. */
function tamper(certificate: Uint8Array, change: (content: Record<string, unknown>) => void): Uint8Array {
    const content = decode(certificate) as Record<string, unknown>;
    change(content);
    return encodeWithSelfDescribedTag(content);
}

/** The same tree with its leftmost leaf replaced. */
function replaceLeaf(tree: HashTree, value: Uint8Array): HashTree {
    switch (tree[0]) {
        case NodeTag.Leaf:
            return [NodeTag.Leaf, value];
        case NodeTag.Labeled:
            return [NodeTag.Labeled, tree[1], replaceLeaf(tree[2], value)];
        case NodeTag.Fork: {
            const left = replaceLeaf(tree[1], value);
            return left !== tree[1] ? [NodeTag.Fork, left, tree[2]] : [NodeTag.Fork, tree[1], replaceLeaf(tree[2], value)];
        }
        default:
            return tree;
    }
}

describe('certificates verified by the agent (@icp-sdk/core)', () => {
    const state = new CertifiedState(buildStateHashTree(stateInput(rootKeys, rootSubnetId)), rootKeys.secretKey);

    it('accepts a data certificate and finds time and certified_data in it', async () => {
        const bytes = state.dataCertificate(canisterId.toUint8Array());
        expect(bytesToHex(bytes.slice(0, 3))).toBe('d9d9f7');
        const certificate = await verify(bytes, rootKeys.publicKeyDer);
        const data = lookupResultToBuffer(certificate.lookup_path(['canister', canisterId.toUint8Array(), 'certified_data']));
        expect(data).toEqual(certifiedData);
        const time = lookupResultToBuffer(certificate.lookup_path(['time']));
        expect(time).toBeDefined();
        expect(Number(decodeUnsignedLeb128(time!) / 1_000_000n)).toBeGreaterThan(Date.now() - 60_000);
    });

    it('reveals only /time and the canister’s certified_data in a data certificate', async () => {
        const { tree } = decodeCertificate(state.dataCertificate(canisterId.toUint8Array()));
        expect(reconstruct(tree)).toEqual(state.rootHash);
        const id = canisterId.toUint8Array();
        expect(lookupPath(tree, ['canister', id, 'module_hash']).status).toBe('unknown');
        expect(lookupPath(tree, ['canister', otherCanisterId.toUint8Array(), 'certified_data']).status).toBe('unknown');
        expect(lookupPath(tree, ['request_status', new Uint8Array(32).fill(5), 'reply']).status).toBe('unknown');
        expect(lookupPath(tree, ['subnet', rootSubnetId.toUint8Array(), 'public_key']).status).toBe('unknown');
        const leaves = JSON.stringify(tree, (_key, value: unknown) => (value instanceof Uint8Array ? bytesToHex(value) : value));
        expect(leaves).not.toContain(bytesToHex(utf8ToBytes('DIDL')));
    });

    it('serves read_state-style paths, including proofs of absence', async () => {
        const missingRequest = new Uint8Array(32).fill(6);
        const bytes = state.certificate([
            ['canister', canisterId.toUint8Array(), 'module_hash'],
            ['request_status', missingRequest]
        ]);
        const certificate = await verify(bytes, rootKeys.publicKeyDer);
        expect(lookupResultToBuffer(certificate.lookup_path(['canister', canisterId.toUint8Array(), 'module_hash']))).toEqual(
            new Uint8Array(32).fill(9)
        );
        expect(certificate.lookup_path(['request_status', missingRequest, 'status']).status).toBe(LookupPathStatus.Absent);
    });

    it('signs once per state', () => {
        expect(state.signature).toBe(state.signature);
        expect(blsVerify(rootKeys.publicKey, state.signature, stateRootMessage(state.rootHash))).toBe(true);
        expect(decodeCertificate(state.certificate([])).signature).toEqual(state.signature);
    });

    it('rejects a tampered tree', async () => {
        const bytes = state.dataCertificate(canisterId.toUint8Array());
        const { tree } = decodeCertificate(bytes);
        const forged = tamper(bytes, (content) => {
            content.tree = replaceLeaf(tree, encodeUnsignedLeb128(nowNanos() + 1n));
        });
        expect(decodeCertificate(forged).tree).not.toEqual(tree);
        await expect(verify(forged, rootKeys.publicKeyDer)).rejects.toThrow(/signature/i);
    });

    it('rejects a tampered signature', async () => {
        const bytes = state.dataCertificate(canisterId.toUint8Array());
        const otherSignature = new CertifiedState(state.tree, otherKeys.secretKey).signature;
        const forged = tamper(bytes, (content) => {
            content.signature = otherSignature;
        });
        await expect(verify(forged, rootKeys.publicKeyDer)).rejects.toThrow(/signature/i);
        const flipped = tamper(bytes, (content) => {
            const signature = new Uint8Array(content.signature as Uint8Array);
            signature[47] = signature[47]! ^ 1;
            content.signature = signature;
        });
        await expect(verify(flipped, rootKeys.publicKeyDer)).rejects.toThrow(/signature/i);
    });

    it('rejects a certificate checked against another root key', async () => {
        const bytes = state.dataCertificate(canisterId.toUint8Array());
        await expect(verify(bytes, otherKeys.publicKeyDer)).rejects.toThrow(/signature/i);
    });

    it('rejects a certificate older than the agent’s five-minute window', async () => {
        const old = new CertifiedState(
            buildStateHashTree(stateInput(rootKeys, rootSubnetId, nowNanos() - 3_600_000_000_000n)),
            rootKeys.secretKey
        );
        await expect(verify(old.dataCertificate(canisterId.toUint8Array()), rootKeys.publicKeyDer)).rejects.toThrow(/5 min/);
    });

    it('createCertificate signs a one-off tree the same way', async () => {
        const tree = state.tree;
        const bytes = createCertificate(tree, rootKeys.secretKey);
        await verify(bytes, rootKeys.publicKeyDer);
        expect(encodeCertificate({ tree, signature: state.signature })).toEqual(bytes);
    });
});

describe('subnet delegations', () => {
    // The root (NNS) subnet certifies the application subnet's key and ranges.
    const rootState = new CertifiedState(
        buildStateHashTree({
            timeNanos: nowNanos(),
            subnets: [
                { subnetId: rootSubnetId, publicKeyDer: rootKeys.publicKeyDer, canisterRanges: [] },
                {
                    subnetId: appSubnetId,
                    publicKeyDer: subnetKeys.publicKeyDer,
                    canisterRanges: [{ start: canisterId, end: canisterId }]
                }
            ]
        }),
        rootKeys.secretKey
    );
    const delegation = createSubnetDelegation(rootState, appSubnetId.toUint8Array());
    const subnetState = new CertifiedState(
        buildStateHashTree(stateInput(subnetKeys, appSubnetId)),
        subnetKeys.secretKey,
        delegation
    );

    it('verifies a certificate signed by the subnet key against the root key', async () => {
        const bytes = subnetState.dataCertificate(canisterId.toUint8Array());
        const certificate = await verify(bytes, rootKeys.publicKeyDer);
        expect(lookupResultToBuffer(certificate.lookup_path(['canister', canisterId.toUint8Array(), 'certified_data']))).toEqual(
            certifiedData
        );
        const decoded = decode(bytes) as { delegation: { subnet_id: Uint8Array; certificate: Uint8Array } };
        expect(decoded.delegation.subnet_id).toEqual(appSubnetId.toUint8Array());
    });

    it('delegation reveals the subnet key and both forms of its canister ranges, nothing else', () => {
        const { tree, delegation: nested } = decodeCertificate(delegation.certificate);
        expect(nested).toBeUndefined();
        const id = appSubnetId.toUint8Array();
        expect(lookupPath(tree, ['subnet', id, 'public_key'])).toEqual({ status: 'found', value: subnetKeys.publicKeyDer });
        const ranges = lookupPath(tree, ['subnet', id, 'canister_ranges']);
        expect(ranges.status).toBe('found');
        const decodedRanges = decode((ranges as { value: Uint8Array }).value);
        expect(decodedRanges).toEqual([[canisterId.toUint8Array(), canisterId.toUint8Array()]]);
        expect(lookupPath(tree, ['canister_ranges', id, canisterId.toUint8Array()]).status).toBe('found');
        expect(lookupPath(tree, ['subnet', rootSubnetId.toUint8Array(), 'public_key']).status).toBe('unknown');
    });

    it('rejects the delegated certificate for a canister outside the subnet’s ranges', async () => {
        const bytes = subnetState.dataCertificate(otherCanisterId.toUint8Array());
        await expect(verify(bytes, rootKeys.publicKeyDer, otherCanisterId)).rejects.toThrow(/delegation/i);
    });

    it('rejects the delegated certificate against a wrong root key', async () => {
        const bytes = subnetState.dataCertificate(canisterId.toUint8Array());
        await expect(verify(bytes, subnetKeys.publicKeyDer)).rejects.toThrow(/signature/i);
    });

    it('rejects a certificate signed by another key than the delegated one', async () => {
        const impostor = new CertifiedState(subnetState.tree, otherKeys.secretKey, delegation);
        await expect(verify(impostor.dataCertificate(canisterId.toUint8Array()), rootKeys.publicKeyDer)).rejects.toThrow(/signature/i);
    });

    it('refuses to delegate from a delegated state or for an unknown subnet', () => {
        expect(() => createSubnetDelegation(subnetState, appSubnetId.toUint8Array())).toThrow();
        expect(() => createSubnetDelegation(rootState, otherCanisterId.toUint8Array())).toThrow();
    });
});
