/**
 * Verification failure codes and how each one is reported over HTTP.
 * 401: the request carries no usable credential (absent, unreadable, or signed by a key this
 * bucket does not hold); 403: a readable credential that does not grant this request.
 */

export const TOKEN_ERROR_CODES = [
    'MISSING',
    'MALFORMED',
    'UNKNOWN_KEY',
    'BAD_SIGNATURE',
    'WRONG_AUDIENCE',
    'EXPIRED',
    'NOT_YET_VALID',
    'SCOPE_MISMATCH'
] as const;

export type TokenErrorCode = (typeof TOKEN_ERROR_CODES)[number];

/** Name of the response header that carries the machine-readable reason. */
export const TOKEN_ERROR_HEADER = 'X-Token-Error';

export interface TokenErrorHttp {
    readonly status: 401 | 403;
    /** Value of the X-Token-Error header. */
    readonly header: string;
    /**
     * Whether asking the auth canister for a fresh token can help: true when the token is absent,
     * too old, or signed with a key the bucket no longer (or not yet) holds.
     */
    readonly remint: boolean;
}

export const TOKEN_ERROR_HTTP: Readonly<Record<TokenErrorCode, TokenErrorHttp>> = {
    MISSING: { status: 401, header: 'missing', remint: true },
    MALFORMED: { status: 401, header: 'malformed', remint: false },
    UNKNOWN_KEY: { status: 401, header: 'unknown_key', remint: true },
    BAD_SIGNATURE: { status: 403, header: 'bad_signature', remint: false },
    WRONG_AUDIENCE: { status: 403, header: 'wrong_audience', remint: false },
    EXPIRED: { status: 403, header: 'expired', remint: true },
    NOT_YET_VALID: { status: 403, header: 'not_yet_valid', remint: false },
    SCOPE_MISMATCH: { status: 403, header: 'scope_mismatch', remint: false }
};

/** Maps an X-Token-Error header value back to its code (for clients reading responses). */
export function tokenErrorCodeFromHeader(value: string | null | undefined): TokenErrorCode | undefined {
    if (!value) return undefined;
    const normalized = value.trim().toLowerCase();
    return TOKEN_ERROR_CODES.find((code) => TOKEN_ERROR_HTTP[code].header === normalized);
}
