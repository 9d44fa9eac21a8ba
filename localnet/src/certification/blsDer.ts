/**
 * DER form of IC BLS12-381 public keys (spec "Delegation": RFC 5480 SubjectPublicKeyInfo with
 * algorithm OID 1.3.6.1.4.1.44668.5.3.1.2.1 and curve OID 1.3.6.1.4.1.44668.5.3.2.1). The IC and
 * every verifier treat it as a fixed 37-byte prefix followed by the 96-byte key; this is the same
 * prefix as @dfinity/agent 3.4.3 (`DER_PREFIX` in lib/esm/certificate.js, `BLS12_381_G2_OID` in
 * der.js) and ic-response-verification (`DER_PREFIX` in common_validation.rs).
 */
import { concatBytes, hexToBytes } from '@noble/hashes/utils';

export const BLS_PUBLIC_KEY_LENGTH = 96;

export const BLS_PUBLIC_KEY_DER_PREFIX = hexToBytes(
    '3081' + '82' + // SEQUENCE, 130 bytes
        '301d' + // SEQUENCE, 29 bytes (AlgorithmIdentifier)
        '060d' + '2b0601040182dc7c0503010201' + // OID 1.3.6.1.4.1.44668.5.3.1.2.1 (BLS signature)
        '060c' + '2b0601040182dc7c05030201' + // OID 1.3.6.1.4.1.44668.5.3.2.1 (BLS12-381 G2)
        '0361' + '00' // BIT STRING, 97 bytes, no unused bits
);

export function blsPublicKeyToDer(publicKey: Uint8Array): Uint8Array {
    if (publicKey.length !== BLS_PUBLIC_KEY_LENGTH) {
        throw new Error(`a BLS12-381 G2 public key has ${BLS_PUBLIC_KEY_LENGTH} bytes, got ${publicKey.length}`);
    }
    return concatBytes(BLS_PUBLIC_KEY_DER_PREFIX, publicKey);
}

export function blsPublicKeyFromDer(der: Uint8Array): Uint8Array {
    const prefix = BLS_PUBLIC_KEY_DER_PREFIX;
    const matches =
        der.length === prefix.length + BLS_PUBLIC_KEY_LENGTH && prefix.every((byte, index) => der[index] === byte);
    if (!matches) throw new Error('not a DER-encoded IC BLS12-381 public key');
    return der.slice(prefix.length);
}
