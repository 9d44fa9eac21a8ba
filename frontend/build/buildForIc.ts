/**
 * The mainnet build that dfx runs for the `frontend` asset canister (dfx.json): the `ic` export
 * (no dev sign-in in it) plus its `ic-config.json`, from the environment dfx sets:
 *
 *   CANISTER_ID_AUTH      the auth canister (dfx sets it when `auth` is in the project), or AUTH_CANISTER_ID
 *   II_URL                Internet Identity's authorize URL (default https://id.ai/authorize)
 *   IC_HOST               the API host (default https://icp-api.io)
 *   GALLERY_PAGE_SIZE     memories per gallery page (default 48)
 *
 *   npm run build:ic -w frontend
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFrontend } from './staticExport';
import { parseAppConfig } from '../src/config/appConfig';

export function icConfigFromEnvironment(env: Readonly<Record<string, string | undefined>>): Record<string, unknown> {
    const authCanisterId = env.CANISTER_ID_AUTH ?? env.AUTH_CANISTER_ID;
    if (!authCanisterId) throw new Error('set CANISTER_ID_AUTH (dfx does) or AUTH_CANISTER_ID to the auth canister id');
    const config: Record<string, unknown> = { network: 'ic', authCanisterId };
    if (env.IC_HOST) config.host = env.IC_HOST;
    if (env.II_URL) config.identityProvider = env.II_URL;
    if (env.GALLERY_PAGE_SIZE) config.galleryPageSize = Number(env.GALLERY_PAGE_SIZE);
    parseAppConfig(config, 'ic'); // refuse a bad value here rather than in every visitor's browser
    return config;
}

async function main(): Promise<void> {
    let config: Record<string, unknown>;
    try {
        config = icConfigFromEnvironment(process.env);
    } catch (error) {
        process.stderr.write(`build:ic: ${(error as Error).message}\n`);
        process.exitCode = 2;
        return;
    }
    const built = await buildFrontend('ic', (line) => process.stdout.write(`${line}\n`));
    writeFileSync(join(built.dir, 'ic-config.json'), `${JSON.stringify(config, null, 2)}\n`);
    process.stdout.write(`${built.dir} ready for the asset canister (ic-config.json: auth ${String(config.authCanisterId)})\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
