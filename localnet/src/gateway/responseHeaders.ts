/**
 * Which of the canister's headers reach the client. The selection follows ic-http-gateway:
 * - fully certified v2 response: only the headers the certificate covers;
 * - certifiably skipped certification (v2, no certified response): all headers;
 * - not verified (raw domain, upgraded call, streamed past the verifiable prefix): all headers
 *   except Content-Length and Content-Range, unless the client sent a Range request.
 * On top of that, Node frames the body itself, so hop-by-hop headers are dropped and
 * Content-Length is the gateway's own whenever it knows the body.
 */
import { validateHeaderName, validateHeaderValue } from 'node:http';
import { GatewayError } from './gatewayError';
import type { HeaderField } from './httpInterfaceIdl';
import type { Verification } from './responseVerification';

/** Connection-level headers a proxy never forwards (RFC 9110 §7.6.1), plus Content-Length, set by the framing below. */
const FRAMING_HEADERS = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'content-length']);

export function selectForwardedHeaders(
    canisterHeaders: readonly HeaderField[],
    verification: Verification,
    isRangeRequest: boolean
): HeaderField[] {
    if (verification.kind === 'verified') return [...(verification.certifiedHeaders ?? canisterHeaders)];
    if (isRangeRequest) return [...canisterHeaders];
    return canisterHeaders.filter(([name]) => !['content-length', 'content-range'].includes(name.toLowerCase()));
}

export type BodyFraming =
    /** The whole body is known: Content-Length is its length. */
    | { readonly kind: 'complete'; readonly length: number }
    /** Streamed with chunked transfer encoding; a forwarded Content-Length is kept (range requests). */
    | { readonly kind: 'streamed' }
    /** HEAD and 304: no body is sent, a forwarded Content-Length describes the full response. */
    | { readonly kind: 'head' }
    /** 204: no body and no Content-Length at all (RFC 9110 §8.6). */
    | { readonly kind: 'none' };

/** The raw `[name, value, name, value…]` list for writeHead; invalid names or values are a 502. */
/** How the body goes out: statuses without a body (RFC 9110 §15) are framed like HEAD. */
export function bodyFraming(method: string, status: number, body: { kind: 'complete'; length: number } | { kind: 'partial' }): BodyFraming {
    if (status === 204) return { kind: 'none' };
    if (method === 'HEAD' || status === 304) return { kind: 'head' };
    return body.kind === 'complete' ? { kind: 'complete', length: body.length } : { kind: 'streamed' };
}

export function responseHeaderList(forwarded: readonly HeaderField[], framing: BodyFraming): string[] {
    const list: string[] = [];
    let contentLength: string | undefined;
    for (const [name, value] of forwarded) {
        const lower = name.toLowerCase();
        if (lower === 'content-length') contentLength ??= value;
        if (FRAMING_HEADERS.has(lower)) continue;
        try {
            validateHeaderName(name);
            validateHeaderValue(name, value);
        } catch (error) {
            throw new GatewayError(502, `The canister's response has an invalid header ${JSON.stringify(name)}: ${(error as Error).message}`);
        }
        list.push(name, value);
    }
    if (framing.kind === 'complete') list.push('content-length', String(framing.length));
    else if (framing.kind !== 'none' && contentLength !== undefined && /^\d+$/.test(contentLength.trim())) list.push('content-length', contentLength.trim());
    return list;
}
