/** Vitest global setup: builds the bucket canister once before the integration suites. */
import { buildAzleCanister } from '@icp-private-assets/localnet';
import { bucketBuildRequest } from './bucketBuild';

export default async function setup(): Promise<void> {
    await buildAzleCanister(bucketBuildRequest);
}
