/**
 * Builds the frontend's static export (`next build`) for a network, and reuses the last build
 * while its inputs are unchanged (hash of the frontend's sources, the workspace sources it
 * imports, the lockfile and the network), the way canister builds are cached. For `npm run dev`,
 * the tests and the benchmark (`@icp-private-assets/frontend/build`). Concurrent callers wait for
 * each other through a lock directory.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export type FrontendNetwork = 'local' | 'ic';

export const FRONTEND_ROOT = fileURLToPath(new URL('..', import.meta.url));
const REPOSITORY_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Where each network's export is written (next.config.ts reads FRONTEND_DIST_DIR). */
export function exportDir(network: FrontendNetwork): string {
    return join(FRONTEND_ROOT, network === 'local' ? 'out' : 'out-ic');
}

const INPUTS = [
    'frontend/src',
    'frontend/public',
    'frontend/next.config.ts',
    'frontend/package.json',
    'frontend/tsconfig.json',
    'frontend/tsconfig.build.json',
    'shared/src',
    'canisters/auth/src/candid.ts',
    'canisters/bucket/src/candid.ts',
    'tsconfig.base.json',
    'package-lock.json'
];

function filesOf(path: string): string[] {
    if (!existsSync(path)) return [];
    if (!statSync(path).isDirectory()) return [path];
    return readdirSync(path)
        .sort()
        .flatMap((entry) => filesOf(join(path, entry)));
}

export function frontendInputsHash(network: FrontendNetwork): string {
    const hash = createHash('sha256').update(`network ${network}\n`);
    for (const input of INPUTS) {
        for (const file of filesOf(join(REPOSITORY_ROOT, input))) hash.update(`\n${relative(REPOSITORY_ROOT, file)}\n`).update(readFileSync(file));
    }
    return hash.digest('hex');
}

async function withLock<T>(work: () => Promise<T>): Promise<T> {
    const lock = join(FRONTEND_ROOT, '.build-lock');
    for (;;) {
        try {
            mkdirSync(lock);
            writeFileSync(join(lock, 'pid'), String(process.pid));
            break;
        } catch {
            const owner = Number(existsSync(join(lock, 'pid')) ? readFileSync(join(lock, 'pid'), 'utf8') : NaN);
            let alive = false;
            try {
                alive = Number.isInteger(owner) && process.kill(owner, 0);
            } catch {
                alive = false;
            }
            if (!alive && Number.isInteger(owner)) rmSync(lock, { recursive: true, force: true });
            await new Promise((resolve) => setTimeout(resolve, 500));
        }
    }
    try {
        return await work();
    } finally {
        rmSync(lock, { recursive: true, force: true });
    }
}

export interface FrontendBuild {
    readonly dir: string;
    readonly cached: boolean;
}

/** `next build` for `network` unless the export of the same inputs is there already. */
export function buildFrontend(network: FrontendNetwork, log: (line: string) => void = () => undefined): Promise<FrontendBuild> {
    return withLock(async () => {
        const dir = exportDir(network);
        const stamp = join(dir, '.build-inputs');
        const hash = frontendInputsHash(network);
        if (existsSync(join(dir, 'index.html')) && existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) return { dir, cached: true };
        const output: string[] = [];
        const code = await new Promise<number | null>((resolve, reject) => {
            const child = spawn(process.execPath, [join(REPOSITORY_ROOT, 'node_modules/next/dist/bin/next'), 'build'], {
                cwd: FRONTEND_ROOT,
                env: {
                    ...process.env,
                    NEXT_PUBLIC_IC_NETWORK: network,
                    FRONTEND_DIST_DIR: relative(FRONTEND_ROOT, dir),
                    NEXT_TELEMETRY_DISABLED: '1',
                    NEXT_IGNORE_INCORRECT_LOCKFILE: '1'
                },
                stdio: ['ignore', 'pipe', 'pipe']
            });
            const keep = (data: Buffer) => {
                output.push(data.toString());
                if (output.length > 400) output.shift();
            };
            child.stdout.on('data', keep);
            child.stderr.on('data', keep);
            child.once('error', reject);
            child.once('exit', resolve);
        });
        if (code !== 0) throw new Error(`next build (${network}) failed:\n${output.join('').trim()}`);
        writeFileSync(stamp, hash);
        log(`frontend: next build (${network}) done`);
        return { dir, cached: false };
    });
}
