import { defineProject } from 'vitest/config';

// The app in real Chromium against `npm run dev` (localnet, canisters built with azle, seeded
// gallery, the static export). One network for every file; files run one after another because
// some change the auth canister's config or rotate its keys.
export default defineProject({
    test: {
        name: 'frontend-browser',
        include: ['test/browser/**/*.test.ts'],
        globalSetup: ['test/browser/globalSetup.ts'],
        fileParallelism: false,
        testTimeout: 300_000,
        hookTimeout: 900_000
    }
});
