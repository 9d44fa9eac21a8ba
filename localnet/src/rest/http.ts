/**
 * HTTP plumbing for the REST server: the request/response shapes handlers work with, body
 * reading with a size limit, and writing responses.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { readBoundedBody } from '../http/boundedBody';
import { RestError } from './errors';
import type { JsonValue } from './json';
import { JsonSyntaxError, parseJson, stringifyJson } from './json';
import type { Params } from './router';

export type RestResponse =
    | { readonly status: number; readonly json: JsonValue }
    | { readonly status: number; readonly text: string }
    | { readonly status: number; readonly bytes: Uint8Array; readonly headers?: Readonly<Record<string, string>> }
    | { readonly status: number; readonly empty: true };

export const jsonResponse = (json: JsonValue, status = 200): RestResponse => ({ status, json });
export const emptyResponse = (status = 200): RestResponse => ({ status, empty: true });

export class RestRequest {
    constructor(
        readonly method: string,
        readonly path: string,
        readonly params: Params,
        readonly headers: IncomingHttpHeaders,
        readonly body: Buffer
    ) {}

    /** The body as JSON; malformed or empty bodies become a 400. */
    json(): JsonValue {
        if (this.body.length === 0) throw new JsonSyntaxError('the request body is empty');
        return parseJson(this.body.toString('utf8'));
    }

    /** Like json(), but an empty body is allowed (endpoints whose body PicJS may omit). */
    optionalJson(): JsonValue | undefined {
        return this.body.length === 0 ? undefined : this.json();
    }

    /** A numeric path parameter such as an instance id; 400 like axum's Path extractor otherwise. */
    numericParam(name: string): number {
        const raw = this.params[name] ?? '';
        if (!/^\d{1,15}$/.test(raw)) throw new RestError(400, `Invalid URL: Cannot parse \`${raw}\` to a \`usize\``);
        return Number(raw);
    }
}

/** Reads the whole body; rejects with a 413 RestError once `limitBytes` is exceeded. */
export function readBody(request: IncomingMessage, limitBytes: number): Promise<Buffer> {
    return readBoundedBody(request, limitBytes, {
        tooLarge: (declared) =>
            new RestError(413, declared === undefined ? `Request body exceeds the limit of ${limitBytes} bytes` : `Request body of ${declared} bytes exceeds the limit of ${limitBytes} bytes`),
        incomplete: () => new RestError(400, 'The client closed the connection before sending the whole body')
    });
}

/** Writes a response; safe to call when the client has already gone away. */
export function writeResponse(response: ServerResponse, restResponse: RestResponse): void {
    if (response.headersSent || response.destroyed) return;
    let body: Uint8Array | string;
    const headers: Record<string, string> = {};
    if ('json' in restResponse) {
        body = stringifyJson(restResponse.json);
        headers['content-type'] = 'application/json';
    } else if ('text' in restResponse) {
        body = restResponse.text;
        headers['content-type'] = 'text/plain; charset=utf-8';
    } else if ('bytes' in restResponse) {
        body = restResponse.bytes;
        headers['content-type'] = 'application/octet-stream';
        Object.assign(headers, restResponse.headers);
    } else {
        body = '';
    }
    headers['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
    response.writeHead(restResponse.status, headers);
    response.end(body);
}
