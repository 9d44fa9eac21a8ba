/**
 * What the dev sign-in offers. Builds resolve `#dev-sign-in` (next.config.ts) to the local
 * implementation only when NEXT_PUBLIC_IC_NETWORK is `local`; a mainnet build gets
 * devSignIn.none.ts instead, so no dev identity code or seed is in its files at all.
 */
import type { ComponentType } from 'react';
import type { Identity } from '@icp-sdk/core/agent';

export interface DevSignInModule {
    readonly available: boolean;
    readonly DevSignIn: ComponentType<{ onChoose: (name: string) => void; disabled: boolean }>;
    restoreDevSession(): { readonly name: string; readonly identity: Identity } | undefined;
    signInAsDev(name: string): { readonly name: string; readonly identity: Identity };
    signOutDev(): void;
}
