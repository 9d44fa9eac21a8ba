'use client';
/**
 * Signing in. Mainnet: Internet Identity. Local network (no II canister there): the dev
 * identities, from `#dev-sign-in`, which only local builds resolve to real code.
 */
import dynamic from 'next/dynamic';
import { useState } from 'react';
import { useSession } from './sessionContext';

const DevSignIn = dynamic(async () => (await import('#dev-sign-in')).default.DevSignIn, { ssr: false, loading: () => <p>Loading local identities…</p> });

export function SignInPanel() {
    const { config, session, actions } = useSession();
    const [busy, setBusy] = useState(false);
    const run = (action: () => Promise<void>) => {
        setBusy(true);
        void action().finally(() => setBusy(false));
    };
    return (
        <main className="sign-in">
            <h1>Private memories</h1>
            <p>Your photos and videos, stored on the Internet Computer and shown only to you and the people you share them with.</p>
            {session.status === 'signed-out' && session.error ? <p role="alert">Sign-in failed: {session.error}</p> : null}
            {config.network === 'ic' ? (
                <button type="button" className="primary" onClick={() => run(actions.signInWithInternetIdentity)} disabled={busy}>
                    Sign in with Internet Identity
                </button>
            ) : null}
            {config.network === 'local' ? <DevSignIn onChoose={(name) => run(() => actions.signInAsDev(name))} disabled={busy} /> : null}
        </main>
    );
}
