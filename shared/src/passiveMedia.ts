/**
 * Which content types a bucket stores and serves: passive media only. Every memory on a bucket
 * shares the bucket's origin, so anything that could run script there (HTML, JavaScript, SVG,
 * XML, PDF…) would run with access to every other memory's URLs and tokens. Images (except SVG,
 * which can carry script), video and audio cannot.
 */

/** A media type as a Content-Type header may carry it: `type/subtype` with optional parameters. */
const MEDIA_TYPE = /^([A-Za-z0-9!#$&^_.+-]+)\/([A-Za-z0-9!#$&^_.+-]+)(\s*;\s*[A-Za-z0-9!#$&^_.+-]+=("[^"\r\n]*"|[A-Za-z0-9!#$&^_.+-]+))*$/;
export const MAX_CONTENT_TYPE_LENGTH = 128;

const PASSIVE_TOP_LEVEL = new Set(['image', 'video', 'audio']);
/** Image subtypes that are documents, not pictures: SVG runs script when opened. */
const ACTIVE_IMAGE_SUBTYPES = new Set(['svg+xml', 'svg']);

export type ContentTypeCheck = { readonly ok: true } | { readonly ok: false; readonly reason: 'malformed' | 'not_passive' };

/** Whether a bucket accepts `contentType` for upload (and serves it as stored). */
export function checkContentType(contentType: string): ContentTypeCheck {
    if (contentType.length > MAX_CONTENT_TYPE_LENGTH) return { ok: false, reason: 'malformed' };
    const match = MEDIA_TYPE.exec(contentType);
    if (!match) return { ok: false, reason: 'malformed' };
    const type = match[1]!.toLowerCase();
    const subtype = match[2]!.toLowerCase();
    if (!PASSIVE_TOP_LEVEL.has(type)) return { ok: false, reason: 'not_passive' };
    if (type === 'image' && ACTIVE_IMAGE_SUBTYPES.has(subtype)) return { ok: false, reason: 'not_passive' };
    return { ok: true };
}

export function isPassiveMedia(contentType: string): boolean {
    return checkContentType(contentType).ok;
}
