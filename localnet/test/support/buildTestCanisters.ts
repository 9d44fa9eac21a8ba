/** Vitest global setup: builds the Azle test canisters (cached by input hash) before any suite runs. */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAzleCanister } from '../../src/azleBuild';
import { TEST_CANISTERS, TEST_CANISTERS_ROOT } from './testCanisters';

/** Canisters that import the shared library must rebuild when it changes. */
const EXTRA_SOURCES: Partial<Record<(typeof TEST_CANISTERS)[number], string[]>> = {
    http: [fileURLToPath(new URL('../../../shared/src', import.meta.url))]
};

export default async function setup(): Promise<void> {
    await Promise.all(
        TEST_CANISTERS.map((canister) =>
            buildAzleCanister({
                dfxRoot: TEST_CANISTERS_ROOT,
                canister,
                sources: [join(TEST_CANISTERS_ROOT, canister), ...(EXTRA_SOURCES[canister] ?? [])]
            })
        )
    );
}
