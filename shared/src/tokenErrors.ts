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
    'SCOPE_MISMATCH',
    'REVOKED'
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
    /**
     * The fixed text a verifier answers with (response bodies, Candid replies): it never names a
     * key id or echoes anything from the request.
     */
    readonly message: string;
}

export const TOKEN_ERROR_HTTP: Readonly<Record<TokenErrorCode, TokenErrorHttp>> = {
    MISSING: { status: 401, header: 'missing', remint: true, message: 'token missing' },
    MALFORMED: { status: 401, header: 'malformed', remint: false, message: 'token malformed' },
    UNKNOWN_KEY: { status: 401, header: 'unknown_key', remint: true, message: 'token signed with a key this bucket does not hold' },
    BAD_SIGNATURE: { status: 403, header: 'bad_signature', remint: false, message: 'token signature invalid' },
    WRONG_AUDIENCE: { status: 403, header: 'wrong_audience', remint: false, message: 'token is for another bucket' },
    EXPIRED: { status: 403, header: 'expired', remint: true, message: 'token expired' },
    NOT_YET_VALID: { status: 403, header: 'not_yet_valid', remint: false, message: 'token not yet valid' },
    SCOPE_MISMATCH: { status: 403, header: 'scope_mismatch', remint: false, message: 'token does not cover this asset' },
    // Revoked tokens are re-minted: the caller may still have access (another member was revoked,
    // ownership changed); the auth canister refuses the new token if not.
    REVOKED: { status: 403, header: 'revoked', remint: true, message: 'token revoked' }
};

/** Maps an X-Token-Error header value back to its code (for clients reading responses). */
export function tokenErrorCodeFromHeader(value: string | null | undefined): TokenErrorCode | undefined {
    if (!value) return undefined;
    const normalized = value.trim().toLowerCase();
    return TOKEN_ERROR_CODES.find((code) => TOKEN_ERROR_HTTP[code].header === normalized);
}
