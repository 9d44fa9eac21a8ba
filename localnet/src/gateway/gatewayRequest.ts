/**
 * The HttpRequest a canister receives for a browser request, built as ic-http-gateway builds it:
 * method and request-line URL verbatim, header names lower-cased in arrival order (duplicates
 * kept), `x-request-id` dropped, `identity` appended to Accept-Encoding (canisters may always
 * answer uncompressed), the body unchanged.
 */
import type { IncomingMessage } from 'node:http';
import { readBoundedBody } from '../http/boundedBody';
import { GatewayError } from './gatewayError';
import type { CanisterHttpRequest } from './httpInterfaceCandid';
import type { HeaderField } from './httpInterfaceIdl';

export interface GatewayRequest {
    /** What the canister is sent. */
    readonly canister: CanisterHttpRequest;
    /** What response verification is given: the same request before the gateway's header edits. */
    readonly asReceived: CanisterHttpRequest;
    /** A Range or If-Range header was sent (Content-Length/Content-Range are then kept). */
    readonly isRangeRequest: boolean;
}

/** The request-line target as path and query; absolute-form targets lose scheme and authority. */
export function requestUrl(target: string): string {
    if (target.startsWith('/')) return target;
    try {
        const parsed = new URL(target);
        return `${parsed.pathname}${parsed.search}`;
    } catch {
        return target;
    }
}

function withIdentity(acceptEncoding: string): string {
    const encodings = acceptEncoding.split(',').map((encoding) => encoding.trim());
    if (!encodings.some((encoding) => encoding.toLowerCase() === 'identity')) encodings.push('identity');
    return encodings.join(', ');
}

export function toGatewayRequest(request: IncomingMessage, body: Uint8Array): GatewayRequest {
    const received: HeaderField[] = [];
    for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) {
        received.push([request.rawHeaders[i]!.toLowerCase(), request.rawHeaders[i + 1]!]);
    }
    const sent: HeaderField[] = [];
    let isRangeRequest = false;
    for (const [name, value] of received) {
        if (name === 'x-request-id') continue;
        if (name === 'range' || name === 'if-range') isRangeRequest = true;
        sent.push([name, name === 'accept-encoding' ? withIdentity(value) : value]);
    }
    const method = (request.method ?? 'GET').toUpperCase();
    const url = requestUrl(request.url ?? '/');
    return {
        canister: { method, url, headers: sent, body },
        asReceived: { method, url, headers: received, body },
        isRangeRequest
    };
}

/** Reads the request body, refusing more than `limitBytes` with a 413. */
export async function readRequestBody(request: IncomingMessage, limitBytes: number): Promise<Uint8Array> {
    const body = await readBoundedBody(request, limitBytes, {
        tooLarge: (declared) =>
            new GatewayError(
                413,
                declared === undefined ? `Request body exceeds the gateway's limit of ${limitBytes} bytes` : `Request body of ${declared} bytes exceeds the gateway's limit of ${limitBytes} bytes`
            ),
        incomplete: () => new GatewayError(400, 'The client closed the connection before sending the whole body')
    });
    return new Uint8Array(body.buffer, body.byteOffset, body.length);
}
