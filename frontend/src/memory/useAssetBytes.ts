'use client';
/**
 * An asset's bytes as a `blob:` URL, loaded on demand with progress (the original for zooming and
 * download). A token refusal that re-minting may cure is retried once with a fresh token. The
 * URL is revoked on unmount.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { icAssetUrl, type Variant } from '@icp-private-assets/shared';
import { AssetFetchError, fetchAssetBytes } from '../assets/fetchAssetBytes';
import { FIRST_ATTEMPT, nextRecoveryStep, type AssetProblem } from '../assets/recoveryStep';
import { useSignedIn } from '../session/sessionContext';
import { useIcHttpToken } from '../tokens/useIcHttpToken';

export type AssetBytes =
    | { readonly status: 'idle' }
    | { readonly status: 'loading'; readonly loaded: number; readonly total: number | undefined }
    | { readonly status: 'ready'; readonly url: string; readonly contentType: string; readonly size: number }
    | { readonly status: 'failed'; readonly problem: AssetProblem };

export function useAssetBytes(memoryId: string, variant: Variant, tokenVariants: readonly Variant[]): { bytes: AssetBytes; load(): Promise<AssetBytes> } {
    const { config } = useSignedIn();
    const token = useIcHttpToken(memoryId, tokenVariants);
    const [bytes, setBytes] = useState<AssetBytes>({ status: 'idle' });
    const current = useRef<AssetBytes>(bytes);
    const pending = useRef<Promise<AssetBytes> | undefined>(undefined);
    const abort = useRef<AbortController>(new AbortController());
    const tokenRef = useRef(token);
    tokenRef.current = token;

    const update = (next: AssetBytes) => {
        current.current = next;
        setBytes(next);
    };

    const load = useCallback((): Promise<AssetBytes> => {
        if (current.current.status === 'ready') return Promise.resolve(current.current);
        if (pending.current) return pending.current;
        const run = async (): Promise<AssetBytes> => {
            let attempts = FIRST_ATTEMPT;
            let { token: value, bucket } = tokenRef.current;
            for (;;) {
                if (value === undefined || bucket === undefined) return { status: 'failed', problem: { kind: 'failed', detail: 'no token yet' } };
                update({ status: 'loading', loaded: 0, total: undefined });
                try {
                    const url = icAssetUrl({ bucket, memoryId, variant, token: value, network: config.assetNetwork });
                    const fetched = await fetchAssetBytes(url, (loaded, total) => update({ status: 'loading', loaded, total }), abort.current.signal);
                    return { status: 'ready', url: URL.createObjectURL(fetched.blob), contentType: fetched.contentType, size: fetched.blob.size };
                } catch (error) {
                    if (!(error instanceof AssetFetchError)) throw error;
                    const step = nextRecoveryStep(error.failure, attempts);
                    if (step.action === 'give-up') return { status: 'failed', problem: step.problem };
                    if (step.action === 'fallback-agent') return { status: 'failed', problem: { kind: 'unavailable' } };
                    attempts = { ...attempts, reminted: true };
                    const state = await tokenRef.current.refresh(value);
                    if (state.status === 'denied') return { status: 'failed', problem: { kind: 'no-access' } };
                    if (step.action === 'check-access') return { status: 'failed', problem: { kind: 'not-uploaded' } };
                    if (state.status !== 'ready' || state.token === value) return { status: 'failed', problem: { kind: 'unavailable' } };
                    ({ token: value, bucket } = state);
                }
            }
        };
        pending.current = run()
            .then((result) => {
                update(result);
                return result;
            })
            .finally(() => {
                pending.current = undefined;
            });
        return pending.current;
    }, [config.assetNetwork, memoryId, variant]);

    useEffect(() => {
        const controller = new AbortController();
        abort.current = controller;
        return () => {
            controller.abort();
            if (current.current.status === 'ready') URL.revokeObjectURL(current.current.url);
        };
    }, []);

    return { bytes, load };
}
