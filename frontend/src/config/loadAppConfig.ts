/** Fetches and checks `/ic-config.json` (served next to the app by the asset canister or `npm run dev`). */
import { BUILD_NETWORK } from './buildNetwork';
import { CONFIG_PATH, ConfigError, parseAppConfig, type AppConfig } from './appConfig';

export async function loadAppConfig(): Promise<AppConfig> {
    let response: Response;
    try {
        response = await fetch(CONFIG_PATH, { cache: 'no-store' });
    } catch (error) {
        throw new ConfigError(`cannot fetch ${CONFIG_PATH}: ${(error as Error).message}`);
    }
    if (!response.ok) throw new ConfigError(`${CONFIG_PATH} answered ${response.status}: the deployment must serve it (see the frontend README)`);
    let raw: unknown;
    try {
        raw = await response.json();
    } catch {
        throw new ConfigError(`${CONFIG_PATH} is not JSON`);
    }
    return parseAppConfig(raw, BUILD_NETWORK);
}
