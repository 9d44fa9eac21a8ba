/**
 * Why an asset did not load, from what its bucket answered (status and `X-Token-Error`), and
 * what the client should do about it. Token errors are looked up in the shared table
 * (`TOKEN_ERROR_HTTP`), so a code added there is classified without a change here.
 */
import { TOKEN_ERROR_HTTP, tokenErrorCodeFromHeader, type TokenErrorCode } from '@icp-private-assets/shared';

export type AssetFailure =
    /** The bucket refused the token. `remint`: a fresh token may help (expired, rotated key, …). */
    | { readonly kind: 'token'; readonly code: TokenErrorCode; readonly remint: boolean }
    /** A 401/403 without a code we know: treated as a refusal that a fresh token may cure once. */
    | { readonly kind: 'token'; readonly code: undefined; readonly remint: true }
    /** The token was accepted but the bucket holds no such asset. */
    | { readonly kind: 'not-found' }
    /** The bucket or gateway could not answer (5xx, network failure): the agent path may still work. */
    | { readonly kind: 'unavailable'; readonly status?: number }
    /** The bytes arrived but the browser cannot show them. */
    | { readonly kind: 'undecodable' }
    | { readonly kind: 'unexpected'; readonly status: number };

export interface AssetResponseFacts {
    readonly status: number;
    /** The `X-Token-Error` header, if any. */
    readonly tokenError?: string | null;
}

export function classifyAssetResponse({ status, tokenError }: AssetResponseFacts): AssetFailure {
    if (status === 401 || status === 403) {
        const code = tokenErrorCodeFromHeader(tokenError);
        if (code === undefined) return { kind: 'token', code: undefined, remint: true };
        return { kind: 'token', code, remint: TOKEN_ERROR_HTTP[code].remint };
    }
    if (status === 404) return { kind: 'not-found' };
    if (status >= 500 || status === 0) return { kind: 'unavailable', status };
    if (status >= 200 && status < 300) return { kind: 'undecodable' };
    return { kind: 'unexpected', status };
}

/** Token errors that mean the caller is not allowed this asset (as opposed to a broken token). */
export function isAccessRefusal(code: TokenErrorCode | undefined): boolean {
    return code !== undefined && TOKEN_ERROR_HTTP[code].status === 403 && !TOKEN_ERROR_HTTP[code].remint;
}
