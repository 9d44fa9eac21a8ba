'use client';
/**
 * Loads the deployment's configuration, restores a previous sign-in, and builds the agent, the
 * auth canister client and the token store for the signed-in identity (all in the browser: the
 * identity never leaves it). Signing out disposes the token store.
 */
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { HttpAgent, type Identity } from '@icp-sdk/core/agent';
import type { AppConfig } from '../config/appConfig';
import { loadAppConfig } from '../config/loadAppConfig';
import { createAuthService } from '../ic/authService';
import { createMintCall } from '../ic/mintCall';
import { browserClock, documentVisibility } from '../tokens/browserClock';
import { TokenStore } from '../tokens/tokenStore';
import { restoreInternetIdentity, signInWithInternetIdentity, signOutInternetIdentity } from './internetIdentity';
import { SessionContext, type Session, type SessionActions, type SignInMethod } from './sessionContext';
import { StatusScreen } from '../components/StatusScreen';

/** The dev sign-in: the real one in local builds, an empty stand-in in mainnet builds. */
const loadDevSignIn = async () => (await import('#dev-sign-in')).default;

async function signedIn(config: AppConfig, identity: Identity, method: SignInMethod, name?: string): Promise<Session> {
    const agent = await HttpAgent.create({ host: config.host, identity, shouldFetchRootKey: config.network === 'local' });
    const auth = createAuthService(agent, config.authCanisterId);
    const tokens = new TokenStore({ mint: createMintCall(auth, config.tokenTtlSeconds), clock: browserClock, visibility: documentVisibility });
    return { status: 'signed-in', principal: identity.getPrincipal().toText(), method, ...(name === undefined ? {} : { name }), agent, auth, tokens };
}

async function restore(config: AppConfig): Promise<Session> {
    if (config.network === 'local') {
        const dev = (await loadDevSignIn()).restoreDevSession();
        if (dev) return signedIn(config, dev.identity, 'dev', dev.name);
    }
    const identity = await restoreInternetIdentity(config.identityProvider);
    return identity ? signedIn(config, identity, 'internet-identity') : { status: 'signed-out' };
}

export function SessionProvider({ children }: { children: ReactNode }) {
    const [config, setConfig] = useState<AppConfig | undefined>();
    const [configError, setConfigError] = useState<string | undefined>();
    const [session, setSession] = useState<Session>({ status: 'loading' });

    useEffect(() => {
        let cancelled = false;
        loadAppConfig()
            .then(async (loaded) => {
                if (cancelled) return;
                setConfig(loaded);
                const restored = await restore(loaded).catch((error: Error) => ({ status: 'signed-out', error: error.message }) as Session);
                if (!cancelled) setSession(restored);
            })
            .catch((error: Error) => !cancelled && setConfigError(error.message));
        return () => {
            cancelled = true;
        };
    }, []);

    // A replaced session's token store stops its timers.
    useEffect(() => {
        if (session.status !== 'signed-in') return;
        return () => session.tokens.dispose();
    }, [session]);

    const start = useCallback(
        async (attempt: () => Promise<Session>) => {
            setSession({ status: 'loading' });
            setSession(await attempt().catch((error: Error) => ({ status: 'signed-out', error: error.message }) as Session));
        },
        []
    );

    const actions = useMemo<SessionActions | undefined>(() => {
        if (!config) return undefined;
        return {
            signInWithInternetIdentity: () =>
                start(async () => signedIn(config, await signInWithInternetIdentity(config.identityProvider), 'internet-identity')),
            signInAsDev: (name: string) =>
                start(async () => {
                    const dev = (await loadDevSignIn()).signInAsDev(name);
                    return signedIn(config, dev.identity, 'dev', dev.name);
                }),
            signOut: () =>
                start(async () => {
                    if (config.network === 'local') (await loadDevSignIn()).signOutDev();
                    await signOutInternetIdentity(config.identityProvider);
                    return { status: 'signed-out' };
                })
        };
    }, [config, start]);

    if (configError) return <StatusScreen title="This deployment is misconfigured" detail={configError} />;
    if (!config || !actions) return <StatusScreen title="Loading…" busy />;
    return <SessionContext.Provider value={{ config, session, actions }}>{children}</SessionContext.Provider>;
}
