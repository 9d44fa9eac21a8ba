/** The Azle test canisters under test/canisters, built once per run by the global setup. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { AzleBuildRequest } from '../../src/azleBuild';

export const TEST_CANISTERS_ROOT = fileURLToPath(new URL('../canisters', import.meta.url));
export const TEST_CANISTERS = ['counter', 'pingpong', 'http'] as const;
export type TestCanister = (typeof TEST_CANISTERS)[number];

/** Code a canister imports from outside its folder: it must rebuild when that changes. */
const EXTRA_SOURCES: Partial<Record<string, string[]>> = {
    http: [fileURLToPath(new URL('../../../shared/src', import.meta.url)), fileURLToPath(new URL('../../src/gateway/httpInterfaceIdl.ts', import.meta.url))]
};

/** The build of a canister in test/canisters (also `hello`, which only the benchmark uses). */
export function testCanisterBuild(canister: TestCanister | 'hello'): AzleBuildRequest {
    return { dfxRoot: TEST_CANISTERS_ROOT, canister, sources: [join(TEST_CANISTERS_ROOT, canister), ...(EXTRA_SOURCES[canister] ?? [])] };
}

export function testCanisterWasm(name: TestCanister): Uint8Array {
    return new Uint8Array(readFileSync(join(TEST_CANISTERS_ROOT, '.azle', name, `${name}.wasm`)));
}
