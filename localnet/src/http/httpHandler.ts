/**
 * The contract between localnet's HTTP front ends: the IC HTTP interface for agents (src/icHttp),
 * the HTTP gateway for browsers (src/gateway) and the PocketIC REST server (src/rest). Each front
 * end is a handler that either answers a request or declines it, so one port can serve all three.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalNetwork } from '../core/localNetwork';

/** Answers the request and resolves true, or resolves false without touching the response. */
export type HttpHandler = (request: IncomingMessage, response: ServerResponse) => Promise<boolean>;

/** How a front end finds the instance it serves (instances can be created and deleted at runtime). */
export type NetworkResolver = () => LocalNetwork | undefined;

/** Runs handlers in order until one answers; a request nobody answers gets a plain 404. */
export function composeHandlers(handlers: readonly HttpHandler[]): HttpHandler {
    return async (request, response) => {
        for (const handler of handlers) {
            if (await handler(request, response)) return true;
        }
        return false;
    };
}
