/**
 * localnet test canister for the HTTP gateway: one route per gateway behaviour. Every response is
 * skip-certified with the shared helper (certified data set in init and postUpgrade), except
 * /uncertified. The HTTP interface types come from localnet's definition (httpCanisterInterface.ts)
 * rather than Azle's built-in ones, which drop the streaming token's fields.
 *
 *   /inline                         a small inline reply
 *   /stream?chunks=&size=&trapAt=   a reply streamed in `chunks` chunks of `size` bytes; the
 *                                   callback traps when asked for chunk `trapAt`
 *   /update                         upgraded to http_request_update; counts the updates
 *   /uncertified                    no certificate headers
 *   /echo                           the request as the canister received it, as JSON
 *   /large?bytes=                   a body of that many bytes
 *   /trap                           traps in http_request
 *   anything else                   404
 */
import { canisterSelf, certifiedDataSet, dataCertificate, IDL, init, postUpgrade, query, trap, update } from 'azle';
import { queryParam, skipCertification, splitRequestTarget } from '@icp-private-assets/shared';
import type { HeaderField as Header, HttpRequest, HttpResponse, HttpUpdateRequest, StreamingCallbackHttpResponse } from '../../../src/gateway/httpInterfaceIdl';
import { httpCanisterIdl, type StreamingToken as Token } from './httpCanisterInterface';

const Candid = httpCanisterIdl(IDL);
type Response = HttpResponse<Token, ReturnType<typeof canisterSelf>>;

const skip = skipCertification();
const encoder = new TextEncoder();

/** The streamed content: byte p of the whole body is PATTERN[p mod 65521] (a prime, so chunks differ). */
const PATTERN_LENGTH = 65_521;
const PATTERN = new Uint8Array(PATTERN_LENGTH).map((_, i) => (i * 2_654_435_761 + 17) >>> 24);

function streamChunk(token: Token): Uint8Array {
    const chunk = new Uint8Array(token.size);
    let position = Number(token.chunk) * token.size;
    let offset = 0;
    while (offset < chunk.length) {
        const start = position % PATTERN_LENGTH;
        const length = Math.min(PATTERN_LENGTH - start, chunk.length - offset);
        chunk.set(PATTERN.subarray(start, start + length), offset);
        offset += length;
        position += length;
    }
    return chunk;
}

function nextToken(token: Token): [] | [Token] {
    const next = token.chunk + 1n;
    return next < BigInt(token.chunks) ? [{ ...token, chunk: next }] : [];
}

function numberParam(query: string, name: string, fallback: number): number {
    const param = queryParam(query, name);
    return param.kind === 'value' && /^\d+$/.test(param.value) ? Number(param.value) : fallback;
}

/** Adds the skip-certification headers when a data certificate exists (queries only). */
function certified(headers: Header[]): Header[] {
    const certificate = dataCertificate();
    return certificate === undefined ? headers : [...headers, ...skip.headers(certificate)];
}

function reply(status: number, headers: Header[], body: Uint8Array, extra: Partial<Response> = {}): Response {
    return { status_code: status, headers, body, upgrade: [], streaming_strategy: [], ...extra };
}

export default class {
    updates = 0;

    @init([])
    init(): void {
        certifiedDataSet(skip.certifiedData);
    }

    @postUpgrade([])
    postUpgrade(): void {
        certifiedDataSet(skip.certifiedData);
    }

    @query([Candid.HttpRequest], Candid.HttpResponse)
    http_request(request: HttpRequest): Response {
        const { path, query } = splitRequestTarget(request.url);
        const head = request.method === 'HEAD';
        const common: Header[] = [['x-request-method', request.method]];
        const text = (status: number, body: string, headers: Header[] = [], contentType = 'text/plain; charset=utf-8'): Response => {
            const bytes = encoder.encode(body);
            const all: Header[] = [...common, ['content-type', contentType], ['content-length', String(bytes.length)], ...headers];
            return reply(status, certified(all), head ? new Uint8Array(0) : bytes);
        };
        switch (path) {
            case '/inline':
                return text(200, 'Hello from http_request', [['x-route', 'inline']]);
            case '/uncertified':
                return reply(200, [...common, ['content-type', 'text/plain']], encoder.encode('not certified'));
            case '/update':
                return reply(200, [], new Uint8Array(0), { upgrade: [true] });
            case '/trap':
                trap('http_request trapped on purpose');
            case '/large': {
                const body = new Uint8Array(numberParam(query, 'bytes', 10_000)).fill(0x61);
                return reply(200, certified([...common, ['content-type', 'application/octet-stream']]), body);
            }
            case '/echo': {
                const echo = {
                    method: request.method,
                    url: request.url,
                    headers: request.headers,
                    bodyLength: request.body.length,
                    certificateVersion: request.certificate_version.length === 0 ? null : request.certificate_version[0]
                };
                return text(200, JSON.stringify(echo), [], 'application/json');
            }
            case '/stream': {
                const chunks = numberParam(query, 'chunks', 3);
                const trapAt = queryParam(query, 'trapAt');
                const token: Token = {
                    label: `stream ${path}`,
                    chunk: 0n,
                    chunks,
                    size: numberParam(query, 'size', 1024),
                    trapAt: trapAt.kind === 'value' ? [Number(trapAt.value)] : []
                };
                const rest = nextToken(token);
                const headers = certified([...common, ['content-type', 'application/octet-stream'], ['x-chunks', String(chunks)]]);
                return reply(200, headers, streamChunk(token), {
                    streaming_strategy: rest.length === 0 ? [] : [{ Callback: { callback: [canisterSelf(), 'http_streaming_callback'], token: rest[0] } }]
                });
            }
            default:
                return text(404, `Not found: ${path}`);
        }
    }

    @query([Candid.StreamingToken], Candid.StreamingCallbackHttpResponse)
    http_streaming_callback(token: Token): StreamingCallbackHttpResponse<Token> {
        if (token.trapAt.length === 1 && BigInt(token.trapAt[0]) === token.chunk) trap(`streaming callback trapped at chunk ${token.chunk}`);
        return { body: streamChunk(token), token: nextToken(token) };
    }

    @update([Candid.HttpUpdateRequest], Candid.HttpResponse)
    http_request_update(request: HttpUpdateRequest): Response {
        this.updates += 1;
        const body = encoder.encode(`updated ${this.updates} via ${request.method} ${request.url}`);
        return reply(200, [['content-type', 'text/plain'], ['x-update-count', String(this.updates)], ['content-length', String(body.length)]], body);
    }
}
