/**
 * A real browser for tests against localnet: Debian's chromium (scripts/install-chromium.sh) driven by
 * playwright-core, with the flags these machines need (see ../shared/ENVIRONMENT.md).
 */
import { execFileSync } from 'node:child_process';
import { chromium, type Browser } from 'playwright-core';

function chromiumPath(): string {
    try {
        return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
    } catch {
        throw new Error('no chromium on PATH: run `bash scripts/install-chromium.sh` (the README test command does)');
    }
}

export function launchChromium(): Promise<Browser> {
    return chromium.launch({
        executablePath: chromiumPath(),
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync']
    });
}
