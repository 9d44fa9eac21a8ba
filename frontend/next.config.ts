/**
 * A static export (`out/`): every canister call is made in the browser by the user's identity, so
 * no Next server runs in production; an asset canister (dfx.json's `frontend`) serves the files.
 *
 * NEXT_PUBLIC_IC_NETWORK (`local` or `ic`) is fixed at build time: it decides whether the dev
 * sign-in (local identities) is compiled in at all. Everything else (API host, canister ids,
 * identity provider) is read at run time from `/ic-config.json`, so one build serves any
 * deployment (see README.md).
 */
import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';
import { IMAGE_WIDTHS } from './src/images/variantForWidth';

const network = process.env.NEXT_PUBLIC_IC_NETWORK ?? (process.argv.includes('dev') ? 'local' : undefined);
if (network !== 'local' && network !== 'ic') {
    throw new Error(
        `NEXT_PUBLIC_IC_NETWORK must be "local" or "ic" (it decides whether the dev sign-in is built in), not ${JSON.stringify(network ?? null)}`
    );
}

const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));

const nextConfig: NextConfig = {
    output: 'export',
    // The export folder (`out` by default; build/staticExport.ts builds each network into its own).
    ...(process.env.FRONTEND_DIST_DIR ? { distDir: process.env.FRONTEND_DIST_DIR } : {}),
    env: { NEXT_PUBLIC_IC_NETWORK: network },
    // `<Image>` never goes through the image optimizer (it would cache tokenized private images
    // server-side and re-serve them as public): a custom loader maps widths to the variants that
    // each bucket serves itself.
    images: { loader: 'custom', loaderFile: './src/images/assetImageLoader.ts', imageSizes: [...IMAGE_WIDTHS.imageSizes], deviceSizes: [...IMAGE_WIDTHS.deviceSizes] },
    // The workspace packages are TypeScript sources.
    transpilePackages: ['@icp-private-assets/shared', '@icp-private-assets/auth', '@icp-private-assets/bucket'],
    turbopack: {
        root: repositoryRoot,
        // The canister packages build their Candid with `@dfinity/candid` and shared parses
        // principals with `@dfinity/principal`: the legacy names of the same libraries that
        // `@icp-sdk/core` ships. One copy in the bundle, one Principal class at run time.
        resolveAlias: {
            '@dfinity/candid': '@icp-sdk/core/candid',
            '@dfinity/principal': '@icp-sdk/core/principal',
            // Only local builds contain the dev sign-in (src/session/devSignInModule.ts).
            '#dev-sign-in': network === 'local' ? './src/session/devSignIn.local.ts' : './src/session/devSignIn.none.ts'
        }
    },
    // Next type-checks the app's sources only; `npm run typecheck` covers the tests too.
    typescript: { tsconfigPath: 'tsconfig.build.json' },
    reactStrictMode: true,
    poweredByHeader: false
};

export default nextConfig;
