/**
 * DEV ONLY (loaded only by local builds): the browser side of the dev identities. The chosen
 * identity's key is kept in localStorage, as a session, until sign-out.
 */
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity';
import { devIdentitySeed, isDevIdentityName, type DevIdentityName } from './devIdentitySeed';

const STORAGE_KEY = 'icp-private-assets.dev-identity';

export interface DevSession {
    readonly name: DevIdentityName;
    readonly identity: Ed25519KeyIdentity;
}

export function devIdentity(name: DevIdentityName): Ed25519KeyIdentity {
    return Ed25519KeyIdentity.generate(devIdentitySeed(name));
}

export function signInAsDev(name: DevIdentityName): DevSession {
    const identity = devIdentity(name);
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ name, key: identity.toJSON() }));
    return { name, identity };
}

export function restoreDevSession(): DevSession | undefined {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored === null) return undefined;
    try {
        const { name, key } = JSON.parse(stored) as { name: unknown; key: unknown };
        if (!isDevIdentityName(name)) throw new Error('unknown name');
        return { name, identity: Ed25519KeyIdentity.fromParsedJson(key as never) };
    } catch {
        localStorage.removeItem(STORAGE_KEY);
        return undefined;
    }
}

export function signOutDev(): void {
    localStorage.removeItem(STORAGE_KEY);
}
