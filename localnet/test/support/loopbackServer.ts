/**
 * A node:http server on 127.0.0.1 and a free port, for the suites and scripts that put one of
 * localnet's handlers in front of an in-process network. close() also drops open connections:
 * keep-alive clients (agents, fetch) would otherwise hold it up.
 */
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoopbackServer {
    readonly port: number;
    /** `http://127.0.0.1:<port>` */
    readonly url: string;
    close(): Promise<void>;
}

export async function serveOnLoopback(listener: RequestListener): Promise<LoopbackServer> {
    const server = createServer(listener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
        port,
        url: `http://127.0.0.1:${port}`,
        close() {
            server.closeAllConnections();
            return new Promise<void>((resolve) => server.close(() => resolve()));
        }
    };
}
