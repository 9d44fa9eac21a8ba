/** The Azle test canisters under test/canisters, built once per run by the global setup. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const TEST_CANISTERS_ROOT = fileURLToPath(new URL('../canisters', import.meta.url));
export const TEST_CANISTERS = ['counter', 'pingpong', 'http'] as const;
export type TestCanister = (typeof TEST_CANISTERS)[number];

export function testCanisterWasm(name: TestCanister): Uint8Array {
    return new Uint8Array(readFileSync(join(TEST_CANISTERS_ROOT, '.azle', name, `${name}.wasm`)));
}
