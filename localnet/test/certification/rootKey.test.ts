import { describe, expect, it } from 'vitest';
import { BLS12_381_G2_OID, blsVerify as agentBlsVerify, unwrapDER, wrapDER } from '@icp-sdk/core/agent';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import {
    BLS_PUBLIC_KEY_DER_PREFIX,
    blsPublicKeyFromDer,
    blsPublicKeyToDer
} from '../../src/certification/blsDer';
import {
    BLS_SIGNATURE_LENGTH,
    blsKeyPairFromSeed,
    blsSign,
    blsVerify,
    generateBlsKeyPair
} from '../../src/certification/rootKey';

const seed = (byte: number): Uint8Array => new Uint8Array(32).fill(byte);

describe('BLS root key', () => {
    it('uses the DER prefix the agent (@icp-sdk/core) checks, with the IC BLS OIDs', () => {
        expect(bytesToHex(BLS_PUBLIC_KEY_DER_PREFIX)).toBe(
            '308182301d060d2b0601040182dc7c0503010201060c2b0601040182dc7c05030201036100'
        );
        const { publicKey, publicKeyDer } = blsKeyPairFromSeed(seed(1));
        expect(publicKeyDer).toEqual(wrapDER(publicKey, BLS12_381_G2_OID));
        expect(unwrapDER(publicKeyDer, BLS12_381_G2_OID)).toEqual(publicKey);
        expect(blsPublicKeyFromDer(blsPublicKeyToDer(publicKey))).toEqual(publicKey);
        expect(() => blsPublicKeyFromDer(publicKey)).toThrow();
    });

    it('derives the same key pair from the same seed and different ones otherwise', () => {
        const a = blsKeyPairFromSeed(seed(7));
        expect(blsKeyPairFromSeed(seed(7))).toEqual(a);
        expect(blsKeyPairFromSeed(seed(8)).publicKey).not.toEqual(a.publicKey);
        expect(generateBlsKeyPair().publicKey).not.toEqual(generateBlsKeyPair().publicKey);
        expect(a.secretKey).toHaveLength(32);
        expect(a.publicKey).toHaveLength(96);
        expect(a.publicKeyDer).toHaveLength(133);
    });

    it('signs in G1 (48 bytes) so that the agent’s verifier accepts it, and only for that message and key', async () => {
        const keys = generateBlsKeyPair();
        const message = utf8ToBytes('\x0Dic-state-root some root hash');
        const signature = blsSign(keys.secretKey, message);
        expect(signature).toHaveLength(BLS_SIGNATURE_LENGTH);
        expect(blsVerify(keys.publicKey, signature, message)).toBe(true);
        expect(await agentBlsVerify(keys.publicKey, signature, message)).toBe(true);
        expect(await agentBlsVerify(keys.publicKey, signature, utf8ToBytes('another message'))).toBe(false);
        expect(await agentBlsVerify(generateBlsKeyPair().publicKey, signature, message)).toBe(false);
        expect(blsVerify(keys.publicKey, signature.slice(1), message)).toBe(false);
    });

    it('signs deterministically (BLS has no nonce)', () => {
        const keys = blsKeyPairFromSeed(seed(3));
        const message = utf8ToBytes('m');
        expect(bytesToHex(blsSign(keys.secretKey, message))).toBe(bytesToHex(blsSign(keys.secretKey, message)));
    });
});
