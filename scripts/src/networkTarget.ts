/**
 * Where a script talks to: the API host and a canister id, from flags, environment and the files
 * deployments leave behind (dfx's `canister_ids.json` format).
 *  - local: `--url`, else the URL in `.localnet/state.json` (written by `npx localnet`), else
 *    http://127.0.0.1:4943; ids from `.localnet/canister_ids.json`. The root key is fetched.
 *  - ic: `--url`, else https://icp-api.io; ids from `canister_ids.json`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Principal } from '@icp-sdk/core/principal';

export type NetworkName = 'local' | 'ic';

export interface NetworkTarget {
    readonly network: NetworkName;
    readonly host: string;
    readonly canisterId: Principal;
    /** Local replicas sign with a throwaway root key the agent must fetch. */
    readonly fetchRootKey: boolean;
}

export interface TargetRequest {
    readonly network: string | undefined;
    readonly url?: string | undefined;
    /** Name in canister_ids.json, e.g. `auth`. */
    readonly canister: string;
    /** Explicit id (a flag), else `envId`, else canister_ids.json. */
    readonly canisterId?: string | undefined;
    readonly envId?: string | undefined;
    /** Directory holding canister_ids.json and .localnet/ (the repository root). */
    readonly root: string;
}

export class TargetError extends Error {
    override name = 'TargetError';
}

function readJson(path: string): unknown {
    try {
        return JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
        throw new TargetError(`cannot read ${path}: ${(error as Error).message}`);
    }
}

function parsePrincipal(text: string, what: string): Principal {
    try {
        return Principal.fromText(text);
    } catch {
        throw new TargetError(`${what} is not a canister id: ${text}`);
    }
}

export function resolveTarget(request: TargetRequest): NetworkTarget {
    if (request.network !== 'local' && request.network !== 'ic') throw new TargetError(`--network must be local or ic, not ${request.network ?? '(missing)'}`);
    const network: NetworkName = request.network;
    let host = request.url;
    if (host === undefined && network === 'local') {
        const statePath = join(request.root, '.localnet/state.json');
        host = existsSync(statePath) ? String((readJson(statePath) as { url?: unknown }).url ?? '') || undefined : undefined;
    }
    host ??= network === 'local' ? 'http://127.0.0.1:4943' : 'https://icp-api.io';
    if (!/^https?:\/\/[^/]+/.test(host)) throw new TargetError(`--url must be an http(s) URL, not ${host}`);

    const explicit = request.canisterId ?? request.envId;
    if (explicit !== undefined) return { network, host, canisterId: parsePrincipal(explicit, `--${request.canister}`), fetchRootKey: network === 'local' };
    const idsPath = join(request.root, network === 'local' ? '.localnet/canister_ids.json' : 'canister_ids.json');
    if (!existsSync(idsPath)) throw new TargetError(`no ${request.canister} canister id: pass --${request.canister} <id> (or deploy, which writes ${idsPath})`);
    const ids = readJson(idsPath) as Record<string, Record<string, string> | undefined>;
    const id = ids[request.canister]?.[network];
    if (!id) throw new TargetError(`${idsPath} has no ${request.canister} id for ${network}`);
    return { network, host, canisterId: parsePrincipal(id, `${idsPath} ${request.canister}`), fetchRootKey: network === 'local' };
}
