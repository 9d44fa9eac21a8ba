import { defineProject } from 'vitest/config';

export default defineProject({
    test: {
        name: 'scripts',
        include: ['test/**/*.test.ts'],
        globalSetup: ['test/support/buildCanisters.ts'],
        testTimeout: 600_000,
        hookTimeout: 900_000
    }
});
