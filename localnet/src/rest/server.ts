/**
 * The PocketIC-compatible REST server. One process-wide blob store, any number of instances, each
 * backed by a LocalIc from `createLocalIc`. Every request is answered: bad input with a 4xx JSON
 * error, a throwing core with a 500 JSON error; nothing a client sends can stop the server.
 *
 * With a default instance (`createDefaultInstance`, used by the `localnet` command) the main port
 * also serves that instance to agents and browsers: its IC HTTP interface and HTTP gateway answer
 * first, the REST routes get whatever they decline, so one URL serves PicJS, agents and browsers
 * (as `dfx start` does). `POST /http_gateway` starts the same front end on a port of its own.
 */
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { CreateLocalIc, LocalIc, LocalIcConfig } from '../core/localIc';
import type { HttpHandler } from '../http/httpHandler';
import { BlobStore } from './blobStore';
import { describeError, toErrorResponse } from './errors';
import { readBody, RestRequest, writeResponse } from './http';
import { HttpGatewayListeners } from './httpGatewayListeners';
import { IdleTracker } from './idleTracker';
import { leaveIdleClosingToClients } from '../http/keepAlive';
import { createInstanceFrontEnd, instanceResolver, type CreateInstanceFrontEnd } from './instanceFrontEnd';
import { InstanceRegistry } from './instanceRegistry';
import { Router } from './router';
import type { Handler, ServerContext } from './routes/context';
import { addHttpGatewayRoutes } from './routes/httpGatewayRoutes';
import { addInstanceRoutes } from './routes/instanceRoutes';
import { addServerRoutes } from './routes/serverRoutes';

/** Wasm modules travel base64-encoded inside JSON, so bodies can be large; PocketIC sets no limit. */
const DEFAULT_MAX_BODY_BYTES = 512 * 1024 * 1024;

export interface RestServerOptions {
    readonly createLocalIc: CreateLocalIc;
    /** Shut down after this many seconds without requests (PocketIC's `--ttl`); no TTL when omitted. */
    readonly ttlSeconds?: number;
    /** Called once when the TTL expires; the server has not been closed yet. */
    readonly onIdleTimeout?: () => void;
    readonly maxBodyBytes?: number;
    /** Receives server faults (500s); defaults to stderr. */
    readonly log?: (message: string) => void;
    /** What serves an instance to agents and browsers (default: IC HTTP interface + HTTP gateway). */
    readonly createFrontEnd?: CreateInstanceFrontEnd;
}

export interface DefaultInstance {
    readonly instanceId: number;
    readonly ic: LocalIc;
}

export interface RestServer {
    /** Starts listening; port 0 picks a free port. Resolves with the actual address. */
    listen(port?: number, host?: string): Promise<{ port: number; url: string }>;
    /** Stops accepting requests, deletes (disposes) every instance and closes all connections. */
    close(): Promise<void>;
    /** The base URL once listening. */
    readonly url: string | undefined;
    /**
     * Creates an instance (as `POST /instances` would; PicJS can use it by id) whose IC HTTP
     * interface and HTTP gateway are served on the main port ahead of the REST routes.
     */
    createDefaultInstance(config?: LocalIcConfig): Promise<DefaultInstance>;
}

