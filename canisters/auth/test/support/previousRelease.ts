/**
 * The canisters as they were released before the current stored layout (commit PREVIOUS_RELEASE,
 * the last main before the auth service and the versioned records), built from git with
 * `azle build` for the upgrade test. The sources are extracted into `.azle-previous/<commit>/`
 * inside the repository, with that commit's own `shared` and `bucket` packages linked into a
 * local node_modules, so the old code builds against its own libraries while Azle and the other
 * dependencies resolve from the repository's node_modules (fast-sha256, which that bucket used,
 * is a dev dependency of this package for that reason). Built once, then cached by input hash.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildAzleCanister } from '@icp-private-assets/localnet';
import { REPOSITORY_ROOT } from '../../scripts/canisterBuilds';
import type { PreviousRelease } from './authSystem';

export const PREVIOUS_RELEASE = '502ab521fefd0a2e1ba5b0806a0e4c8da404e707';

const PATHS = ['dfx.json', 'canisters/auth/src', 'canisters/auth/package.json', 'canisters/bucket/src', 'canisters/bucket/package.json', 'shared/src', 'shared/package.json'];

function extract(commit: string): string {
    const dir = join(REPOSITORY_ROOT, '.azle-previous', commit);
    if (existsSync(join(dir, 'dfx.json'))) return dir;
    mkdirSync(dir, { recursive: true });
    const archive = execFileSync('git', ['archive', '--format=tar', commit, ...PATHS], { cwd: REPOSITORY_ROOT, maxBuffer: 64 * 1024 * 1024 });
    execFileSync('tar', ['-x', '-C', dir], { input: archive });
    const scope = join(dir, 'node_modules', '@icp-private-assets');
    mkdirSync(scope, { recursive: true });
    symlinkSync(join(dir, 'shared'), join(scope, 'shared'), 'dir');
    symlinkSync(join(dir, 'canisters', 'bucket'), join(scope, 'bucket'), 'dir');
    return dir;
}

/** That release's modules, built, and its Candid (imported from its own candid.ts files). */
export async function previousRelease(commit = PREVIOUS_RELEASE): Promise<PreviousRelease> {
    const dir = extract(commit);
    const [auth, bucket] = await Promise.all(
        ['auth', 'bucket'].map((canister) => buildAzleCanister({ dfxRoot: dir, canister, sources: [`canisters/${canister}/src`, 'shared/src'] }))
    );
    const authCandid = (await import(pathToFileURL(join(dir, 'canisters/auth/src/candid.ts')).href)) as { idlFactory: unknown };
    const bucketCandid = (await import(pathToFileURL(join(dir, 'canisters/bucket/src/candid.ts')).href)) as { idlFactory: unknown };
    return {
        auth: new Uint8Array(readFileSync(auth!.wasmPath)),
        bucket: new Uint8Array(readFileSync(bucket!.wasmPath)),
        authIdlFactory: authCandid.idlFactory,
        bucketIdlFactory: bucketCandid.idlFactory
    };
}
