/**
 * The listeners PocketIC's `POST /http_gateway` starts: each serves one instance's front end (IC
 * HTTP interface + HTTP gateway) on its own port. Ids are sequential and never reused; a stopped
 * gateway disappears from the listing, as in PocketIC.
 */
import { createServer, type Server } from 'node:http';
import { leaveIdleClosingToClients } from '../http/keepAlive';
import type { AddressInfo } from 'node:net';
import type { HttpHandler } from '../http/httpHandler';

export interface HttpGatewaySpec {
    /** Address to bind (PocketIC's `ip_addr`, default 127.0.0.1). */
    readonly host: string;
    /** 0 picks a free port. */
    readonly port: number;
    readonly instanceId: number;
    /** As given in the request (echoed by `GET /http_gateway`); undefined means `localhost`. */
    readonly domains: readonly string[] | undefined;
}

export interface RunningHttpGateway {
    readonly id: number;
    readonly port: number;
    readonly spec: HttpGatewaySpec;
}

export interface ListenerHooks {
    /** The front end for an instance. */
    readonly frontEnd: (spec: HttpGatewaySpec) => HttpHandler;
    /** Requests on gateway ports count as server activity (the REST server's TTL). */
    readonly requestStarted: () => void;
    readonly requestFinished: () => void;
    readonly log: (message: string) => void;
}

function listen(server: Server, port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
            server.off('error', reject);
            resolve((server.address() as AddressInfo).port);
        });
    });
}

function close(server: Server): Promise<void> {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    return closed;
}

export class HttpGatewayListeners {
    readonly #running = new Map<number, { gateway: RunningHttpGateway; server: Server }>();
    #nextId = 0;

    constructor(private readonly hooks: ListenerHooks) {}

    /** Binds and starts serving; rejects with the bind error (address in use, bad address…). */
    async start(spec: HttpGatewaySpec): Promise<RunningHttpGateway> {
        const handler = this.hooks.frontEnd(spec);
        const server = createServer((request, response) => {
            this.hooks.requestStarted();
            response.on('close', () => this.hooks.requestFinished());
            handler(request, response)
                .then((answered) => {
                    if (answered || response.headersSent) return;
                    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
                    response.end('Not found: this port serves the IC HTTP interface (/api/…) and canisters at http://<canister-id>.localhost:<port>/\n');
                })
                .catch((error: unknown) => {
                    this.hooks.log(`HTTP gateway ${request.method} ${request.url} failed: ${String(error)}`);
                    response.destroy();
                });
        });
        leaveIdleClosingToClients(server);
        let port: number;
        try {
            port = await listen(server, spec.port, spec.host);
        } catch (error) {
            throw new Error(`Failed to bind to address ${spec.host}:${spec.port}: ${(error as Error).message}`);
        }
        const gateway: RunningHttpGateway = { id: this.#nextId++, port, spec };
        this.#running.set(gateway.id, { gateway, server });
        return gateway;
    }

    /** Stops a gateway; unknown or already stopped ids are a no-op, as in PocketIC. */
    async stop(id: number): Promise<void> {
        const entry = this.#running.get(id);
        if (!entry) return;
        this.#running.delete(id);
        await close(entry.server);
    }

    list(): RunningHttpGateway[] {
        return [...this.#running.values()].map((entry) => entry.gateway);
    }

    async stopAll(): Promise<void> {
        await Promise.allSettled([...this.#running.keys()].map((id) => this.stop(id)));
    }
}
