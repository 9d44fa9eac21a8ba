/**
 * Serves the frontend's static export (frontend/out) on this machine, as the asset canister
 * serves it on the IC: the files (`/memory` → `memory.html`), and `/ic-config.json` describing
 * the local deployment. The frontend makes every canister call from the browser; this server
 * only hands out the app's own files, never an asset's bytes.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sirv from 'sirv';

export interface FrontendConfigFile {
    readonly network: 'local' | 'ic';
    readonly host: string;
    readonly authCanisterId: string;
    readonly identityProvider?: string;
    readonly galleryPageSize?: number;
    readonly tokenTtlSeconds?: number;
}

export interface FrontendServer {
    readonly url: string;
    readonly port: number;
    close(): Promise<void>;
}

export async function startFrontendServer(options: { root: string; port: number; config: FrontendConfigFile; host?: string }): Promise<FrontendServer> {
    const files = sirv(options.root, { extensions: ['html'], dev: false, etag: true, dotfiles: false });
    const configBody = JSON.stringify(options.config);
    const server: Server = createServer((request, response) => {
        if (request.url?.split('?')[0] === '/ic-config.json') {
            response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
            response.end(configBody);
            return;
        }
        files(request, response, () => {
            response.writeHead(404, { 'content-type': 'text/plain' });
            response.end('not found');
        });
    });
    const host = options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port, host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://localhost:${port}/`,
        port,
        close: () => new Promise((resolve) => server.close(() => resolve()))
    };
}
