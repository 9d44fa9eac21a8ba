/**
 * The claims a token carries, and the checks that make a set of claims mintable.
 * Field semantics and limits are specified in docs/token-format.md.
 */
import { Principal } from '@dfinity/principal';
import { isValidId, isValidKid, MAX_ID_LENGTH } from './ids';
import { isVariant, type Variant } from './variants';

export const TOKEN_VERSION = 1;

/**
 * What a token allows. A token of one purpose is never accepted for another, so an HTTP read
 * token can never authorize an upload and vice versa.
 */
export const TOKEN_PURPOSES = ['read', 'upload', 'delete'] as const;
export type TokenPurpose = (typeof TOKEN_PURPOSES)[number];

export interface TokenScope {
    readonly memoryId: string;
    /** Non-empty set of variants; order does not matter, duplicates are refused. */
    readonly variants: readonly Variant[];
    /** When present: the only asset ids allowed (1..MAX_ASSET_IDS, no duplicates). */
    readonly assetIds?: readonly string[];
}

export interface TokenClaims {
    readonly version: typeof TOKEN_VERSION;
    readonly purpose: TokenPurpose;
    readonly kid: string;
    /** Bucket canister principal (text) the token is for. */
    readonly aud: string;
    /** Principal (text) the token was minted for. Required for upload and delete tokens. */
    readonly sub?: string;
    readonly scope: TokenScope;
    /** Issued-at and expiry, whole seconds since the Unix epoch. */
    readonly iat: number;
    readonly exp: number;
    /** 96 bits from the minter's CSPRNG. */
    readonly nonce: Uint8Array;
}

/** Claims as given to mintToken: the version is implied and the kid comes from the key. */
export type MintClaims = Omit<TokenClaims, 'version' | 'kid'>;

export const NONCE_LENGTH = 12;
export const MAX_ASSET_IDS = 16;
export const MAX_PRINCIPAL_BYTES = 29;
/** Hard ceiling on exp - iat; deployments cap lower (the auth canister's max TTL). */
export const MAX_TOKEN_LIFETIME_SECONDS = 86_400;

export class InvalidClaimsError extends Error {
    override name = 'InvalidClaimsError';
}

export function isTokenPurpose(value: unknown): value is TokenPurpose {
    return typeof value === 'string' && (TOKEN_PURPOSES as readonly string[]).includes(value);
}

/** Principal text → raw bytes; throws InvalidClaimsError naming the field when invalid. */
export function principalBytes(field: string, text: unknown): Uint8Array {
    if (typeof text !== 'string') {
        throw new InvalidClaimsError(`${field} must be a principal in text form`);
    }
    let bytes: Uint8Array;
    try {
        bytes = Principal.fromText(text).toUint8Array();
    } catch {
        throw new InvalidClaimsError(`${field} is not a valid principal: ${JSON.stringify(text)}`);
    }
    if (bytes.length < 1 || bytes.length > MAX_PRINCIPAL_BYTES) {
        throw new InvalidClaimsError(`${field} must be a principal of 1..${MAX_PRINCIPAL_BYTES} bytes`);
    }
    return bytes;
}

function isWholeSeconds(value: unknown): value is number {
    return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** What checking claims parsed on the way, so that encoding does not parse principals again. */
export interface CheckedPrincipals {
    readonly aud: Uint8Array;
    /** Empty when the claims have no sub. */
    readonly sub: Uint8Array;
}

/**
 * Throws InvalidClaimsError unless the claims can be minted. Every rule here is mirrored by the
 * decoder, so a token that verifies always has claims that pass this check.
 */
export function assertMintableClaims(claims: TokenClaims): CheckedPrincipals {
    if (claims.version !== TOKEN_VERSION) {
        throw new InvalidClaimsError(`unsupported token version ${String(claims.version)}`);
    }
    if (!isTokenPurpose(claims.purpose)) {
        throw new InvalidClaimsError(`purpose must be one of ${TOKEN_PURPOSES.join(', ')}`);
    }
    if (!isValidKid(claims.kid)) {
        throw new InvalidClaimsError('kid must be 1..32 characters of [A-Za-z0-9_-]');
    }
    const aud = principalBytes('aud', claims.aud);
    let sub: Uint8Array = new Uint8Array(0);
    if (claims.sub !== undefined) {
        sub = principalBytes('sub', claims.sub);
    } else if (claims.purpose !== 'read') {
        throw new InvalidClaimsError(`a ${claims.purpose} token must name its holder in sub`);
    }
    assertValidScope(claims.scope);
    if (!isWholeSeconds(claims.iat) || !isWholeSeconds(claims.exp)) {
        throw new InvalidClaimsError('iat and exp must be whole seconds (safe non-negative integers)');
    }
    if (claims.exp <= claims.iat) {
        throw new InvalidClaimsError('exp must be after iat');
    }
    if (claims.exp - claims.iat > MAX_TOKEN_LIFETIME_SECONDS) {
        throw new InvalidClaimsError(`token lifetime exceeds ${MAX_TOKEN_LIFETIME_SECONDS} s`);
    }
    if (!(claims.nonce instanceof Uint8Array) || claims.nonce.length !== NONCE_LENGTH) {
        throw new InvalidClaimsError(`nonce must be ${NONCE_LENGTH} bytes`);
    }
    return { aud, sub };
}

function assertValidScope(scope: TokenScope): void {
    if (scope === null || typeof scope !== 'object') {
        throw new InvalidClaimsError('scope is required');
    }
    if (!isValidId(scope.memoryId)) {
        throw new InvalidClaimsError(`scope.memoryId must be 1..${MAX_ID_LENGTH} characters of [A-Za-z0-9_-]`);
    }
    if (!Array.isArray(scope.variants) || scope.variants.length === 0) {
        throw new InvalidClaimsError('scope.variants must be a non-empty list');
    }
    if (!scope.variants.every(isVariant)) {
        throw new InvalidClaimsError('scope.variants holds an unknown variant');
    }
    if (new Set(scope.variants).size !== scope.variants.length) {
        throw new InvalidClaimsError('scope.variants holds a duplicate');
    }
    if (scope.assetIds !== undefined) {
        if (!Array.isArray(scope.assetIds) || scope.assetIds.length === 0) {
            throw new InvalidClaimsError('scope.assetIds, when present, must be a non-empty list');
        }
        if (scope.assetIds.length > MAX_ASSET_IDS) {
            throw new InvalidClaimsError(`scope.assetIds may hold at most ${MAX_ASSET_IDS} ids`);
        }
        if (!scope.assetIds.every(isValidId)) {
            throw new InvalidClaimsError('scope.assetIds holds an invalid id');
        }
        if (new Set(scope.assetIds).size !== scope.assetIds.length) {
            throw new InvalidClaimsError('scope.assetIds holds a duplicate');
        }
    }
}
