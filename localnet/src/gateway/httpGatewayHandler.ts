/**
 * The HTTP gateway: turns a browser request for `<canister-id>.localhost` into the canister's
 * `http_request` query (upgraded to `http_request_update` when the canister asks), follows
 * streaming callbacks, verifies the response on certified hosts and writes it back, streaming
 * long bodies chunk by chunk. Behaviour follows the ic-http-gateway crate that ic-gateway, dfx and
 * PocketIC use; see docs/http-gateway.md for what differs.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from '@icp-sdk/core/principal';
import type { HttpHandler } from '../http/httpHandler';
import { queryCanister, updateCanister, type GatewayNetwork } from './canisterCalls';
import { DEFAULT_GATEWAY_DOMAINS, resolveCanister } from './canisterResolution';
import { abortResponse, GatewayError, writeGatewayError } from './gatewayError';
import { readRequestBody, toGatewayRequest, type GatewayRequest } from './gatewayRequest';
import { assertValidRequestTarget, loggablePath, withoutTarget } from './requestTarget';
import {
    decodeHttpResponse,
    encodeHttpRequest,
    encodeHttpUpdateRequest,
    type CanisterHttpResponse
} from './httpInterfaceCandid';
import { bodyFraming, responseHeaderList, selectForwardedHeaders } from './responseHeaders';
import { verifyResponse, type Verification } from './responseVerification';
import { CallbackStream, collectBody, joinChunks, MAX_STREAM_CHUNKS, MAX_VERIFIED_CALLBACKS, type CollectedBody } from './streamingBody';

export interface HttpGatewayOptions {
    /** Domains whose subdomains name canisters (`<id>.<domain>`, `<id>.raw.<domain>`); default `localhost`. */
    readonly domains?: readonly string[];
    /** Largest request body forwarded to a canister (default 2 MiB, the IC's ingress limit). */
    readonly maxRequestBodyBytes?: number;
    /** Callbacks collected before giving up on verifying a streamed body (default 4, as ic-http-gateway). */
    readonly maxVerifiedCallbacks?: number;
    /** Most chunks of one streamed body (default 1000, as ic-http-gateway). */
    readonly maxStreamChunks?: number;
    /** Receives faults that cannot be shown to the client (a stream that breaks after its headers). */
    readonly log?: (message: string) => void;
}

export type GatewayNetworkResolver = () => GatewayNetwork | undefined;

const DEFAULT_MAX_REQUEST_BODY_BYTES = 2 * 1024 * 1024;

interface GatewayContext {
    readonly network: GatewayNetwork;
    readonly canisterId: Principal;
    readonly verify: boolean;
    readonly request: GatewayRequest;
    readonly options: Required<Omit<HttpGatewayOptions, 'domains' | 'log'>>;
}

/** http_request as a query, then http_request_update if the canister sets `upgrade = opt true`. */
async function callCanister(context: GatewayContext): Promise<{ response: CanisterHttpResponse; upgraded: boolean }> {
    const { network, canisterId, request } = context;
    const decode = (bytes: Uint8Array, method: string): CanisterHttpResponse => {
        try {
            return decodeHttpResponse(bytes);
        } catch (error) {
            throw new GatewayError(500, `Failed to decode the HttpResponse of ${method}: ${(error as Error).message}`);
        }
    };
    const queried = decode(queryCanister(network, canisterId, 'http_request', encodeHttpRequest(request.canister)), 'http_request');
    if (!queried.upgrade) return { response: queried, upgraded: false };
    const updated = await updateCanister(network, canisterId, 'http_request_update', encodeHttpUpdateRequest(request.canister));
    return { response: decode(updated, 'http_request_update'), upgraded: true };
}

function statusOf(response: CanisterHttpResponse): number {
    const status = response.statusCode;
    if (status < 100 || status > 999) throw new GatewayError(400, `Failed to parse response status code: invalid status code ${status}`);
    if (status < 200) throw new GatewayError(502, `The canister answered with the informational status ${status}, which cannot end a response`);
    return status;
}

async function verification(context: GatewayContext, response: CanisterHttpResponse, body: CollectedBody, upgraded: boolean): Promise<Verification> {
    // As ic-http-gateway: updates went through consensus, and a body not collected whole cannot be hashed.
    if (!context.verify || upgraded || body.kind !== 'complete') return { kind: 'skipped' };
    return verifyResponse({
        canisterId: context.canisterId,
        request: context.request.asReceived,
        response: { statusCode: response.statusCode, headers: response.headers, body: joinChunks(body.chunks) },
        rootKey: context.network.rootKey,
        nowNanos: await context.network.time()
    });
}

