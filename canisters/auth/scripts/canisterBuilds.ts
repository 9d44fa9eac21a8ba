/**
 * The two canisters' `azle build` requests and their wasm (built at the repository root, cached by
 * input hash): for the suites, the benchmark and `npm run dev` (`@icp-private-assets/auth/builds`).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AzleBuildRequest } from '@icp-private-assets/localnet';

export const REPOSITORY_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export const authBuildRequest: AzleBuildRequest = { dfxRoot: REPOSITORY_ROOT, canister: 'auth', sources: ['canisters/auth/src', 'shared/src'] };
export const bucketBuildRequest: AzleBuildRequest = { dfxRoot: REPOSITORY_ROOT, canister: 'bucket', sources: ['canisters/bucket/src', 'shared/src'] };

export const authWasm = (): Uint8Array => new Uint8Array(readFileSync(`${REPOSITORY_ROOT}.azle/auth/auth.wasm`));
export const bucketWasm = (): Uint8Array => new Uint8Array(readFileSync(`${REPOSITORY_ROOT}.azle/bucket/bucket.wasm`));
