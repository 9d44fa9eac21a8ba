/** DEV ONLY: the dev sign-in of local builds (see devSignInModule.ts). */
import DevSignIn from './DevSignIn';
import { restoreDevSession, signInAsDev as signIn, signOutDev } from './devIdentity';
import { isDevIdentityName } from './devIdentitySeed';
import type { DevSignInModule } from './devSignInModule';

const module: DevSignInModule = {
    available: true,
    DevSignIn,
    restoreDevSession,
    signInAsDev(name) {
        if (!isDevIdentityName(name)) throw new Error(`unknown dev identity ${JSON.stringify(name)}`);
        return signIn(name);
    },
    signOutDev
};

export default module;