/** Writes a chunk and waits while the client's socket is full, so a slow client slows the callbacks. */
function writeChunk(response: ServerResponse, chunk: Uint8Array): Promise<void> {
    if (chunk.length === 0 || response.write(chunk)) return Promise.resolve();
    return new Promise((resolve) => {
        const done = () => {
            response.off('drain', done);
            response.off('close', done);
            resolve();
        };
        response.on('drain', done);
        response.on('close', done);
    });
}

/** Lets other requests in between two callbacks (each callback runs synchronously on the core). */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

async function streamRest(response: ServerResponse, stream: CallbackStream, log: (message: string) => void): Promise<void> {
    try {
        while (!stream.done && !response.destroyed) {
            await nextTurn();
            await writeChunk(response, stream.next());
        }
        response.end();
    } catch (error) {
        // The status line is gone: ending the connection without the final chunk is the only way
        // left to tell the client the body is incomplete (after what was sent has been flushed).
        log(`streaming aborted: ${(error as Error).message}`);
        abortResponse(response);
    }
}

async function serve(context: GatewayContext, response: ServerResponse, log: (message: string) => void): Promise<void> {
    const { response: canisterResponse, upgraded } = await callCanister(context);
    const status = statusOf(canisterResponse);
    const streaming = canisterResponse.streaming;
    const stream = streaming && new CallbackStream(context.network, context.canisterId, streaming, context.options.maxStreamChunks);
    const body = collectBody(canisterResponse.body, stream, context.options.maxVerifiedCallbacks);
    const verified = await verification(context, canisterResponse, body, upgraded);
    const forwarded = selectForwardedHeaders(canisterResponse.headers, verified, context.request.isRangeRequest);
    const framing = bodyFraming(context.request.canister.method, status, body);
    response.writeHead(status, responseHeaderList(forwarded, framing));
    const sendsBody = framing.kind === 'complete' || framing.kind === 'streamed';
    if (sendsBody) for (const chunk of body.kind === 'complete' ? body.chunks : body.prefix) await writeChunk(response, chunk);
    if (body.kind === 'complete' || !sendsBody) response.end();
    else await streamRest(response, body.rest, log);
}

/**
 * Response verification matches the percent-decoded URL path against the certification tree, so a
 * path that does not decode to UTF-8 can never verify: refuse it as a bad request (400) instead of
 * calling the canister and answering 500 "verification failed". Raw hosts pass it through.
 */
function assertVerifiablePath(target: string): void {
    const path = target.split(/[?#]/, 1)[0] ?? '';
    try {
        decodeURIComponent(path);
    } catch {
        throw new GatewayError(400, 'Bad request: the URL path is not valid UTF-8 once percent-decoded, so its response could not be verified');
    }
}

export function createHttpGatewayHandler(resolve: GatewayNetworkResolver, options: HttpGatewayOptions = {}): HttpHandler {
    const domains = options.domains ?? DEFAULT_GATEWAY_DOMAINS;
    const limits = {
        maxRequestBodyBytes: options.maxRequestBodyBytes ?? DEFAULT_MAX_REQUEST_BODY_BYTES,
        maxVerifiedCallbacks: options.maxVerifiedCallbacks ?? MAX_VERIFIED_CALLBACKS,
        maxStreamChunks: options.maxStreamChunks ?? MAX_STREAM_CHUNKS
    };
    const log = options.log ?? ((message: string) => process.stderr.write(`[localnet gateway] ${message}\n`));

    return async (request: IncomingMessage, response: ServerResponse) => {
        const target = resolveCanister(
            { host: request.headers.host, target: request.url ?? '/', referer: request.headers.referer },
            domains
        );
        if (target.kind === 'none') return false;
        try {
            if (target.kind === 'invalid') throw new GatewayError(400, target.message);
            const network = resolve();
            if (!network) throw new GatewayError(503, 'The instance behind this gateway is not available (deleted or not created yet)');
            assertValidRequestTarget(request.url ?? '/');
            if (target.verify) assertVerifiablePath(request.url ?? '/');
            const body = await readRequestBody(request, limits.maxRequestBodyBytes);
            const context: GatewayContext = {
                network,
                canisterId: target.canisterId,
                verify: target.verify,
                request: toGatewayRequest(request, body),
                options: limits
            };
            await serve(context, response, log);
        } catch (error) {
            // Nothing written back or logged repeats the target: its query may carry a token.
            const url = request.url ?? '/';
            if (error instanceof GatewayError) {
                writeGatewayError(response, new GatewayError(error.status, withoutTarget(error.message, url)));
            } else {
                log(`${request.method} ${loggablePath(url)} failed: ${withoutTarget(error instanceof Error ? (error.stack ?? error.message) : String(error), url)}`);
                writeGatewayError(response, new GatewayError(500, `Internal gateway error: ${withoutTarget(error instanceof Error ? error.message : String(error), url)}`));
            }
        }
        return true;
    };
}
