import { defineProject } from 'vitest/config';

// Unit and property tests of the pure modules, in Node with fake time (no browser, no network).
export default defineProject({
    test: {
        name: 'frontend',
        include: ['test/unit/**/*.test.ts'],
        environment: 'node'
    }
});
