/**
 * Mint and verify throughput in Node (`npm run bench -w shared`). A script, not a test: figures
 * depend on the machine; record them in shared/README.md with the machine they came from.
 */
import { cpus } from 'node:os';
import { createTokenSigner, deriveBucketKey, Keyring, mintToken, randomNonce, verifyToken, type MintClaims } from '../src/index';

const BUCKET = 'ryjl3-tyaaa-aaaaa-aaaba-cai';
const USER = '2vxsx-fae';
const master = new Uint8Array(32).fill(42);
const key = deriveBucketKey(master, 'k1', BUCKET);
const ring = Keyring.from([{ kid: 'k1', secret: key, state: 'active' }]);
const now = 1_800_000_000;
const claims: MintClaims = {
    purpose: 'read',
    aud: BUCKET,
    sub: USER,
    scope: { memoryId: 'm_8f14e45fceea167a5a36dedd4bea2543', variants: ['thumbnail', 'preview', 'original'] },
    iat: now,
    exp: now + 180,
    nonce: randomNonce()
};
const request = { purpose: 'read' as const, audience: BUCKET, memoryId: claims.scope.memoryId, variant: 'preview' as const };

function measure(label: string, run: () => void, durationMs = 2000): void {
    for (let i = 0; i < 2000; i++) run(); // warm-up for the JIT
    const samples: number[] = [];
    const end = performance.now() + durationMs;
    let count = 0;
    while (performance.now() < end) {
        const batchStart = performance.now();
        for (let i = 0; i < 500; i++) run();
        samples.push((performance.now() - batchStart) / 500);
        count += 500;
    }
    samples.sort((a, b) => a - b);
    const median = samples[Math.floor(samples.length / 2)]!;
    console.log(`${label.padEnd(28)} ${Math.round(1000 / median).toLocaleString('en-US').padStart(9)} ops/s  (median ${(median * 1000).toFixed(1)} µs/op, ${count.toLocaleString('en-US')} ops)`);
}

const token = mintToken(claims, { kid: 'k1', secret: key });
console.log(`node ${process.version}, ${cpus()[0]?.model ?? 'unknown cpu'}; token length ${token.length}`);
measure('mintToken', () => void mintToken(claims, { kid: 'k1', secret: key }));
const signer = createTokenSigner({ kid: 'k1', secret: key });
measure('createTokenSigner (keyed)', () => void signer(claims));
measure('verifyToken (valid)', () => {
    if (!verifyToken(token, ring, request, now).ok) throw new Error('bench token did not verify');
});
measure('verifyToken (bad MAC)', () => void verifyToken(token.slice(0, -2) + 'AA', ring, request, now));
measure('verifyToken (malformed)', () => void verifyToken('%%%', ring, request, now));
