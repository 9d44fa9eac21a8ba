/** Vitest global setup: builds the Azle test canisters (cached by input hash) before any suite runs. */
import { buildAzleCanister } from '../../src/azleBuild';
import { TEST_CANISTERS, testCanisterBuild } from './testCanisters';

export default async function setup(): Promise<void> {
    await Promise.all(TEST_CANISTERS.map((canister) => buildAzleCanister(testCanisterBuild(canister))));
}
