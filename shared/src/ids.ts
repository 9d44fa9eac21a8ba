/**
 * Identifiers that appear in tokens and asset URLs (memory ids, asset ids, key ids).
 *
 * One charset everywhere so that an id never needs escaping in a path, a query string, a token or
 * a log line: ASCII letters, digits, '_' and '-'. Dots are excluded, which rules out '.' and '..'
 * path segments by construction.
 */

export const ID_CHARSET_PATTERN = /^[A-Za-z0-9_-]+$/;

/** Memory and asset ids: 1..64 characters of the id charset. */
export const MAX_ID_LENGTH = 64;

/** Key ids: 1..32 characters of the id charset. */
export const MAX_KID_LENGTH = 32;

export function isValidId(value: unknown): value is string {
    return (
        typeof value === 'string' &&
        value.length >= 1 &&
        value.length <= MAX_ID_LENGTH &&
        ID_CHARSET_PATTERN.test(value)
    );
}

export function isValidKid(value: unknown): value is string {
    return (
        typeof value === 'string' &&
        value.length >= 1 &&
        value.length <= MAX_KID_LENGTH &&
        ID_CHARSET_PATTERN.test(value)
    );
}
