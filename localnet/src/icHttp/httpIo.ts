/**
 * Reading request bodies and writing responses the way the replica's HTTP endpoint does: errors are
 * `text/plain; charset=utf-8`, payloads are CBOR with the self-describe tag, and every response
 * carries the permissive CORS headers of the replica's `cors_layer` (browsers call the API from
 * other origins).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { encodeWithSelfDescribedTag } from '@dfinity/cbor';
import { IcHttpError } from './httpError';

const CORS_HEADERS = {
    'access-control-allow-origin': '*',
    'access-control-allow-methods': 'GET, POST',
    'access-control-allow-headers': 'authorization, accept, content-type'
} as const;

/** Reads the whole body; a body over `limitBytes` is a 413 as from the replica's body limit. */
export function readBody(request: IncomingMessage, limitBytes: number): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
        const tooLarge = () => new IcHttpError(413, `Request body is larger than the limit of ${limitBytes} bytes.`);
        const declared = Number(request.headers['content-length']);
        if (Number.isFinite(declared) && declared > limitBytes) {
            request.resume();
            reject(tooLarge());
            return;
        }
        const chunks: Buffer[] = [];
        let received = 0;
        let settled = false;
        const fail = (error: Error) => {
            if (settled) return;
            settled = true;
            request.resume();
            reject(error);
        };
        request.on('data', (chunk: Buffer) => {
            if (settled) return;
            received += chunk.length;
            if (received > limitBytes) return fail(tooLarge());
            chunks.push(chunk);
        });
        request.on('end', () => {
            if (settled) return;
            settled = true;
            const body = Buffer.concat(chunks);
            resolve(new Uint8Array(body.buffer, body.byteOffset, body.length));
        });
        request.on('error', fail);
        // A client that goes away mid-body emits neither 'end' nor always 'error'.
        request.on('close', () => {
            if (!request.complete) fail(new IcHttpError(400, 'The request body was not received completely.'));
        });
    });
}

export function writeText(response: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
    response.writeHead(status, { ...CORS_HEADERS, 'content-type': 'text/plain; charset=utf-8', ...headers });
    response.end(text);
}

export function writeCbor(response: ServerResponse, value: unknown): void {
    response.writeHead(200, { ...CORS_HEADERS, 'content-type': 'application/cbor' });
    response.end(encodeWithSelfDescribedTag(value as never));
}

/** A body-less response (404 of an unknown route, 405, the answer to a CORS preflight). */
export function writeEmpty(response: ServerResponse, status: number, headers: Record<string, string> = {}): void {
    response.writeHead(status, { ...CORS_HEADERS, ...headers });
    response.end();
}
