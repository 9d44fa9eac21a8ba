/**
 * Reading request bodies and writing responses the way the replica's HTTP endpoint does: errors are
 * `text/plain; charset=utf-8`, payloads are CBOR with the self-describe tag, and every response
 * carries the permissive CORS headers of the replica's `cors_layer` (browsers call the API from
 * other origins).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { encodeWithSelfDescribedTag } from '@dfinity/cbor';
import { readBoundedBody } from '../http/boundedBody';
import { IcHttpError } from './httpError';

const CORS_HEADERS = {
    'access-control-allow-origin': '*',
    'access-control-allow-methods': 'GET, POST',
    'access-control-allow-headers': 'authorization, accept, content-type'
} as const;

/** Reads the whole body; a body over `limitBytes` is a 413 as from the replica's body limit. */
export async function readBody(request: IncomingMessage, limitBytes: number): Promise<Uint8Array> {
    const body = await readBoundedBody(request, limitBytes, {
        tooLarge: () => new IcHttpError(413, `Request body is larger than the limit of ${limitBytes} bytes.`),
        incomplete: () => new IcHttpError(400, 'The request body was not received completely.')
    });
    return new Uint8Array(body.buffer, body.byteOffset, body.length);
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
