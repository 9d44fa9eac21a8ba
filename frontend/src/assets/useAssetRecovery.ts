'use client';
/**
 * The token an asset element loads with, and what happens when the load fails.
 *
 * - Until the element has loaded, it follows the memory's current token. Once loaded it keeps the
 *   token it loaded with, so a scheduled re-mint never reloads what is already on screen.
 * - On failure: probe the URL, then per recoveryStep.ts re-mint once, check access, switch to
 *   the agent fallback, or give up with a problem for the placeholder. Never more than one of
 *   each per load, so nothing loops.
 * - When the auth canister refuses the memory (deleted, share revoked) the element gives way to
 *   the placeholder, even if it had loaded.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Variant } from '@icp-private-assets/shared';
import { useIcHttpToken } from '../tokens/useIcHttpToken';
import type { TokenState } from '../tokens/tokenStore';
import type { AssetFailure } from './assetFailure';
import { probeAsset } from './probeAsset';
import { FIRST_ATTEMPT, nextRecoveryStep, type AssetProblem, type AttemptsSoFar } from './recoveryStep';

export interface LoadSource {
    readonly token: string;
    readonly bucket: string;
}

export interface AssetRecovery {
    /** What the element loads with; undefined while the first token is on its way. */
    readonly source: LoadSource | undefined;
    readonly tokenState: TokenState;
    readonly problem: AssetProblem | undefined;
    /** `agent`: load through get_asset_chunk (CustomImage) instead of the URL. */
    readonly mode: 'direct' | 'agent';
    readonly loaded: boolean;
    onLoad(): void;
    /** The element failed to load `url` (the URL it actually requested). */
    onError(url: string): void;
    /** A failure already classified (fetch-based loaders see the status themselves). */
    onFailure(failure: AssetFailure): void;
}

export function useAssetRecovery(memoryId: string, variants: readonly Variant[], alreadyTried: AttemptsSoFar = FIRST_ATTEMPT): AssetRecovery {
    const token = useIcHttpToken(memoryId, variants);
    const [pinned, setPinned] = useState<LoadSource | undefined>();
    const [loaded, setLoaded] = useState(false);
    const [problem, setProblem] = useState<AssetProblem | undefined>();
    const [mode, setMode] = useState<'direct' | 'agent'>(alreadyTried.fellBack ? 'agent' : 'direct');
    const attempts = useRef<AttemptsSoFar>(alreadyTried);
    const busy = useRef(false);

    const current: LoadSource | undefined = token.token !== undefined && token.bucket !== undefined ? { token: token.token, bucket: token.bucket } : undefined;
    const source = loaded || pinned !== undefined ? (pinned ?? current) : current;
    const sourceRef = useRef(source);
    sourceRef.current = source;

    const denied = token.state.status === 'denied';
    useEffect(() => {
        if (denied) setProblem({ kind: 'no-access' });
    }, [denied]);

    const onLoad = useCallback(() => {
        setLoaded(true);
        setPinned((existing) => existing ?? sourceRef.current);
    }, []);

    const { refresh } = token;
    const recover = useCallback(
        async (diagnose: () => Promise<AssetFailure>) => {
            const failed = sourceRef.current;
            if (busy.current || failed === undefined) return;
            busy.current = true;
            try {
                const failure = await diagnose();
                const step = nextRecoveryStep(failure, attempts.current);
                if (step.action === 'give-up') {
                    setProblem(step.problem);
                } else if (step.action === 'fallback-agent') {
                    attempts.current = { ...attempts.current, fellBack: true };
                    setMode('agent');
                } else {
                    attempts.current = { ...attempts.current, reminted: true };
                    const state = await refresh(failed.token, failure.kind === 'token');
                    if (state.status === 'denied') setProblem({ kind: 'no-access' });
                    else if (step.action === 'check-access') setProblem({ kind: 'not-uploaded' });
                    else if (state.status === 'ready' && state.token !== failed.token) {
                        setLoaded(false);
                        setPinned({ token: state.token, bucket: state.bucket });
                    } else setProblem(failure.kind === 'token' ? { kind: 'token-refused', code: failure.code } : { kind: 'unavailable' });
                }
            } finally {
                busy.current = false;
            }
        },
        [refresh]
    );
    const onError = useCallback((url: string) => void recover(() => probeAsset(url)), [recover]);
    const onFailure = useCallback((failure: AssetFailure) => void recover(async () => failure), [recover]);

    return { source, tokenState: token.state, problem, mode, loaded, onLoad, onError, onFailure };
}
