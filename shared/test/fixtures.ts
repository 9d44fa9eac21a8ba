/** Keys, principals and claims shared by the unit and property tests. */
import { Principal } from '@dfinity/principal';
import { deriveBucketKey, Keyring, type MintClaims, type VerifyRequest } from '../src/index';

export const MASTER = Uint8Array.from({ length: 32 }, (_, i) => i * 7 + 1);
export const BUCKET_A = 'ryjl3-tyaaa-aaaaa-aaaba-cai';
export const BUCKET_B = 'r7inp-6aaaa-aaaaa-aaabq-cai';
export const USER = Principal.selfAuthenticating(Uint8Array.from({ length: 44 }, (_, i) => i)).toText();
export const MEMORY = 'mem_0123456789abcdef';
export const NOW = 1_800_000_000;

export const keyA = deriveBucketKey(MASTER, 'k1', BUCKET_A);
export const keyB = deriveBucketKey(MASTER, 'k1', BUCKET_B);
export const ringA = Keyring.from([{ kid: 'k1', secret: keyA, state: 'active' }]);
export const ringB = Keyring.from([{ kid: 'k1', secret: keyB, state: 'active' }]);

export function readClaims(overrides: Partial<MintClaims> = {}): MintClaims {
    return {
        purpose: 'read',
        aud: BUCKET_A,
        sub: USER,
        scope: { memoryId: MEMORY, variants: ['thumbnail', 'preview'] },
        iat: NOW,
        exp: NOW + 180,
        nonce: new Uint8Array(12).fill(9),
        ...overrides
    };
}

export const readThumbnail: VerifyRequest = {
    purpose: 'read',
    audience: BUCKET_A,
    memoryId: MEMORY,
    variant: 'thumbnail'
};
