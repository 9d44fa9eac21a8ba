/**
 * The run-time configuration of a deployment, read from `/ic-config.json` next to the app (see
 * README.md): which IC API host the agent talks to, the auth canister, the identity provider.
 * Bad values are refused here with a message saying which field and why, before any call.
 */
import { Principal } from '@icp-sdk/core/principal';
import type { IcNetwork } from '@icp-private-assets/shared';
import type { NetworkKind } from './buildNetwork';

export const CONFIG_PATH = '/ic-config.json';
export const DEFAULT_IC_HOST = 'https://icp-api.io';
export const DEFAULT_IDENTITY_PROVIDER = 'https://id.ai/authorize';
export const DEFAULT_GALLERY_PAGE_SIZE = 48;
/** `list_memories` and `mint_http_tokens` both take at most 100 ids. */
export const MAX_GALLERY_PAGE_SIZE = 100;

export interface AppConfig {
    readonly network: NetworkKind;
    /** The IC HTTP API the agent calls (`https://icp-api.io`, or localnet's URL). */
    readonly host: string;
    readonly authCanisterId: string;
    /** Internet Identity's authorize URL (mainnet sign-in). */
    readonly identityProvider: string;
    /** Where bucket hosts live, for `icAssetUrl`. */
    readonly assetNetwork: IcNetwork;
    readonly galleryPageSize: number;
    /** Asked of the auth canister for every read token; absent: the canister's default. */
    readonly tokenTtlSeconds?: number;
}

export class ConfigError extends Error {
    override name = 'ConfigError';
}

function field(raw: Record<string, unknown>, name: string): unknown {
    return Object.prototype.hasOwnProperty.call(raw, name) ? raw[name] : undefined;
}

function httpUrl(name: string, value: unknown): URL {
    if (typeof value !== 'string') throw new ConfigError(`${name} must be a URL string`);
    let url: URL;
    try {
        url = new URL(value);
    } catch {
        throw new ConfigError(`${name} is not a URL: ${JSON.stringify(value)}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`${name} must be http(s), not ${url.protocol}`);
    return url;
}

function integer(name: string, value: unknown, min: number, max: number): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
        throw new ConfigError(`${name} must be an integer from ${min} to ${max}, not ${JSON.stringify(value)}`);
    }
    return value;
}

/** Checks a parsed `ic-config.json` against the network this bundle was built for. */
export function parseAppConfig(raw: unknown, buildNetwork: NetworkKind): AppConfig {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError('the configuration must be a JSON object');
    const record = raw as Record<string, unknown>;
    const network = field(record, 'network');
    if (network !== 'local' && network !== 'ic') throw new ConfigError(`network must be "local" or "ic", not ${JSON.stringify(network)}`);
    if (network !== buildNetwork) {
        throw new ConfigError(`this build is for the ${buildNetwork} network but the configuration is for ${network}: rebuild with NEXT_PUBLIC_IC_NETWORK=${network}`);
    }
    const authCanisterId = field(record, 'authCanisterId');
    if (typeof authCanisterId !== 'string') throw new ConfigError('authCanisterId must be a canister id (text)');
    try {
        if (Principal.fromText(authCanisterId).toText() !== authCanisterId) throw new Error('not canonical');
    } catch {
        throw new ConfigError(`authCanisterId is not a canister id: ${JSON.stringify(authCanisterId)}`);
    }

    const hostValue = field(record, 'host') ?? (network === 'ic' ? DEFAULT_IC_HOST : undefined);
    if (hostValue === undefined) throw new ConfigError('host (the local network URL, e.g. http://127.0.0.1:4943) is required on the local network');
    const host = httpUrl('host', hostValue);
    let assetNetwork: IcNetwork;
    if (network === 'ic') {
        assetNetwork = { kind: 'ic' };
    } else {
        const port = Number(host.port || (host.protocol === 'https:' ? 443 : 80));
        // Bucket hosts are `<canister>.localhost:<port>`: browsers resolve *.localhost to this machine.
        assetNetwork = { kind: 'local', port };
    }
    const identityProvider = httpUrl('identityProvider', field(record, 'identityProvider') ?? DEFAULT_IDENTITY_PROVIDER).toString();
    const pageSize = field(record, 'galleryPageSize');
    const ttl = field(record, 'tokenTtlSeconds');
    return {
        network,
        host: host.origin,
        authCanisterId,
        identityProvider,
        assetNetwork,
        galleryPageSize: pageSize === undefined ? DEFAULT_GALLERY_PAGE_SIZE : integer('galleryPageSize', pageSize, 1, MAX_GALLERY_PAGE_SIZE),
        ...(ttl === undefined ? {} : { tokenTtlSeconds: integer('tokenTtlSeconds', ttl, 1, 86_400) })
    };
}
