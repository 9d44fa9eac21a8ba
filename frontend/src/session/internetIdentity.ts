/** Mainnet sign-in: Internet Identity through `@icp-sdk/auth` (delegation kept in IndexedDB). */
import type { Identity } from '@icp-sdk/core/agent';
import { AuthClient } from '@icp-sdk/auth/client';

const clients = new Map<string, AuthClient>();

function client(identityProvider: string): AuthClient {
    let existing = clients.get(identityProvider);
    if (!existing) clients.set(identityProvider, (existing = new AuthClient({ identityProvider })));
    return existing;
}

export async function restoreInternetIdentity(identityProvider: string): Promise<Identity | undefined> {
    const auth = client(identityProvider);
    return auth.isAuthenticated() ? auth.getIdentity() : undefined;
}

export function signInWithInternetIdentity(identityProvider: string): Promise<Identity> {
    return client(identityProvider).signIn();
}

export async function signOutInternetIdentity(identityProvider: string): Promise<void> {
    await client(identityProvider).signOut();
}
