/** Builds the auth canister (`npm run build -w canisters/auth`); cached by source hash. */
import { buildAzleCanister } from '@icp-private-assets/localnet';
import { authBuildRequest } from './canisterBuilds';

const result = await buildAzleCanister(authBuildRequest);
console.log(`${result.cached ? 'cached' : 'built'}: ${result.wasmPath}`);
