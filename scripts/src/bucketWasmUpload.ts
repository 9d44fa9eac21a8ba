/** Hands the bucket wasm to the auth canister (1 MiB chunks), unless it already holds that module. */
import { createHash } from 'node:crypto';
import type { AuthService } from './authClient';
import { okOr } from './cliRunner';

export const WASM_CHUNK_BYTES = 1024 * 1024;

export async function uploadBucketWasm(auth: AuthService, wasm: Uint8Array, log: (line: string) => void): Promise<string> {
    const sha256 = createHash('sha256').update(wasm).digest();
    const hex = sha256.toString('hex');
    const current = okOr('fleet_status', await auth.fleet_status()).wasm[0];
    if (current && Buffer.from(current.sha256).toString('hex') === hex && ('ready' in current.state || 'verified' in current.state)) {
        log(`the auth canister already holds bucket wasm ${hex.slice(0, 12)}`);
        return hex;
    }
    okOr('begin_bucket_wasm', await auth.begin_bucket_wasm({ sha256: new Uint8Array(sha256), size: BigInt(wasm.length) }));
    const chunks = Math.ceil(wasm.length / WASM_CHUNK_BYTES);
    for (let i = 0; i < chunks; i++) {
        okOr('put_bucket_wasm_chunk', await auth.put_bucket_wasm_chunk({ index: i, bytes: wasm.subarray(i * WASM_CHUNK_BYTES, (i + 1) * WASM_CHUNK_BYTES) }));
        log(`bucket wasm ${hex.slice(0, 12)}: chunk ${i + 1}/${chunks}`);
    }
    okOr('commit_bucket_wasm', await auth.commit_bucket_wasm());
    return hex;
}
