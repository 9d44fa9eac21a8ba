/**
 * What serves one instance to agents and browsers on a port: the IC HTTP interface (`/api/…`)
 * first, as ic-gateway routes API paths before resolving canisters, then the HTTP gateway
 * (`<canister-id>.localhost`, `?canisterId=`). Used on the main port for the default instance and
 * by every `POST /http_gateway` listener.
 */
import { LocalNetwork } from '../core/localNetwork';
import { createHttpGatewayHandler } from '../gateway';
import { composeHandlers, type HttpHandler, type NetworkResolver } from '../http/httpHandler';
import { createIcHttpHandler } from '../icHttp';
import type { InstanceRegistry } from './instanceRegistry';

export interface InstanceFrontEndOptions {
    /** Gateway domains (`<id>.<domain>`); default `localhost`. */
    readonly domains?: readonly string[];
    readonly log?: (message: string) => void;
}

export type CreateInstanceFrontEnd = (resolve: NetworkResolver, options?: InstanceFrontEndOptions) => HttpHandler;

export const createInstanceFrontEnd: CreateInstanceFrontEnd = (resolve, options = {}) => {
    const log = options.log;
    return composeHandlers([
        createIcHttpHandler(resolve, log ? { log } : {}),
        createHttpGatewayHandler(resolve, { ...(options.domains ? { domains: options.domains } : {}), ...(log ? { log } : {}) })
    ]);
};

/** Resolves to the registry's instance `id` while it lives (and is a real core, not a test double). */
export function instanceResolver(instances: InstanceRegistry, id: number): NetworkResolver {
    return () => {
        const ic = instances.find(id)?.ic;
        return ic instanceof LocalNetwork ? ic : undefined;
    };
}
