/** Builds the bucket canister (`npm run build -w canisters/bucket`); cached by source hash. */
import { buildAzleCanister } from '@icp-private-assets/localnet';
import { bucketBuildRequest } from '../test/support/bucketBuild';

const result = await buildAzleCanister(bucketBuildRequest);
console.log(`${result.cached ? 'cached' : 'built'}: ${result.wasmPath}`);
