/**
 * Verification of user signatures (interface spec "Signatures", "Authentication"): Ed25519 over the
 * message itself; ECDSA (secp256k1, P-256) over SHA-256 of the message, as 64 bytes r‖s;
 * canister signatures via canisterSignature.ts. Failures are described in the replica's words
 * ("Ed25519 signature could not be verified: public key …, signature …, error: …").
 */
import { ed25519 } from '@noble/curves/ed25519';
import { p256 } from '@noble/curves/nist';
import { secp256k1 } from '@noble/curves/secp256k1';
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, concatBytes } from '@noble/hashes/utils';
import { domainSeparator } from '../certification/hashTree';
import { verifyCanisterSignature } from './canisterSignature';
import type { UserPublicKey } from './derKeys';
import { hashOfMap } from './requestId';

export const REQUEST_SEPARATOR = domainSeparator('ic-request');
export const DELEGATION_SEPARATOR = domainSeparator('ic-request-auth-delegation');
export const RESPONSE_SEPARATOR = domainSeparator('ic-response');

/** What the sender signs: `"\x0Aic-request" · request_id`. */
export function requestSigningMessage(requestId: Uint8Array): Uint8Array {
    return concatBytes(REQUEST_SEPARATOR, requestId);
}

/** What a delegation's signer signs: `"\x1Aic-request-auth-delegation" · hash_of_map(delegation)`. */
export function delegationSigningMessage(delegation: Readonly<Record<string, unknown>>): Uint8Array {
    return concatBytes(DELEGATION_SEPARATOR, hashOfMap(delegation));
}

export interface SignatureContext {
    /** DER root key of the instance, for canister signatures. */
    readonly rootKey: Uint8Array;
}

/** Undefined when `signature` is `key`'s signature of `message`, else the replica's description of the failure. */
export function signatureFailure(key: UserPublicKey, message: Uint8Array, signature: Uint8Array, context: SignatureContext): string | undefined {
    switch (key.algorithm) {
        case 'Ed25519': {
            if (signature.length !== 64) return malformedSignature(key.algorithm, signature);
            const valid = safely(() => ed25519.verify(signature, message, key.raw));
            return valid ? undefined : verificationFailed(key.algorithm, key.raw, signature, 'A signature was invalid');
        }
        case 'EcdsaSecp256k1':
        case 'EcdsaP256': {
            if (signature.length !== 64) return malformedSignature(key.algorithm, signature);
            const curve = key.algorithm === 'EcdsaP256' ? p256 : secp256k1;
            // Agents' WebCrypto P-256 signatures are not normalised to low S, so both halves verify.
            const valid = safely(() => curve.verify(signature, sha256(message), key.raw, { prehash: false, lowS: false, format: 'compact' }));
            return valid ? undefined : verificationFailed(key.algorithm, key.raw, signature, 'verification failed');
        }
        case 'IcCanisterSignature': {
            const failure = verifyCanisterSignature(key, message, signature, context.rootKey);
            return failure === undefined ? undefined : `IcCanisterSignature signature could not be verified: public key ${bytesToHex(key.raw)}, signature ${bytesToHex(signature)}, error: ${failure}`;
        }
    }
}

function safely(verify: () => boolean): boolean {
    try {
        return verify();
    } catch {
        return false;
    }
}

function malformedSignature(algorithm: string, signature: Uint8Array): string {
    return `Malformed ${algorithm} signature: [${bytesToHex(signature)}] error: 'Invalid length'`;
}

function verificationFailed(algorithm: string, key: Uint8Array, signature: Uint8Array, reason: string): string {
    return `${algorithm} signature could not be verified: public key ${bytesToHex(key)}, signature ${bytesToHex(signature)}, error: ${reason}`;
}
