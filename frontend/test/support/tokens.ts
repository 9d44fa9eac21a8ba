/** Real tokens for unit tests (shared's signer), so lifetimes are read as in production. */
import { createTokenSigner, type Variant } from '@icp-private-assets/shared';

const BUCKET = 'ryjl3-tyaaa-aaaaa-aaaba-cai';
const sign = createTokenSigner({ kid: 'k1', secret: new Uint8Array(32).fill(7) });
let nonce = 0;

export function testToken(memoryId: string, variants: readonly Variant[], iatSeconds: number, lifetimeSeconds: number): string {
    nonce += 1;
    return sign({
        purpose: 'read',
        aud: BUCKET,
        scope: { memoryId, variants: [...variants] },
        iat: iatSeconds,
        exp: iatSeconds + lifetimeSeconds,
        nonce: new Uint8Array(12).fill(nonce % 256)
    });
}

export const TEST_BUCKET = BUCKET;
