/** Vitest global setup: builds the auth and bucket canisters once (cached by input hash). */
import { buildAzleCanister } from '@icp-private-assets/localnet';
import { authBuildRequest, bucketBuildRequest } from '../../scripts/canisterBuilds';

export default async function setup(): Promise<void> {
    await Promise.all([buildAzleCanister(authBuildRequest), buildAzleCanister(bucketBuildRequest)]);
}
