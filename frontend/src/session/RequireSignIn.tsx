'use client';
/** Renders its children for a signed-in person; otherwise the sign-in panel (or a loading state). */
import type { ReactNode } from 'react';
import { StatusScreen } from '../components/StatusScreen';
import { SignInPanel } from './SignInPanel';
import { useSession } from './sessionContext';

export function RequireSignIn({ children }: { children: ReactNode }) {
    const { session } = useSession();
    if (session.status === 'loading') return <StatusScreen title="Signing in…" busy />;
    if (session.status === 'signed-out') return <SignInPanel />;
    return <>{children}</>;
}
