import type { Server } from 'node:http';

/** Longer than any client's idle keep-alive timeout (undici: 4 s, browsers: 60 s or less). */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/**
 * Canister execution blocks the event loop (for seconds under a burst), so the server must never
 * be the side that closes an idle keep-alive connection: a client reusing it at that moment gets
 * "other side closed". With a longer server timeout, clients always close first.
 */
export function leaveIdleClosingToClients(server: Server): void {
    server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
    server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
}
