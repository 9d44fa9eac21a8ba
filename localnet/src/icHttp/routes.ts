/**
 * The IC HTTP interface's routes, as the replica (and a boundary node in front of it) serves them.
 * Agents' defaults: @dfinity/agent 3.x queries /api/v2/…/query, calls /api/v3/…/call (falling back
 * to v2 on 404) and reads /api/v2/…/read_state; @icp-sdk/core 5.x queries /api/v3/…/query, calls
 * /api/v4/…/call and reads /api/v3/{canister,subnet}/…/read_state. Both fetch /api/v2/status.
 */
export type Route =
    | { readonly kind: 'status' }
    | { readonly kind: 'query'; readonly version: 2 | 3; readonly canisterText: string }
    | { readonly kind: 'call'; readonly version: 2 | 3 | 4; readonly canisterText: string }
    | { readonly kind: 'read_state'; readonly version: 2 | 3; readonly target: 'canister' | 'subnet'; readonly principalText: string };

export type RouteMatch =
    | { readonly kind: 'route'; readonly route: Route; readonly method: 'GET' | 'POST' }
    | { readonly kind: 'not_found' };

const CANISTER_ROUTE = /^\/api\/v([234])\/canister\/([^/]+)\/(call|query|read_state)$/;
const SUBNET_ROUTE = /^\/api\/v([23])\/subnet\/([^/]+)\/read_state$/;

export function matchRoute(path: string): RouteMatch {
    if (path === '/api/v2/status') return { kind: 'route', route: { kind: 'status' }, method: 'GET' };
    const canister = CANISTER_ROUTE.exec(path);
    if (canister) {
        const version = Number(canister[1]) as 2 | 3 | 4;
        const principalText = decodeURIComponent(canister[2]!);
        switch (canister[3]) {
            case 'call':
                return { kind: 'route', route: { kind: 'call', version, canisterText: principalText }, method: 'POST' };
            case 'query':
                if (version === 4) break;
                return { kind: 'route', route: { kind: 'query', version, canisterText: principalText }, method: 'POST' };
            case 'read_state':
                if (version === 4) break;
                return { kind: 'route', route: { kind: 'read_state', version, target: 'canister', principalText }, method: 'POST' };
        }
        return { kind: 'not_found' };
    }
    const subnet = SUBNET_ROUTE.exec(path);
    if (subnet) {
        const version = Number(subnet[1]) as 2 | 3;
        return { kind: 'route', route: { kind: 'read_state', version, target: 'subnet', principalText: decodeURIComponent(subnet[2]!) }, method: 'POST' };
    }
    return { kind: 'not_found' };
}
