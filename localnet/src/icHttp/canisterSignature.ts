/**
 * Canister signatures (interface spec "Canister signatures"), the scheme Internet Identity users sign
 * with: the signature is CBOR `{certificate, tree}`; the certificate (signed by the root key, or by
 * a subnet key the root key delegated to a subnet hosting the canister) must show
 * `/canister/<id>/certified_data` = reconstruct(tree), and `tree` must contain the leaf
 * `/sig/<sha256(seed)>/<sha256(message)>` = "".
 */
import { decode } from '@dfinity/cbor';
import { Principal } from '@icp-sdk/core/principal';
import { sha256 } from '@noble/hashes/sha2';
import { blsPublicKeyFromDer } from '../certification/blsDer';
import { decodeCertificate, stateRootMessage, type CertificateContent } from '../certification/certificate';
import { compareLabels, flattenForks, labelsEqual, lookupPath, lookupSubtree, NodeTag, reconstruct, type HashTree } from '../certification/hashTree';
import { hashTreeFromCborValue } from '../certification/hashTreeCbor';
import { blsVerify } from '../certification/rootKey';
import type { UserPublicKey } from './derKeys';
import { isPlainMap } from './requestId';

type CanisterSignatureKey = Extract<UserPublicKey, { algorithm: 'IcCanisterSignature' }>;

/** Undefined when valid, else why not. */
export function verifyCanisterSignature(key: CanisterSignatureKey, message: Uint8Array, signature: Uint8Array, rootKeyDer: Uint8Array): string | undefined {
    let certificate: CertificateContent;
    let tree: HashTree;
    try {
        const value = decode(signature) as unknown;
        if (!isPlainMap(value) || !(value.certificate instanceof Uint8Array)) throw new Error('expected a map with a certificate');
        tree = hashTreeFromCborValue(value.tree);
        certificate = decodeCertificate(value.certificate);
    } catch (error) {
        return `malformed signature: ${(error as Error).message}`;
    }
    const subnetKey = signingKey(certificate, key.canisterId, rootKeyDer);
    if (typeof subnetKey === 'string') return subnetKey;
    if (!blsVerify(subnetKey, certificate.signature, stateRootMessage(reconstruct(certificate.tree)))) {
        return 'certificate verification failed: invalid BLS signature';
    }
    const certifiedData = lookupPath(certificate.tree, ['canister', key.canisterId.toUint8Array(), 'certified_data']);
    if (certifiedData.status !== 'found' || !labelsEqual(certifiedData.value, reconstruct(tree))) {
        return 'certified data does not match the signature tree';
    }
    const leaf = lookupPath(tree, ['sig', sha256(key.seed), sha256(message)]);
    if (leaf.status !== 'found' || leaf.value.length !== 0) return 'the signature tree does not sign this message';
    return undefined;
}

/** The raw BLS key that signed `certificate`: the root key, or the delegated subnet's key. */
function signingKey(certificate: CertificateContent, canisterId: Principal, rootKeyDer: Uint8Array): Uint8Array | string {
    const rootKey = blsPublicKeyFromDer(rootKeyDer);
    const delegation = certificate.delegation;
    if (!delegation) return rootKey;
    let delegated: CertificateContent;
    try {
        delegated = decodeCertificate(delegation.certificate);
    } catch (error) {
        return `malformed delegation: ${(error as Error).message}`;
    }
    if (delegated.delegation) return 'a delegation certificate must not carry a delegation';
    if (!blsVerify(rootKey, delegated.signature, stateRootMessage(reconstruct(delegated.tree)))) {
        return 'delegation certificate verification failed: invalid BLS signature';
    }
    if (!subnetHostsCanister(delegated.tree, delegation.subnetId, canisterId)) {
        return `subnet ${Principal.fromUint8Array(delegation.subnetId).toText()} is not authorized to sign for canister ${canisterId.toText()}`;
    }
    const subnetKey = lookupPath(delegated.tree, ['subnet', delegation.subnetId, 'public_key']);
    if (subnetKey.status !== 'found') return 'the delegation does not reveal the subnet public key';
    try {
        return blsPublicKeyFromDer(subnetKey.value);
    } catch (error) {
        return (error as Error).message;
    }
}

function subnetHostsCanister(tree: HashTree, subnetId: Uint8Array, canisterId: Principal): boolean {
    const encodings: Uint8Array[] = [];
    const flat = lookupPath(tree, ['subnet', subnetId, 'canister_ranges']);
    if (flat.status === 'found') encodings.push(flat.value);
    const shards = lookupSubtree(tree, ['canister_ranges', subnetId]);
    if (shards.status === 'found') {
        for (const node of flattenForks(shards.subtree)) {
            if (node[0] === NodeTag.Labeled && node[2][0] === NodeTag.Leaf) encodings.push(node[2][1]);
        }
    }
    const id = canisterId.toUint8Array();
    return encodings.some((encoded) => {
        try {
            const ranges = decode(encoded) as unknown;
            return (
                Array.isArray(ranges) &&
                ranges.some(
                    (range) =>
                        Array.isArray(range) &&
                        range[0] instanceof Uint8Array &&
                        range[1] instanceof Uint8Array &&
                        compareLabels(range[0], id) <= 0 &&
                        compareLabels(id, range[1]) <= 0
                )
            );
        } catch {
            return false;
        }
    });
}
