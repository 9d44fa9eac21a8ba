/**
 * The one read-token check of the bucket's read paths (http_request, the streaming callback,
 * get_asset_chunk, list_assets): purpose read, this bucket as audience (compared as bytes when
 * known), the asset's locator, and the memory's revocation cutoff.
 */
import { TOKEN_ERROR_HTTP, verifyToken, type AssetLocator, type Keyring, type TokenErrorCode, type VerifyResult } from '@icp-private-assets/shared';

export interface ReadAccessContext {
    /** This canister's principal (text): the audience tokens must name. */
    readonly self: string;
    /** The same principal's bytes (tokens' audience is then compared without building text). */
    readonly selfBytes?: Uint8Array;
    readonly keyring: Keyring;
    /** Pushed revocations: tokens for the memory issued before this second are void. */
    notBefore(memoryId: string): number | undefined;
}

export function verifyRead(token: string | undefined, locator: AssetLocator, ctx: ReadAccessContext, now: number, expiredGraceSeconds = 0): VerifyResult {
    const notBefore = ctx.notBefore(locator.memoryId);
    return verifyToken(
        token,
        ctx.keyring,
        {
            purpose: 'read',
            audience: ctx.self,
            ...(ctx.selfBytes ? { audienceBytes: ctx.selfBytes } : {}),
            memoryId: locator.memoryId,
            variant: locator.variant,
            ...(locator.assetId !== undefined ? { assetId: locator.assetId } : {}),
            ...(notBefore !== undefined ? { notBefore } : {})
        },
        now,
        { expiredGraceSeconds }
    );
}

/** The Candid form of a refused token on the agent paths: the code, its fixed text and the HTTP status it would get. */
export function tokenError(code: TokenErrorCode): { Token: { code: string; detail: string; status: number } } {
    const mapping = TOKEN_ERROR_HTTP[code];
    return { Token: { code, detail: mapping.message, status: mapping.status } };
}
