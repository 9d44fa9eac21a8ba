/**
 * The bucket's HTTP behaviour (docs/bucket-interface.md, "HTTP"): routing, token verification,
 * conditional and Range requests, inline or streamed bodies, and the streaming callback. Pure:
 * everything it needs comes in through HttpContext, so Node tests run it without a canister.
 */
import {
    constantTimeEqual,
    contentRange,
    isPassiveMedia,
    isAssetPath,
    isVariant,
    parseAssetLocator,
    parseRange,
    queryParam,
    splitRequestTarget,
    TOKEN_ERROR_HEADER,
    TOKEN_ERROR_HTTP,
    unsatisfiedContentRange,
    type AssetLocator,
    type Result,
    type TokenErrorCode
} from '@icp-private-assets/shared';
import type { AssetRecord, AssetStore } from './assetStore';
import { headerValues, type HeaderField, type HttpRequest, type HttpResponse, type ResponseHeaderField, type StreamingToken } from './httpTypes';
import { baseHeaders, etagOf, ifNoneMatchHits } from './responseHeaders';
import { verifyRead, type ReadAccessContext } from './readAccess';
import { streamMacMessage, type StreamPosition } from './streamMac';

/** Bodies of this size or more are streamed through the callback. */
export const INLINE_LIMIT = 2_000_000;
export const ALLOWED_METHODS = 'GET, HEAD, OPTIONS';
/**
 * With an expired access token, a stream continues only from a position handed out at most this
 * long ago: the gateway asks for the next chunk at once, so only a stalled or replayed stream waits
 * longer, and neither may go on reading past its token's life.
 */
export const STREAM_STEP_SECONDS = 60;
/** The request headers the bucket reads (lower case); the canister's decoder drops every other one. */
export const REQUEST_HEADERS_READ = ['authorization', 'range', 'if-none-match', 'service-worker', 'sec-fetch-dest'] as const;
/** Request destinations that would run a response as script: refused whatever the token says. */
const SCRIPT_DESTINATIONS = new Set(['script', 'worker', 'sharedworker', 'serviceworker', 'audioworklet', 'paintworklet']);

export interface HttpContext extends ReadAccessContext {
    readonly nowSeconds: number;
    readonly assets: AssetStore;
    readonly streamGraceSeconds: number;
    /** IC-Certificate / IC-CertificateExpression for this response. */
    readonly certification: readonly ResponseHeaderField[];
    health(): string;
    metricsText(): string;
}

const text = (value: string): Uint8Array => new TextEncoder().encode(value);

function plain(status: number, message: string, ctx: HttpContext, extra: ResponseHeaderField[] = []): HttpResponse {
    const body = text(`${message}\n`);
    return {
        statusCode: status,
        headers: [['Content-Type', 'text/plain; charset=utf-8'], ['Content-Length', String(body.length)], ...extra, ...baseHeaders(ctx.certification)],
        body
    };
}

/** The status, `X-Token-Error` and a fixed text per code: nothing from the token or the keyring. */
function tokenFailure(code: TokenErrorCode, ctx: HttpContext): HttpResponse {
    const mapping = TOKEN_ERROR_HTTP[code];
    return plain(mapping.status, mapping.message, ctx, [[TOKEN_ERROR_HEADER, mapping.header]]);
}

/** A service worker or script fetch (`Service-Worker: script`, `Sec-Fetch-Dest`): never served. */
function asksForScript(headers: readonly HeaderField[]): boolean {
    if (headerValues(headers, 'service-worker').length > 0) return true;
    return headerValues(headers, 'sec-fetch-dest').some((dest) => SCRIPT_DESTINATIONS.has(dest.trim().toLowerCase()));
}

/** Stored types that are not passive media (uploaded before buckets refused them) are served as downloads. */
function servedAs(contentType: string): ResponseHeaderField[] {
    return isPassiveMedia(contentType)
        ? [['Content-Type', contentType]]
        : [
              ['Content-Type', 'application/octet-stream'],
              ['Content-Disposition', 'attachment']
          ];
}

