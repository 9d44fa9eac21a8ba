/** Where the bucket wasm comes from: `azle build bucket` at the repository root, cached by input hash. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AzleBuildRequest } from '@icp-private-assets/localnet';

export const REPOSITORY_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

export const bucketBuildRequest: AzleBuildRequest = {
    dfxRoot: REPOSITORY_ROOT,
    canister: 'bucket',
    sources: ['canisters/bucket/src', 'shared/src']
};

export function bucketWasm(): Uint8Array {
    return new Uint8Array(readFileSync(`${REPOSITORY_ROOT}.azle/bucket/bucket.wasm`));
}
