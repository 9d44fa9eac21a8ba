import { defineConfig } from 'vitest/config';

// One root `npm test` runs every package's suite; each package keeps its own config.
export default defineConfig({
    test: {
        projects: [
            'shared',
            'localnet',
            'canisters/bucket/vitest.unit.config.ts',
            'canisters/auth/vitest.unit.config.ts',
            'canisters/bucket',
            'canisters/auth',
            'scripts',
            'frontend/vitest.config.ts',
            'frontend/vitest.browser.config.ts'
        ]
    }
});
