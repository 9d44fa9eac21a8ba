import { defineProject } from 'vitest/config';

/** The auth canister's pure modules in Node: no canister build, no network. */
export default defineProject({
    test: {
        name: 'auth-unit',
        include: ['test/*.test.ts'],
        // Property tests run hundreds of cases.
        testTimeout: 30_000
    }
});
