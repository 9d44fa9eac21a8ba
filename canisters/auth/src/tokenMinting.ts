/** Building tokens for a memory on its bucket: request validation, lifetimes, claims. */
import { InvalidClaimsError, isVariant, type Result, type TokenPurpose, type TokenSigner, type Variant } from '@icp-private-assets/shared';

export interface MintRequest {
    readonly purpose: TokenPurpose;
    readonly memoryId: string;
    readonly bucket: string;
    readonly caller: string;
    readonly variants: readonly string[];
    readonly assetIds?: readonly string[];
    readonly ttlSeconds: number;
    readonly nowSeconds: number;
    /** The memory's revocation cutoff: tokens are issued from it on, so the bucket never takes them for revoked ones. */
    readonly notBefore?: number;
    readonly nonce: Uint8Array;
    /** The bucket's key for the kid it acknowledged, as a keyed signer (createTokenSigner). */
    readonly signer: { readonly kid: string; readonly sign: TokenSigner };
}

export interface Minted {
    readonly token: string;
    readonly bucket: string;
    readonly expiresAt: number;
    readonly kid: string;
}

/** Mints, or explains why the request is invalid (never throws for bad input). */
export function mintForMemory(request: MintRequest): Result<Minted, string> {
    if (request.variants.length === 0 || !request.variants.every(isVariant)) return { Err: 'variants must name at least one known variant' };
    if (new Set(request.variants).size !== request.variants.length) return { Err: 'variants must not repeat' };
    // Within the second of a revocation, tokens carry the cutoff as iat (at most 1 s ahead, inside the skew).
    const iat = Math.max(request.nowSeconds, request.notBefore ?? 0);
    const exp = iat + request.ttlSeconds;
    try {
        const token = request.signer.sign({
            purpose: request.purpose,
            aud: request.bucket,
            // Read tokens are bearer credentials that end up in URLs: they name no principal (a
            // copied URL does not say who viewed it) and verify with one compression less.
            // Upload and delete grants are bound to their holder.
            ...(request.purpose === 'read' ? {} : { sub: request.caller }),
            scope: {
                memoryId: request.memoryId,
                variants: request.variants as Variant[],
                ...(request.assetIds !== undefined ? { assetIds: request.assetIds } : {})
            },
            iat,
            exp,
            nonce: request.nonce
        });
        return { Ok: { token, bucket: request.bucket, expiresAt: exp, kid: request.signer.kid } };
    } catch (error) {
        if (error instanceof InvalidClaimsError) return { Err: error.message };
        throw error;
    }
}
