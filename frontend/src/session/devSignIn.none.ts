/** What mainnet builds get for `#dev-sign-in`: nothing (see devSignInModule.ts). */
import type { DevSignInModule } from './devSignInModule';

const module: DevSignInModule = {
    available: false,
    DevSignIn: () => null,
    restoreDevSession: () => undefined,
    signInAsDev() {
        throw new Error('dev identities exist on the local network only');
    },
    signOutDev: () => undefined
};

export default module;
