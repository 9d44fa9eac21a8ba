/** Headers every bucket response carries, and the CORS policy that lets fetch() read them. */
import { TOKEN_ERROR_HEADER } from '@icp-private-assets/shared';
import type { ResponseHeaderField } from './httpTypes';

/**
 * Nothing a bucket serves may run: no script, no plugin, no form, no frame, in a unique opaque
 * origin (`sandbox`), even if a browser were made to render a response as a document.
 */
export const CONTENT_SECURITY_POLICY = "default-src 'none'; sandbox";
/** Other origins (the frontend) may embed the media, including under Cross-Origin-Embedder-Policy. */
export const CROSS_ORIGIN_RESOURCE_POLICY = 'cross-origin';

export const EXPOSED_HEADERS = `ETag, Content-Range, Content-Length, Accept-Ranges, ${TOKEN_ERROR_HEADER}`;

/**
 * Private, never cached by shared caches or the browser; no MIME sniffing; nothing runs; readable
 * cross-origin. The same array objects in every response: the canister's encoder keeps their
 * Candid bytes and finds them by identity (hashing these strings per response would cost more).
 */
export const BASE_HEADERS: readonly ResponseHeaderField[] = [
    ['Cache-Control', 'private, no-store'],
    ['X-Content-Type-Options', 'nosniff'],
    ['Content-Security-Policy', CONTENT_SECURITY_POLICY],
    ['Cross-Origin-Resource-Policy', CROSS_ORIGIN_RESOURCE_POLICY],
    ['Access-Control-Allow-Origin', '*'],
    ['Access-Control-Expose-Headers', EXPOSED_HEADERS],
    ['Vary', 'Authorization, Range']
];

/** Header names (and values) that vary only in their pairing: pre-encoded once by the canister. */
export const CONSTANT_HEADER_STRINGS = ['Content-Type', 'Content-Length', 'ETag', 'Accept-Ranges', 'bytes', 'Content-Range', 'IC-Certificate'];

export function baseHeaders(certification: readonly ResponseHeaderField[]): ResponseHeaderField[] {
    return [...BASE_HEADERS, ...certification];
}

export function etagOf(sha256Hex: string): string {
    return `"${sha256Hex}"`;
}

/** True when an If-None-Match value lists this ETag (weak or strong) or is `*`. */
export function ifNoneMatchHits(values: readonly string[], etag: string): boolean {
    for (const value of values) {
        for (const candidate of value.split(',')) {
            const tag = candidate.trim().replace(/^W\//, '');
            if (tag === '*' || tag === etag) return true;
        }
    }
    return false;
}
