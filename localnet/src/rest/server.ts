/**
 * The PocketIC-compatible REST server. One process-wide blob store, any number of instances, each
 * backed by a LocalIc from `createLocalIc`. Every request is answered: bad input with a 4xx JSON
 * error, a throwing core with a 500 JSON error; nothing a client sends can stop the server.
 */
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { CreateLocalIc } from '../core/localIc';
import { BlobStore } from './blobStore';
import { describeError, toErrorResponse } from './errors';
import { readBody, RestRequest, writeResponse } from './http';
import { IdleTracker } from './idleTracker';
import { InstanceRegistry } from './instanceRegistry';
import { Router } from './router';
import type { Handler, ServerContext } from './routes/context';
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
}

export interface RestServer {
    /** Starts listening; port 0 picks a free port. Resolves with the actual address. */
    listen(port?: number, host?: string): Promise<{ port: number; url: string }>;
    /** Stops accepting requests, deletes (disposes) every instance and closes all connections. */
    close(): Promise<void>;
    /** The base URL once listening. */
    readonly url: string | undefined;
}

export function createRestServer(options: RestServerOptions): RestServer {
    const log = options.log ?? ((message: string) => process.stderr.write(`[localnet] ${message}\n`));
    const context: ServerContext = {
        createLocalIc: options.createLocalIc,
        instances: new InstanceRegistry(),
        blobs: new BlobStore(),
        log
    };
    const router = new Router<Handler>();
    addServerRoutes(router, context);
    addInstanceRoutes(router, context);

    const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    const idle = new IdleTracker();
    let url: string | undefined;
    let closing: Promise<void> | undefined;

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

    const server: Server = createServer((request, response) => {
        idle.requestStarted();
        response.on('close', () => idle.requestFinished());
        handle(request, response).catch((error: unknown) => {
            // Only reachable if writing the error response itself failed; keep the server alive.
            log(`failed to answer ${request.method} ${request.url}: ${describeError(error)}`);
            response.destroy();
        });
    });
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

        close() {
            closing ??= (async () => {
                idle.stop();
                const closed = new Promise<void>((resolve) => server.close(() => resolve()));
                server.closeIdleConnections();
                await context.instances.deleteAll();
                server.closeAllConnections();
                await closed;
            })();
            return closing;
        }
    };
}
