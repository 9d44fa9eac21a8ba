/**
 * BLS12-381 keys as the IC uses them for state certification: the "min-sig" scheme, signatures
 * in G1 (48 bytes compressed), public keys in G2 (96 bytes compressed), hash-to-curve with the
 * ciphersuite the spec names. One key pair per instance (the root key), plus one per additional
 * subnet when certificates carry delegations.
 */
import { bls12_381 } from '@noble/curves/bls12-381';
import { mapHashToField } from '@noble/curves/abstract/modular';
import { hkdf } from '@noble/hashes/hkdf';
import { sha256 } from '@noble/hashes/sha2';
import { utf8ToBytes } from '@noble/hashes/utils';
import { blsPublicKeyToDer } from './blsDer';

export const BLS_SIGNATURE_DST = 'BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_';
export const BLS_SIGNATURE_LENGTH = 48;

const { shortSignatures } = bls12_381;

export interface BlsKeyPair {
    /** 32-byte big-endian scalar. */
    readonly secretKey: Uint8Array;
    /** 96-byte compressed G2 point. */
    readonly publicKey: Uint8Array;
    /** The public key in the IC's DER form: what `/api/v2/status` reports as `root_key`. */
    readonly publicKeyDer: Uint8Array;
}

export function generateBlsKeyPair(): BlsKeyPair {
    // Uniform over the scalar field, drawn from crypto.getRandomValues.
    return blsKeyPairFromSecretKey(bls12_381.utils.randomSecretKey());
}

/** The same seed always gives the same key pair: for reproducible tests and fixed-key instances. */
export function blsKeyPairFromSeed(seed: Uint8Array): BlsKeyPair {
    if (seed.length < 32) throw new Error('a BLS key seed needs at least 32 bytes');
    // 48 bytes of HKDF output reduce to a scalar with negligible bias (FIPS 186-5 A.4.1 style).
    const material = hkdf(sha256, seed, undefined, utf8ToBytes('localnet BLS12-381 state certification key'), 48);
    return blsKeyPairFromSecretKey(mapHashToField(material, bls12_381.fields.Fr.ORDER));
}

export function blsKeyPairFromSecretKey(secretKey: Uint8Array): BlsKeyPair {
    const publicKey = shortSignatures.getPublicKey(secretKey).toBytes(true);
    return { secretKey, publicKey, publicKeyDer: blsPublicKeyToDer(publicKey) };
}

/** Signature over `message` (the caller adds any domain separator). */
export function blsSign(secretKey: Uint8Array, message: Uint8Array): Uint8Array {
    const point = shortSignatures.sign(shortSignatures.hash(message, BLS_SIGNATURE_DST), secretKey);
    return shortSignatures.Signature.toBytes(point);
}

export function blsVerify(publicKey: Uint8Array, signature: Uint8Array, message: Uint8Array): boolean {
    try {
        return shortSignatures.verify(signature, shortSignatures.hash(message, BLS_SIGNATURE_DST), publicKey);
    } catch {
        return false;
    }
}
