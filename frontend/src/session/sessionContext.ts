/** What every page needs once someone is signed in: who, and the clients acting as them. */
import { createContext, useContext } from 'react';
import type { HttpAgent } from '@icp-sdk/core/agent';
import type { AppConfig } from '../config/appConfig';
import type { AuthService } from '../ic/authService';
import type { TokenStore } from '../tokens/tokenStore';

export type SignInMethod = 'internet-identity' | 'dev';

export interface SignedIn {
    readonly status: 'signed-in';
    readonly principal: string;
    readonly method: SignInMethod;
    /** The dev identity's name (local network only). */
    readonly name?: string;
    readonly agent: HttpAgent;
    readonly auth: AuthService;
    readonly tokens: TokenStore;
}

export type Session =
    | { readonly status: 'loading' }
    | { readonly status: 'signed-out'; readonly error?: string }
    | SignedIn;

export interface SessionActions {
    signInWithInternetIdentity(): Promise<void>;
    /** Local network only. */
    signInAsDev(name: string): Promise<void>;
    signOut(): Promise<void>;
}

export interface SessionValue {
    readonly config: AppConfig;
    readonly session: Session;
    readonly actions: SessionActions;
}

export const SessionContext = createContext<SessionValue | null>(null);

export function useSession(): SessionValue {
    const value = useContext(SessionContext);
    if (!value) throw new Error('useSession outside SessionProvider');
    return value;
}

/** For components rendered only when signed in. */
export function useSignedIn(): SignedIn & { readonly config: AppConfig } {
    const { session, config } = useSession();
    if (session.status !== 'signed-in') throw new Error('useSignedIn while not signed in');
    return { ...session, config };
}
