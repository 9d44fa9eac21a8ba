/**
 * The DER SubjectPublicKeyInfo forms in which agents send user public keys (interface spec
 * "Signatures"): Ed25519 (RFC 8410), ECDSA on secp256k1 and P-256 (RFC 5480, id-ecPublicKey plus
 * the curve OID), and IC canister signatures (OID 1.3.6.1.4.1.56387.1.2, the key being
 * `|canister id| · canister id · seed`). WebAuthn (COSE-wrapped) and RSA keys are recognised so that
 * they can be refused with a clear message.
 */
import { Principal } from '@icp-sdk/core/principal';
import { ed25519 } from '@noble/curves/ed25519';
import { p256 } from '@noble/curves/nist';
import { secp256k1 } from '@noble/curves/secp256k1';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils';

export type UserPublicKey =
    | { readonly algorithm: 'Ed25519'; readonly raw: Uint8Array }
    | { readonly algorithm: 'EcdsaSecp256k1' | 'EcdsaP256'; readonly raw: Uint8Array }
    | { readonly algorithm: 'IcCanisterSignature'; readonly raw: Uint8Array; readonly canisterId: Principal; readonly seed: Uint8Array };

/** Why a key cannot be used, phrased like the replica's CryptoError. */
export class MalformedPublicKeyError extends Error {
    override name = 'MalformedPublicKeyError';
}

const OID = {
    ed25519: '2b6570',
    ecPublicKey: '2a8648ce3d0201',
    secp256k1: '2b8104000a',
    prime256v1: '2a8648ce3d030107',
    cose: '2b0601040183b8430101',
    canisterSignature: '2b0601040183b8430102',
    rsa: '2a864886f70d010101'
} as const;

const TAG = { sequence: 0x30, bitString: 0x03, oid: 0x06, null: 0x05 } as const;

export function parseUserPublicKey(der: Uint8Array): UserPublicKey {
    const malformed = (reason: string) => new MalformedPublicKeyError(`Malformed public key: ${bytesToHex(der)}, error: ${reason}`);
    let spki: { algorithm: string; parameter: string | undefined; key: Uint8Array };
    try {
        spki = readSubjectPublicKeyInfo(der);
    } catch (error) {
        throw malformed(`not a DER SubjectPublicKeyInfo (${(error as Error).message})`);
    }
    const { algorithm, parameter, key } = spki;
    switch (algorithm) {
        case OID.ed25519:
            if (key.length !== 32) throw malformed('an Ed25519 key has 32 bytes');
            return { algorithm: 'Ed25519', raw: checkedPoint('Ed25519', key, (k) => ed25519.Point.fromHex(k)) };
        case OID.ecPublicKey:
            if (parameter === OID.secp256k1) {
                return { algorithm: 'EcdsaSecp256k1', raw: checkedPoint('EcdsaSecp256k1', key, (k) => secp256k1.Point.fromHex(k)) };
            }
            if (parameter === OID.prime256v1) {
                return { algorithm: 'EcdsaP256', raw: checkedPoint('EcdsaP256', key, (k) => p256.Point.fromHex(k)) };
            }
            throw malformed(`unsupported elliptic curve ${parameter ?? '(none)'}`);
        case OID.canisterSignature: {
            const idLength = key[0];
            if (idLength === undefined || key.length < 1 + idLength || idLength > 29) throw malformed('canister signature key without a canister id');
            return {
                algorithm: 'IcCanisterSignature',
                raw: key,
                canisterId: Principal.fromUint8Array(key.slice(1, 1 + idLength)),
                seed: key.slice(1 + idLength)
            };
        }
        case OID.cose:
            throw malformed('WebAuthn (COSE) keys are not supported by localnet');
        case OID.rsa:
            throw malformed('RSA signatures are not allowed except in webauthn context');
        default:
            throw malformed(`unknown algorithm identifier ${algorithm}`);
    }
}

function checkedPoint(algorithm: string, key: Uint8Array, decode: (key: Uint8Array) => unknown): Uint8Array {
    try {
        decode(key);
        return key;
    } catch (error) {
        throw new MalformedPublicKeyError(`Malformed ${algorithm} public key: ${bytesToHex(key)}, error: ${(error as Error).message}`);
    }
}

function readSubjectPublicKeyInfo(der: Uint8Array): { algorithm: string; parameter: string | undefined; key: Uint8Array } {
    const outer = new DerReader(der);
    const spki = new DerReader(outer.read(TAG.sequence));
    outer.end();
    const algorithmIdentifier = new DerReader(spki.read(TAG.sequence));
    const algorithm = bytesToHex(algorithmIdentifier.read(TAG.oid));
    let parameter: string | undefined;
    if (!algorithmIdentifier.done()) {
        const next = algorithmIdentifier.peekTag();
        if (next === TAG.oid) parameter = bytesToHex(algorithmIdentifier.read(TAG.oid));
        else algorithmIdentifier.read(TAG.null);
    }
    algorithmIdentifier.end();
    const bitString = spki.read(TAG.bitString);
    spki.end();
    if (bitString[0] !== 0) throw new Error('the key bit string has unused bits');
    return { algorithm, parameter, key: bitString.subarray(1) };
}

/** Just enough DER: definite-length TLVs with single-byte tags. */
class DerReader {
    #offset = 0;
    constructor(private readonly bytes: Uint8Array) {}

    done(): boolean {
        return this.#offset >= this.bytes.length;
    }

    end(): void {
        if (!this.done()) throw new Error('trailing bytes');
    }

    peekTag(): number | undefined {
        return this.bytes[this.#offset];
    }

    read(tag: number): Uint8Array {
        if (this.bytes[this.#offset] !== tag) throw new Error(`expected tag 0x${tag.toString(16)}`);
        let length = this.bytes[this.#offset + 1];
        let start = this.#offset + 2;
        if (length === undefined) throw new Error('truncated');
        if (length & 0x80) {
            const count = length & 0x7f;
            if (count === 0 || count > 3) throw new Error('unsupported length');
            length = 0;
            for (let i = 0; i < count; i++) {
                const byte = this.bytes[start + i];
                if (byte === undefined) throw new Error('truncated');
                length = length * 256 + byte;
            }
            start += count;
        }
        const end = start + length;
        if (end > this.bytes.length) throw new Error('truncated');
        this.#offset = end;
        return this.bytes.subarray(start, end);
    }
}

/** DER of an IC canister-signature public key (what Internet Identity users sign with). */
export function canisterSignaturePublicKeyDer(canisterId: Principal, seed: Uint8Array): Uint8Array {
    const id = canisterId.toUint8Array();
    const key = Uint8Array.of(id.length, ...id, ...seed);
    const algorithm = hexToBytes(`300c060a${OID.canisterSignature}`);
    const bitString = derTlv(TAG.bitString, Uint8Array.of(0, ...key));
    return derTlv(TAG.sequence, Uint8Array.of(...algorithm, ...bitString));
}

function derTlv(tag: number, content: Uint8Array): Uint8Array {
    const length = content.length;
    const header =
        length < 0x80 ? [tag, length] : length < 0x100 ? [tag, 0x81, length] : [tag, 0x82, length >> 8, length & 0xff];
    return Uint8Array.of(...header, ...content);
}