/** The token from `?token=` or `Authorization: Bearer`; giving two different ones is malformed. */
function extractToken(query: string, headers: readonly HeaderField[]): { token?: string } | { malformed: string } {
    const param = queryParam(query, 'token');
    if (param.kind === 'invalid') return { malformed: `token parameter ${param.reason === 'duplicate' ? 'repeated' : 'badly encoded'}` };
    const bearer = headerValues(headers, 'authorization')
        .map((value) => /^Bearer\s+(\S+)\s*$/i.exec(value)?.[1])
        .filter((value): value is string => value !== undefined);
    if (bearer.length > 1) return { malformed: 'more than one bearer token' };
    const fromQuery = param.kind === 'value' ? param.value : undefined;
    const fromHeader = bearer[0];
    if (fromQuery !== undefined && fromHeader !== undefined && fromQuery !== fromHeader) {
        return { malformed: 'different tokens in the query and the Authorization header' };
    }
    const token = fromHeader ?? fromQuery;
    return token === undefined ? {} : { token };
}

/** End (exclusive) of the stored chunk containing `offset`, capped at `end`. */
function chunkEnd(record: AssetRecord, offset: number, end: number): number {
    return Math.min(end, (Math.floor(offset / record.chunkSize) + 1) * record.chunkSize);
}

export function handleHttpRequest(request: HttpRequest, ctx: HttpContext): HttpResponse {
    const method = request.method.toUpperCase();
    const target = splitRequestTarget(request.url);

    if (method === 'OPTIONS') {
        return {
            statusCode: 204,
            headers: [
                ['Access-Control-Allow-Methods', ALLOWED_METHODS],
                ['Access-Control-Allow-Headers', 'Authorization, Range, If-None-Match'],
                ['Access-Control-Max-Age', '600'],
                ...baseHeaders(ctx.certification)
            ],
            body: new Uint8Array(0)
        };
    }
    if (method !== 'GET' && method !== 'HEAD') return plain(405, 'method not allowed', ctx, [['Allow', ALLOWED_METHODS]]);
    if (asksForScript(request.headers)) return plain(403, 'scripts and workers are not served', ctx);

    const head = method === 'HEAD';
    if (target.path === '/health') return json(200, ctx.health(), ctx, head);
    if (target.path === '/metrics') return body(200, 'text/plain; version=0.0.4; charset=utf-8', text(ctx.metricsText()), ctx, head);
    if (!isAssetPath(target.path)) return plain(404, 'not found', ctx);

    const parsed = parseAssetLocator(target);
    if (!parsed.ok) return plain(400, `bad asset path: ${parsed.detail}`, ctx);
    const { locator } = parsed;

    const extracted = extractToken(target.query, request.headers);
    if ('malformed' in extracted) return tokenFailure('MALFORMED', ctx);
    const verified = verifyRead(extracted.token, locator, ctx, ctx.nowSeconds);
    if (!verified.ok) return tokenFailure(verified.code, ctx);

    const record = ctx.assets.find(locator.memoryId, locator.variant, locator.assetId ?? '');
    if (!record) return plain(404, 'asset not found', ctx);

    const etag = etagOf(record.sha256);
    const assetHeaders: ResponseHeaderField[] = [
        ...servedAs(record.contentType),
        ['ETag', etag],
        ['Accept-Ranges', 'bytes']
    ];
    if (ifNoneMatchHits(headerValues(request.headers, 'if-none-match'), etag)) {
        return { statusCode: 304, headers: [['ETag', etag], ['Accept-Ranges', 'bytes'], ...baseHeaders(ctx.certification)], body: new Uint8Array(0) };
    }

    const rangeHeaders = headerValues(request.headers, 'range');
    const range = rangeHeaders.length === 1 ? parseRange(rangeHeaders[0], record.size) : { kind: 'ignore' as const };
    if (range.kind === 'unsatisfiable') {
        return plain(416, 'range not satisfiable', ctx, [['Content-Range', unsatisfiedContentRange(record.size)], ['ETag', etag], ['Accept-Ranges', 'bytes']]);
    }
    const start = range.kind === 'partial' ? range.start : 0;
    const end = range.kind === 'partial' ? range.end + 1 : record.size;
    const status = range.kind === 'partial' ? 206 : 200;
    const headers: ResponseHeaderField[] = [
        ...assetHeaders,
        ['Content-Length', String(end - start)],
        ...(range.kind === 'partial' ? ([['Content-Range', contentRange(start, end - 1, record.size)]] as ResponseHeaderField[]) : []),
        ...baseHeaders(ctx.certification)
    ];
    if (head) return { statusCode: status, headers, body: new Uint8Array(0) };
    if (end - start < INLINE_LIMIT) {
        return { statusCode: status, headers, body: ctx.assets.readRange(record, start, end) };
    }

    const firstEnd = chunkEnd(record, start, end);
    const streaming = sealPosition(
        {
            memoryId: record.memoryId,
            variant: record.variant,
            assetId: record.assetId,
            chunkIndex: 1,
            offset: BigInt(firstEnd),
            end: BigInt(end),
            issuedAt: BigInt(ctx.nowSeconds),
            accessToken: extracted.token!,
            etag: record.sha256
        },
        ctx.keyring.verifierFor(verified.claims.kid, ctx.nowSeconds)!,
        verified.mac
    );
    return { statusCode: status, headers, body: ctx.assets.readRange(record, start, firstEnd), streaming };
}

