'use client';
/**
 * `useIcHttpToken(memoryId, variants)`: the memory's read token, its bucket and expiry, shared by
 * every component showing that memory (one TokenStore per signed-in session). Requests made in
 * the same render are batched into one `mint_http_tokens` query; the token is re-minted before
 * it expires while the tab is visible. `refresh(failedToken)` asks for a new one after a load
 * failed with an error that re-minting may cure.
 */
import { useCallback, useMemo, useSyncExternalStore } from 'react';
import type { Variant } from '@icp-private-assets/shared';
import { useSignedIn } from '../session/sessionContext';
import { canonicalVariants } from './mintBatches';
import { PENDING, type TokenState } from './tokenStore';

export interface IcHttpToken {
    readonly state: TokenState;
    readonly token: string | undefined;
    readonly bucket: string | undefined;
    /** Seconds on the IC's clock. */
    readonly expiresAt: number | undefined;
    /** `wholeBatch`: the bucket refused the token itself; renew the tokens minted with it too. */
    refresh(failedToken: string, wholeBatch?: boolean): Promise<TokenState>;
}

export function useIcHttpToken(memoryId: string, variants: readonly Variant[]): IcHttpToken {
    const { tokens } = useSignedIn();
    const key = canonicalVariants(variants).join(',');
    const wanted = useMemo(() => (key === '' ? [] : (key.split(',') as Variant[])), [key]);
    const subscribe = useCallback((listener: () => void) => tokens.subscribe(memoryId, wanted, listener), [tokens, memoryId, wanted]);
    const state = useSyncExternalStore(
        subscribe,
        () => tokens.get(memoryId),
        () => PENDING
    );
    const refresh = useCallback((failedToken: string, wholeBatch = false) => tokens.refresh(memoryId, failedToken, wholeBatch), [tokens, memoryId]);
    // A token minted for fewer variants (another view's) is not this view's token: wait for the
    // store's wider one rather than load with a token the bucket would refuse (scope_mismatch).
    const ready = state.status === 'ready' && wanted.every((variant) => state.variants.includes(variant)) ? state : undefined;
    return { state, token: ready?.token, bucket: ready?.bucket, expiresAt: ready?.expiresAt, refresh };
}
