/**
 * The mainnet export (NEXT_PUBLIC_IC_NETWORK=ic) has no dev sign-in: not on screen, not in any file.
 * The local export, built from the same sources, has it (so the check would see it).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { exportDir } from '../../build/staticExport';
import { DEV_IDENTITY_SEED_LABEL } from '../../src/session/devIdentitySeed';
import { startFrontendServer } from '../../../scripts/src/frontendServer';
import { deployment, launchChromium } from '../support/browserHarness';

function filesUnder(folder: string): string[] {
    return readdirSync(folder).flatMap((entry) => {
        const path = join(folder, entry);
        return statSync(path).isDirectory() ? filesUnder(path) : [path];
    });
}

const containing = (folder: string, text: string) => filesUnder(folder).filter((file) => readFileSync(file).includes(text));

let browser: Browser;
beforeAll(async () => {
    browser = await launchChromium();
});
afterAll(async () => browser?.close());

describe('the mainnet build', () => {
    it('contains no dev identity code or seed; the local build does', () => {
        for (const marker of [DEV_IDENTITY_SEED_LABEL, 'sign in as a dev identity']) {
            expect(containing(exportDir('ic'), marker)).toEqual([]);
            expect(containing(exportDir('local'), marker).length).toBeGreaterThan(0);
        }
    });

    it('offers Internet Identity and no dev sign-in, and refuses a configuration for another network', async () => {
        const dev = deployment();
        for (const [network, expected] of [
            ['ic', 'Sign in with Internet Identity'],
            ['local', 'this build is for the ic network but the configuration is for local']
        ] as const) {
            const server = await startFrontendServer({ root: exportDir('ic'), port: 0, config: { network, host: dev.url, authCanisterId: dev.auth } });
            const page = await browser.newPage();
            try {
                await page.goto(server.url);
                await page.getByText(expected).waitFor();
                expect(await page.locator('[data-dev-identity]').count()).toBe(0);
            } finally {
                await page.close();
                await server.close();
            }
        }
    });
});
