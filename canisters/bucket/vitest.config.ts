import { defineProject } from 'vitest/config';

/**
 * The bucket canister built with azle and run on localnet (test/localnet): what crosses the Candid
 * boundary, canisters and the HTTP gateway. The pure modules' tests are the 'bucket-unit' project
 * (vitest.unit.config.ts), which does not wait for the build.
 */
export default defineProject({
    test: {
        name: 'bucket',
        include: ['test/localnet/**/*.test.ts'],
        globalSetup: ['test/support/buildBucket.ts'],
        // A scenario starts a network and installs canisters in beforeAll; single tests take seconds.
        testTimeout: 120_000,
        hookTimeout: 300_000
    }
});
