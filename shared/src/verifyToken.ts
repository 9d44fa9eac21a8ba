/**
 * Stateless verification of a token for one request. The order of checks is part of the
 * specification (docs/token-format.md, "Verification"): cheap limits before any decoding, the MAC
 * before any claim is trusted, then audience, time and scope. Bad input never throws.
 */
import { base64UrlNoPad } from './base64';
import type { Keyring } from './keyring';
import { constantTimeEqual, MAC_LENGTH } from './mac';
import { MAX_TOKEN_LENGTH } from './mintToken';
import { MAX_TOKEN_LIFETIME_SECONDS, type TokenClaims, type TokenPurpose } from './tokenClaims';
import { decodePayload } from './tokenCodec';
import type { TokenErrorCode } from './tokenErrors';
import { VARIANTS, type Variant } from './variants';

/** What is being asked for, as the verifier (the bucket) knows it. */
export interface VerifyRequest {
    readonly purpose: TokenPurpose;
    /** The verifier's own principal (text); tokens for other audiences are refused. */
    readonly audience: string;
    /** The same principal's bytes, when the verifier has them: compared without building text. */
    readonly audienceBytes?: Uint8Array;
    readonly memoryId: string;
    /**
     * Required for read and upload. For delete, absent means the whole memory, which needs a
     * token covering every variant with no asset-id restriction.
     */
    readonly variant?: Variant;
    /** Absent means the variant's default asset (a path without an asset id). */
    readonly assetId?: string;
    /** Principal (text) making the call; upload and delete tokens are bound to it via sub. */
    readonly caller?: string;
    /**
     * Tokens for this memory issued before this second (Unix) are void: the auth canister pushed a
     * revocation (a share revoked, ownership transferred, the memory deleted).
     */
    readonly notBefore?: number;
}

export interface VerifyOptions {
    /** Clock skew tolerated on both iat and exp, seconds. Default 30. */
    readonly skewSeconds?: number;
    /** Longest exp - iat accepted, seconds. Default MAX_TOKEN_LIFETIME_SECONDS. */
    readonly maxLifetimeSeconds?: number;
    /**
     * Accept a token that expired less than this many seconds ago (default 0). Only for
     * continuing something the verifier already authorized while the token was valid, such as a
     * stream it started; the result then says `expiredWithinGrace`.
     */
    readonly expiredGraceSeconds?: number;
}

export const DEFAULT_SKEW_SECONDS = 30;

export type VerifyResult =
    /** `mac`: the token's own verified MAC (bytes), which binds the whole token. */
    | { readonly ok: true; readonly claims: TokenClaims; readonly mac: Uint8Array; readonly expiredWithinGrace?: true }
    | { readonly ok: false; readonly code: TokenErrorCode; readonly detail: string };

const TOKEN_CHARSET = /^[A-Za-z0-9_-]+$/;

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
}

function failure(code: TokenErrorCode, detail: string): VerifyResult {
    return { ok: false, code, detail };
}

/**
 * Verifies `token` for `request` at `now` (Unix seconds). Never throws on any token value.
 */
export function verifyToken(
    token: string | null | undefined,
    keyring: Keyring,
    request: VerifyRequest,
    now: number,
    options: VerifyOptions = {}
): VerifyResult {
    if (token === undefined || token === null || token === '') {
        return failure('MISSING', 'no token');
    }
    if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) {
        return failure('MALFORMED', `token longer than ${MAX_TOKEN_LENGTH} characters`);
    }
    if (!TOKEN_CHARSET.test(token)) {
        return failure('MALFORMED', 'token has characters outside base64url');
    }

    let framed: Uint8Array;
    try {
        framed = base64UrlNoPad.decode(token);
    } catch {
        return failure('MALFORMED', 'token is not canonical base64url');
    }
    if (framed.length <= MAC_LENGTH) return failure('MALFORMED', 'token too short');
    const payload = framed.subarray(0, framed.length - MAC_LENGTH);
    const mac = framed.subarray(framed.length - MAC_LENGTH);

    const decoded = decodePayload(payload);
    if (!decoded.ok) return failure('MALFORMED', decoded.reason);
    const { claims, audBytes } = decoded;

    const verifier = keyring.verifierFor(claims.kid, now);
    if (verifier === undefined) return failure('UNKNOWN_KEY', 'no usable key for this token');
    if (!constantTimeEqual(verifier(payload), mac)) return failure('BAD_SIGNATURE', 'MAC mismatch');

    const audienceMatches = request.audienceBytes !== undefined ? bytesEqual(audBytes, request.audienceBytes) : claims.aud === request.audience;
    if (!audienceMatches) return failure('WRONG_AUDIENCE', 'token is for another canister');

    const skew = options.skewSeconds ?? DEFAULT_SKEW_SECONDS;
    const maxLifetime = options.maxLifetimeSeconds ?? MAX_TOKEN_LIFETIME_SECONDS;
    const grace = options.expiredGraceSeconds ?? 0;
    if (now < claims.iat - skew) return failure('NOT_YET_VALID', 'issued in the future');
    const expired = now >= claims.exp + skew;
    if (expired && now >= claims.exp + skew + grace) return failure('EXPIRED', 'token expired');
    if (claims.exp - claims.iat > maxLifetime) return failure('EXPIRED', 'token lifetime exceeds the maximum');

    const scopeProblem = checkScope(claims, request);
    if (scopeProblem !== undefined) return failure('SCOPE_MISMATCH', scopeProblem);
    if (request.notBefore !== undefined && claims.iat < request.notBefore) return failure('REVOKED', 'issued before a revocation');

    return expired ? { ok: true, claims, mac, expiredWithinGrace: true } : { ok: true, claims, mac };
}

/** Returns why the claims do not cover the request, or undefined when they do. */
function checkScope(claims: TokenClaims, request: VerifyRequest): string | undefined {
    if (claims.purpose !== request.purpose) return `token is for ${claims.purpose}, not ${request.purpose}`;
    if (claims.purpose !== 'read' && (request.caller === undefined || claims.sub !== request.caller)) {
        return 'token is bound to another caller';
    }
    const { scope } = claims;
    if (scope.memoryId !== request.memoryId) return 'token is for another memory';
    if (request.variant === undefined) {
        // Only a delete of the whole memory names no variant.
        if (request.purpose !== 'delete') return 'request names no variant';
        if (scope.variants.length !== VARIANTS.length || scope.assetIds !== undefined) {
            return 'deleting a whole memory needs a token for all of it';
        }
        return undefined;
    }
    if (!scope.variants.includes(request.variant)) return 'token does not cover this variant';
    if (scope.assetIds !== undefined) {
        if (request.assetId === undefined || !scope.assetIds.includes(request.assetId)) {
            return 'token does not cover this asset';
        }
    }
    return undefined;
}
