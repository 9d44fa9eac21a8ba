/**
 * What to do after an asset failed to load, given why (assetFailure.ts) and what was tried for
 * this load already. Each remedy is tried at most once per load, so a failure never loops.
 */
import type { TokenErrorCode } from '@icp-private-assets/shared';
import type { AssetFailure } from './assetFailure';

/** What a placeholder tells the person, see problemMessage.ts. */
export type AssetProblem =
    | { readonly kind: 'no-access' }
    | { readonly kind: 'not-uploaded' }
    | { readonly kind: 'token-refused'; readonly code: TokenErrorCode | undefined }
    | { readonly kind: 'unavailable' }
    | { readonly kind: 'undecodable' }
    | { readonly kind: 'failed'; readonly detail: string };

export type RecoveryStep =
    /** Mint a fresh token (the store de-duplicates) and load again, once. */
    | { readonly action: 'retry-with-fresh-token' }
    /** 404 with a valid token: ask the auth canister again; refused means the memory is gone for us, else not uploaded. */
    | { readonly action: 'check-access' }
    /** The HTTP path is down: load the bytes through the agent (`get_asset_chunk`). */
    | { readonly action: 'fallback-agent' }
    | { readonly action: 'give-up'; readonly problem: AssetProblem };

export interface AttemptsSoFar {
    readonly reminted: boolean;
    readonly fellBack: boolean;
}

export const FIRST_ATTEMPT: AttemptsSoFar = { reminted: false, fellBack: false };

export function nextRecoveryStep(failure: AssetFailure, tried: AttemptsSoFar): RecoveryStep {
    switch (failure.kind) {
        case 'token':
            if (failure.remint && !tried.reminted) return { action: 'retry-with-fresh-token' };
            return { action: 'give-up', problem: { kind: 'token-refused', code: failure.code } };
        case 'not-found':
            if (!tried.reminted) return { action: 'check-access' };
            return { action: 'give-up', problem: { kind: 'not-uploaded' } };
        case 'unavailable':
            if (!tried.fellBack) return { action: 'fallback-agent' };
            return { action: 'give-up', problem: { kind: 'unavailable' } };
        case 'undecodable':
            return { action: 'give-up', problem: { kind: 'undecodable' } };
        case 'unexpected':
            return { action: 'give-up', problem: { kind: 'failed', detail: `HTTP ${failure.status}` } };
    }
}
