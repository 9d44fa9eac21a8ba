import { defineProject } from 'vitest/config';

export default defineProject({
    test: {
        name: 'localnet',
        include: ['test/**/*.test.ts'],
        globalSetup: ['test/support/buildTestCanisters.ts'],
        // Canister builds and wasm execution are slow compared with unit tests.
        testTimeout: 120_000,
        hookTimeout: 300_000
    }
});
