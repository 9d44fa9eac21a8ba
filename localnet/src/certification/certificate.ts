/**
 * Certificates (spec "Certification" → "Certificate", "Delegation", "Encoding of certificates"):
 * CBOR with the self-describe tag, a map { tree, signature, delegation? } where the signature is
 * BLS over domain_sep("ic-state-root") · reconstruct(tree).
 */
import { decode, encodeWithSelfDescribedTag } from '@dfinity/cbor';
import { concatBytes } from '@noble/hashes/utils';
import { domainSeparator, reconstruct, type HashTree } from './hashTree';
import { hashTreeFromCborValue } from './hashTreeCbor';
import { blsSign } from './rootKey';

export interface CertificateDelegation {
    /** Principal bytes of the subnet whose key signed the certificate. */
    readonly subnetId: Uint8Array;
    /** CBOR certificate, signed by the root key, revealing `subnet/<subnetId>/public_key` and its ranges. */
    readonly certificate: Uint8Array;
}

export interface CertificateContent {
    readonly tree: HashTree;
    readonly signature: Uint8Array;
    readonly delegation?: CertificateDelegation;
}

const STATE_ROOT_SEPARATOR = domainSeparator('ic-state-root');

/** The signed message: `"\x0Dic-state-root" · rootHash`. */
export function stateRootMessage(rootHash: Uint8Array): Uint8Array {
    return concatBytes(STATE_ROOT_SEPARATOR, rootHash);
}

export function signStateRoot(secretKey: Uint8Array, rootHash: Uint8Array): Uint8Array {
    return blsSign(secretKey, stateRootMessage(rootHash));
}

export function encodeCertificate(content: CertificateContent): Uint8Array {
    const map: Record<string, unknown> = {
        tree: content.tree,
        signature: content.signature
    };
    if (content.delegation) {
        map.delegation = {
            subnet_id: content.delegation.subnetId,
            certificate: content.delegation.certificate
        };
    }
    return encodeWithSelfDescribedTag(map);
}

/** Signs `tree` with `secretKey` and encodes the certificate; fine for one-off certificates. */
export function createCertificate(
    tree: HashTree,
    secretKey: Uint8Array,
    delegation?: CertificateDelegation
): Uint8Array {
    return encodeCertificate({ tree, signature: signStateRoot(secretKey, reconstruct(tree)), delegation });
}

/** Parses (without verifying) a certificate, e.g. to inspect what a witness revealed. */
export function decodeCertificate(bytes: Uint8Array): CertificateContent {
    const value = decode(bytes) as unknown;
    if (typeof value !== 'object' || value === null) throw new Error('certificate is not a CBOR map');
    const { tree, signature, delegation } = value as Record<string, unknown>;
    if (!(signature instanceof Uint8Array)) throw new Error('certificate signature is not a byte string');
    const content = { tree: hashTreeFromCborValue(tree), signature };
    if (delegation === undefined) return content;
    const { subnet_id: subnetId, certificate } = (delegation ?? {}) as Record<string, unknown>;
    if (!(subnetId instanceof Uint8Array) || !(certificate instanceof Uint8Array)) {
        throw new Error('certificate delegation needs byte strings subnet_id and certificate');
    }
    return { ...content, delegation: { subnetId, certificate } };
}
