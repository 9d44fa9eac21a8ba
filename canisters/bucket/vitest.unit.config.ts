import { defineProject } from 'vitest/config';

/** The bucket canister's pure modules in Node: no canister build, no network. */
export default defineProject({
    test: {
        name: 'bucket-unit',
        include: ['test/*.test.ts'],
        // Property tests run hundreds of cases.
        testTimeout: 30_000
    }
});
