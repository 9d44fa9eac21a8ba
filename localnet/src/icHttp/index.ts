/**
 * The IC HTTP interface ("HTTPS Interface" of the IC interface specification) over a localnet
 * instance, so that unmodified agents (@dfinity/agent 3.x, @icp-sdk/core 5.x) talk to localnet as
 * to a replica: status, query, call (async v2, sync v3/v4) and read_state for canisters and subnets,
 * with the replica's envelope checks, status codes and messages. See docs/ic-http-interface.md.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpHandler, NetworkResolver } from '../http/httpHandler';
import { handleCall } from './callEndpoint';
import type { EndpointReply } from './endpoint';
import { IcHttpError } from './httpError';
import { readBody, writeCbor, writeEmpty, writeText } from './httpIo';
import { handleQuery } from './queryEndpoint';
import { handleReadState } from './readStateEndpoint';
import { matchRoute, type Route } from './routes';
import { handleStatus } from './statusEndpoint';

export interface IcHttpOptions {
    /** How long `/api/v3|v4/…/call` waits for the message to complete before answering 202 (replica default: 10 s). */
    readonly syncCallTimeoutMs?: number;
    /** Largest accepted request body (the replica's `max_request_size_bytes`, 5 MiB). */
    readonly maxBodyBytes?: number;
    /** Receives unexpected failures (answered 500); defaults to stderr. */
    readonly log?: (message: string) => void;
}

const DEFAULT_SYNC_CALL_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;
const CBOR_CONTENT_TYPE = 'application/cbor';

export function createIcHttpHandler(resolve: NetworkResolver, options: IcHttpOptions = {}): HttpHandler {
    const syncCallTimeoutMs = options.syncCallTimeoutMs ?? DEFAULT_SYNC_CALL_TIMEOUT_MS;
    const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    const log = options.log ?? ((message: string) => process.stderr.write(`[localnet ic-http] ${message}\n`));

    async function answer(route: Route, request: IncomingMessage): Promise<EndpointReply> {
        const network = resolve();
        if (!network) {
            throw new IcHttpError(503, 'No localnet instance is available to serve the IC HTTP interface: create an instance first.');
        }
        if (route.kind === 'status') return handleStatus(network);
        if (!isCbor(request.headers['content-type'])) throw new IcHttpError(400, `Unexpected content-type, expected ${CBOR_CONTENT_TYPE}.`);
        const body = await readBody(request, maxBodyBytes);
        switch (route.kind) {
            case 'query':
                return handleQuery(network, route.canisterText, body);
            case 'call':
                return handleCall(network, route.version, route.canisterText, body, { syncCallTimeoutMs });
            case 'read_state':
                return handleReadState(network, route.version, route.target, route.principalText, body);
        }
    }

    return async (request: IncomingMessage, response: ServerResponse): Promise<boolean> => {
        const path = (request.url ?? '/').split('?')[0]!;
        if (!path.startsWith('/api/')) return false;
        const match = matchRoute(path);
        try {
            if (request.method === 'OPTIONS') {
                writeEmpty(response, 200, { 'access-control-max-age': '7200' });
            } else if (match.kind === 'not_found') {
                writeEmpty(response, 404);
            } else if (request.method !== match.method) {
                writeEmpty(response, 405, { allow: match.method });
            } else {
                const reply = await answer(match.route, request);
                if (reply.status === 200) writeCbor(response, reply.cbor);
                else writeText(response, reply.status, reply.text);
            }
        } catch (error) {
            if (error instanceof IcHttpError) {
                writeText(response, error.status, error.message);
            } else {
                log(`${request.method ?? ''} ${path} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
                writeText(response, 500, `Internal error: ${error instanceof Error ? error.message : String(error)}`);
            }
        } finally {
            // Unread bodies (refused before reading) must not keep the connection waiting.
            if (!request.complete) request.resume();
        }
        return true;
    };
}

function isCbor(contentType: string | undefined): boolean {
    return contentType !== undefined && contentType.toLowerCase() === CBOR_CONTENT_TYPE;
}

export { IcHttpError } from './httpError';
export { requestIdOf, hashOfMap } from './requestId';
export { canisterSignaturePublicKeyDer, parseUserPublicKey, type UserPublicKey } from './derKeys';
