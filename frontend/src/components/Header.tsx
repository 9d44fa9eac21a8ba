'use client';
/** The top bar: the app's name, who is signed in, sign-out. */
import Link from 'next/link';
import { useSession } from '../session/sessionContext';

export function Header() {
    const { session, actions } = useSession();
    return (
        <header className="app-header">
            <Link href="/" className="app-name">
                Private memories
            </Link>
            {session.status === 'signed-in' ? (
                <div className="who">
                    <span title={session.principal} data-principal={session.principal}>
                        {session.name ? `Signed in as ${session.name}` : `Signed in · ${session.principal.slice(0, 11)}…`}
                    </span>
                    <button type="button" onClick={() => void actions.signOut()}>
                        Sign out
                    </button>
                </div>
            ) : null}
        </header>
    );
}
