/**
 * Test support other packages use (`@icp-private-assets/auth/testing`): the whole system on
 * localnet and the canister builds it needs.
 */
export * from './authSystem';
export { authBuildRequest, bucketBuildRequest, authWasm, bucketWasm } from '../../scripts/canisterBuilds';
export { default as buildCanisters } from './buildCanisters';
