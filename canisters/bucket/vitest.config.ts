import { defineProject } from 'vitest/config';

export default defineProject({
    test: {
        name: 'bucket',
        include: ['test/**/*.test.ts'],
        globalSetup: ['test/support/buildBucket.ts'],
        testTimeout: 600_000,
        hookTimeout: 900_000
    }
});
