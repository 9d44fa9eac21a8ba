/**
 * Which canister a browser request is for, as PocketIC's gateway (ic-gateway) resolves it:
 * `<id>.<domain>` (response verified), `<id>.raw.<domain>` (not verified), otherwise a
 * `?canisterId=<id>` query parameter, otherwise the `canisterId` parameter of the Referer (pages
 * opened through `?canisterId=` load their scripts and images with relative URLs).
 */
import { Principal } from '@icp-sdk/core/principal';

export type CanisterTarget =
    | { readonly kind: 'canister'; readonly canisterId: Principal; readonly verify: boolean }
    /** The request names a canister, but not a valid one: answered with a 400. */
    | { readonly kind: 'invalid'; readonly message: string }
    /** Not a gateway request: another front end (REST, IC HTTP interface) may answer it. */
    | { readonly kind: 'none' };

export interface RequestAddressing {
    readonly host: string | undefined;
    /** The request target as received, e.g. `/a/b?canisterId=…`. */
    readonly target: string;
    readonly referer: string | undefined;
}

export const DEFAULT_GATEWAY_DOMAINS: readonly string[] = ['localhost'];

/** The host name without port or trailing dot, lower-cased; IPv6 literals keep their brackets. */
export function hostName(host: string): string {
    const trimmed = host.trim().toLowerCase();
    const name = trimmed.startsWith('[') ? trimmed.slice(0, trimmed.indexOf(']') + 1) : trimmed.replace(/:\d*$/, '');
    return name.endsWith('.') ? name.slice(0, -1) : name;
}

/** `where` names the source; only a host is echoed back, never anything from the request target (it may carry a token). */
function parseCanisterId(text: string, where: string, echo = false): CanisterTarget {
    try {
        const canisterId = Principal.fromText(text);
        // fromText also accepts non-canonical spellings (e.g. without dashes); a URL must be exact.
        if (canisterId.toText() === text) return { kind: 'canister', canisterId, verify: true };
    } catch {
        // reported below
    }
    return { kind: 'invalid', message: echo ? `Invalid canister id '${text}' in ${where}` : `Invalid canister id in ${where}` };
}

function fromHost(name: string, domains: readonly string[]): CanisterTarget {
    for (const domain of domains) {
        const suffix = `.${domain.toLowerCase()}`;
        if (!name.endsWith(suffix)) continue;
        let label = name.slice(0, -suffix.length);
        const raw = label.endsWith('.raw');
        if (raw) label = label.slice(0, -'.raw'.length);
        if (label === '' || label.includes('.')) {
            return { kind: 'invalid', message: `Host '${name}' is not <canister-id>.${domain} or <canister-id>.raw.${domain}` };
        }
        const resolved = parseCanisterId(label, `host '${name}'`, true);
        return resolved.kind === 'canister' ? { ...resolved, verify: !raw } : resolved;
    }
    return { kind: 'none' };
}

function queryParameter(target: string, name: string): string | undefined {
    const queryStart = target.indexOf('?');
    if (queryStart === -1) return undefined;
    const query = target.slice(queryStart + 1).split('#')[0] ?? '';
    return new URLSearchParams(query).get(name) ?? undefined;
}

export function resolveCanister(request: RequestAddressing, domains: readonly string[] = DEFAULT_GATEWAY_DOMAINS): CanisterTarget {
    const byHost = request.host === undefined ? { kind: 'none' as const } : fromHost(hostName(request.host), domains);
    if (byHost.kind !== 'none') return byHost;
    const fromQuery = queryParameter(request.target, 'canisterId');
    if (fromQuery !== undefined) return parseCanisterId(fromQuery, 'the canisterId query parameter');
    const fromReferer = request.referer === undefined ? undefined : queryParameter(request.referer, 'canisterId');
    if (fromReferer !== undefined) return parseCanisterId(fromReferer, 'the canisterId parameter of the Referer');
    return { kind: 'none' };
}