export function createRestServer(options: RestServerOptions): RestServer {
    const log = options.log ?? ((message: string) => process.stderr.write(`[localnet] ${message}\n`));
    const createFrontEnd = options.createFrontEnd ?? createInstanceFrontEnd;
    const idle = new IdleTracker();
    const instances = new InstanceRegistry();
    const context: ServerContext = {
        createLocalIc: options.createLocalIc,
        instances,
        blobs: new BlobStore(),
        gateways: new HttpGatewayListeners({
            frontEnd: (spec) => createFrontEnd(instanceResolver(instances, spec.instanceId), { ...(spec.domains ? { domains: spec.domains } : {}), log }),
            requestStarted: () => idle.requestStarted(),
            requestFinished: () => idle.requestFinished(),
            log
        }),
        log
    };
    const router = new Router<Handler>();
    addServerRoutes(router, context);
    addHttpGatewayRoutes(router, context);
    addInstanceRoutes(router, context);

    const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    let url: string | undefined;
    let closing: Promise<void> | undefined;
    /** The default instance's front end, answering before the REST routes. */
    let defaultFrontEnd: HttpHandler | undefined;

    async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
        const method = request.method ?? 'GET';
        const path = new URL(request.url ?? '/', 'http://localhost').pathname;
        try {
            const match = router.match(method, path);
            if (match.kind === 'not-found') {
                writeResponse(response, { status: 404, json: { message: `Not found: ${method} ${path}` } });
                return;
            }
            if (match.kind === 'method-not-allowed') {
                const allowed = match.allowed.join(', ');
                writeResponse(response, { status: 405, json: { message: `Method ${method} not allowed for ${path} (allowed: ${allowed})` } });
                return;
            }
            const body = await readBody(request, maxBodyBytes);
            const restRequest = new RestRequest(method, path, match.params, request.headers, body);
            writeResponse(response, await match.handler(restRequest));
        } catch (error) {
            const { status, body, internal } = toErrorResponse(error);
            if (internal) log(`${method} ${path} failed: ${describeError(error)}`);
            // The rest of an oversized body is never read, so the connection cannot be reused.
            if (status === 413) response.shouldKeepAlive = false;
            writeResponse(response, { status, json: body });
        }
    }

    async function handleWithFrontEnd(request: IncomingMessage, response: ServerResponse): Promise<void> {
        if (defaultFrontEnd) {
            let answered: boolean;
            try {
                answered = await defaultFrontEnd(request, response);
            } catch (error) {
                log(`${request.method} ${request.url} failed in the default instance's front end: ${describeError(error)}`);
                writeResponse(response, { status: 500, json: { message: `Internal error: ${error instanceof Error ? error.message : String(error)}` } });
                return;
            }
            if (answered) return;
        }
        await handle(request, response);
    }

    const server: Server = createServer((request, response) => {
        idle.requestStarted();
        response.on('close', () => idle.requestFinished());
        handleWithFrontEnd(request, response).catch((error: unknown) => {
            // Only reachable if writing the error response itself failed; keep the server alive.
            log(`failed to answer ${request.method} ${request.url}: ${describeError(error)}`);
            response.destroy();
        });
    });
    leaveIdleClosingToClients(server);
    server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
        if (!socket.writable || error.code === 'ECONNRESET') {
            socket.destroy();
            return;
        }
        const body = JSON.stringify({ message: `Bad request: ${error.message}` });
        socket.end(
            `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
        );
    });

    return {
        get url() {
            return url;
        },

        listen(port = 0, host = '127.0.0.1') {
            return new Promise((resolve, reject) => {
                server.once('error', reject);
                server.listen(port, host, () => {
                    server.off('error', reject);
                    const address = server.address() as AddressInfo;
                    const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
                    url = `http://${urlHost}:${address.port}`;
                    if (options.ttlSeconds !== undefined) {
                        idle.start(options.ttlSeconds * 1_000, () => options.onIdleTimeout?.());
                    }
                    resolve({ port: address.port, url });
                });
            });
        },

        async createDefaultInstance(config = {}) {
            if (defaultFrontEnd) throw new Error('the server already has a default instance');
            const ic = await context.createLocalIc(config);
            const slot = instances.add(ic);
            defaultFrontEnd = createFrontEnd(instanceResolver(instances, slot.id), { log });
            return { instanceId: slot.id, ic };
        },

        close() {
            closing ??= (async () => {
                idle.stop();
                const closed = new Promise<void>((resolve) => server.close(() => resolve()));
                server.closeIdleConnections();
                await context.gateways.stopAll();
                await context.instances.deleteAll();
                server.closeAllConnections();
                await closed;
            })();
            return closing;
        }
    };
}
