/** Vitest global setup: the CLI suites drive real auth and bucket canisters. */
export { buildCanisters as default } from '@icp-private-assets/auth/testing';
