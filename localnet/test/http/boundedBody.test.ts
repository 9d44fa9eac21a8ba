import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { readBoundedBody } from '../../src/http/boundedBody';

class TooLarge extends Error {
    constructor(readonly declared: number | undefined) {
        super('too large');
    }
}
class Incomplete extends Error {}

/** A server whose single handler reports how readBoundedBody settled. */
async function startReader(limit: number): Promise<{ server: Server; port: number; outcome: Promise<Buffer | Error> }> {
    let settle!: (value: Buffer | Error) => void;
    const outcome = new Promise<Buffer | Error>((resolve) => (settle = resolve));
    const server = createServer((req, res) => {
        readBoundedBody(req, limit, { tooLarge: (declared) => new TooLarge(declared), incomplete: () => new Incomplete('incomplete') }).then(
            (body) => {
                settle(body);
                res.end('ok');
            },
            (error: Error) => {
                settle(error);
                res.statusCode = 413;
                res.end();
            }
        );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { server, port: (server.address() as AddressInfo).port, outcome };
}

let running: Server | undefined;
afterEach(() => {
    running?.closeAllConnections();
    running?.close();
    running = undefined;
});

function send(port: number, chunks: readonly Uint8Array[], headers: Record<string, string> = {}, abortAfterChunks = false): void {
    const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/', headers });
    req.on('error', () => undefined);
    req.on('response', (res) => res.resume());
    chunks.forEach((chunk, i) => {
        // Abort once the last chunk has been handed to the socket: the server sees a body cut short.
        if (abortAfterChunks && i === chunks.length - 1) req.write(chunk, () => req.destroy());
        else req.write(chunk);
    });
    if (!abortAfterChunks) req.end();
}

describe('readBoundedBody', () => {
    it('returns the whole body when it fits, across several chunks', async () => {
        const reader = await startReader(10);
        running = reader.server;
        send(reader.port, [new Uint8Array([1, 2, 3]), new Uint8Array([4, 5, 6, 7, 8, 9, 10])]);
        const body = await reader.outcome;
        expect(body).toBeInstanceOf(Buffer);
        expect([...(body as Buffer)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    });

    it('refuses a declared Content-Length over the limit before reading, naming it', async () => {
        const reader = await startReader(10);
        running = reader.server;
        send(reader.port, [new Uint8Array(11)], { 'content-length': '11' });
        const error = await reader.outcome;
        expect(error).toBeInstanceOf(TooLarge);
        expect((error as TooLarge).declared).toBe(11);
    });

    it('refuses a chunked body once it grows past the limit', async () => {
        const reader = await startReader(10);
        running = reader.server;
        send(reader.port, [new Uint8Array(6), new Uint8Array(6)], { 'transfer-encoding': 'chunked' });
        const error = await reader.outcome;
        expect(error).toBeInstanceOf(TooLarge);
        expect((error as TooLarge).declared).toBeUndefined();
    });

    it('settles with the incomplete error when the client goes away mid-body', async () => {
        const reader = await startReader(100);
        running = reader.server;
        send(reader.port, [new Uint8Array(5)], { 'content-length': '50' }, true);
        expect(await reader.outcome).toBeInstanceOf(Incomplete);
    });

    it('accepts an empty body', async () => {
        const reader = await startReader(0);
        running = reader.server;
        send(reader.port, [], { 'content-length': '0' });
        expect(((await reader.outcome) as Buffer).length).toBe(0);
    });
});