/** The streaming token for a position, sealed with the access token's key. */
function sealPosition(position: StreamPosition, mac: (message: Uint8Array) => Uint8Array, accessTokenMac: Uint8Array): StreamingToken {
    return {
        memory_id: position.memoryId,
        variant: position.variant,
        asset_id: position.assetId,
        chunk_index: position.chunkIndex,
        offset: position.offset,
        end: position.end,
        issued_at: position.issuedAt,
        access_token: position.accessToken,
        etag: position.etag,
        stream_mac: mac(streamMacMessage(position, accessTokenMac))
    };
}

function body(status: number, contentType: string, content: Uint8Array, ctx: HttpContext, head: boolean): HttpResponse {
    return {
        statusCode: status,
        headers: [['Content-Type', contentType], ['Content-Length', String(content.length)], ...baseHeaders(ctx.certification)],
        body: head ? new Uint8Array(0) : content
    };
}

function json(status: number, content: string, ctx: HttpContext, head: boolean): HttpResponse {
    return body(status, 'application/json', text(content), ctx, head);
}

/** The next chunk and position, or the reason the callback rejects. */
export type StreamingResult = Result<{ body: Uint8Array; token?: StreamingToken }, string>;

/**
 * The next chunk of a stream http_request started. The token must be sealed by this bucket (its
 * MAC covers every field), the access token must still verify (revocations included) and the
 * asset must be unchanged. An access token that expired less than the grace period ago is
 * accepted only to go on from a position handed out in the last STREAM_STEP_SECONDS: a stream
 * moves forward; it is never restarted, rewound or widened after its token expired.
 */
export function handleStreamingCallback(token: StreamingToken, ctx: HttpContext): StreamingResult {
    if (!isVariant(token.variant)) return { Err: 'invalid streaming token' };
    const locator: AssetLocator = {
        memoryId: token.memory_id,
        variant: token.variant,
        ...(token.asset_id !== '' ? { assetId: token.asset_id } : {})
    };
    const verified = verifyRead(token.access_token, locator, ctx, ctx.nowSeconds, ctx.streamGraceSeconds);
    if (!verified.ok) return { Err: `access token refused: ${TOKEN_ERROR_HTTP[verified.code].header}` };
    const position: StreamPosition = {
        memoryId: token.memory_id,
        variant: token.variant,
        assetId: token.asset_id,
        chunkIndex: token.chunk_index,
        offset: token.offset,
        end: token.end,
        issuedAt: token.issued_at,
        accessToken: token.access_token,
        etag: token.etag
    };
    const mac = ctx.keyring.verifierFor(verified.claims.kid, ctx.nowSeconds)!;
    if (!constantTimeEqual(mac(streamMacMessage(position, verified.mac)), token.stream_mac)) return { Err: 'invalid streaming token' };
    if (verified.expiredWithinGrace && BigInt(ctx.nowSeconds) - token.issued_at > BigInt(STREAM_STEP_SECONDS)) {
        return { Err: 'access token refused: expired' };
    }

    const record = ctx.assets.find(locator.memoryId, locator.variant, token.asset_id);
    if (!record) return { Err: 'asset no longer exists' };
    if (record.sha256 !== token.etag) return { Err: 'asset changed since the stream started' };
    const offset = Number(token.offset);
    const end = Number(token.end);
    if (!(offset >= 0 && offset < end && end <= record.size)) return { Err: 'invalid streaming token' };

    const next = chunkEnd(record, offset, end);
    const body = ctx.assets.readRange(record, offset, next);
    if (next >= end) return { Ok: { body } };
    return { Ok: { body, token: sealPosition({ ...position, chunkIndex: token.chunk_index + 1, offset: BigInt(next), issuedAt: BigInt(ctx.nowSeconds) }, mac, verified.mac) } };
}
