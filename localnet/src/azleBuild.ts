/**
 * Builds Azle canisters for tests and dev scripts, with a cache: a build is reused while the hash
 * of its inputs (source folders, dfx.json, the Azle version) is unchanged, so repeated test runs
 * don't pay Azle's several seconds per canister. Builds run `azle build` exactly as dfx would.
 */
import { sha256 } from '@noble/hashes/sha256';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface AzleBuildRequest {
    /** Folder holding dfx.json. */
    readonly dfxRoot: string;
    readonly canister: string;
    /** Folders (all their files) and files that feed the build (default: the folder of the canister's main file). */
    readonly sources?: readonly string[];
}

export interface AzleBuildResult {
    readonly wasmPath: string;
    readonly didPath: string;
    readonly cached: boolean;
}

/** Azle's package folder (its exports map hides package.json, so walk up from its entry point). */
function azleRoot(): string {
    let folder = dirname(createRequire(import.meta.url).resolve('azle'));
    while (!existsSync(join(folder, 'package.json')) || JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')).name !== 'azle') {
        const parent = dirname(folder);
        if (parent === folder) throw new Error('cannot locate the azle package');
        folder = parent;
    }
    return folder;
}

function filesUnder(folder: string): string[] {
    const out: string[] = [];
    for (const entry of readdirSync(folder)) {
        if (entry === 'node_modules' || entry === '.azle' || entry.startsWith('.')) continue;
        const path = join(folder, entry);
        if (statSync(path).isDirectory()) out.push(...filesUnder(path));
        else out.push(path);
    }
    return out.sort();
}

function inputsHash(request: AzleBuildRequest, sources: readonly string[]): string {
    const azleVersion = JSON.parse(readFileSync(join(azleRoot(), 'package.json'), 'utf8')).version as string;
    const parts: Uint8Array[] = [new TextEncoder().encode(`azle ${azleVersion}\n${request.canister}\n`)];
    parts.push(readFileSync(join(request.dfxRoot, 'dfx.json')));
    for (const source of sources) {
        for (const file of statSync(source).isDirectory() ? filesUnder(source) : [source]) {
            parts.push(new TextEncoder().encode(`\n${relative(request.dfxRoot, file)}\n`), readFileSync(file));
        }
    }
    const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let offset = 0;
    for (const p of parts) {
        all.set(p, offset);
        offset += p.length;
    }
    return Array.from(sha256(all), (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function buildAzleCanister(request: AzleBuildRequest): Promise<AzleBuildResult> {
    const dfxRoot = resolve(request.dfxRoot);
    const dfx = JSON.parse(readFileSync(join(dfxRoot, 'dfx.json'), 'utf8')) as { canisters: Record<string, { main: string }> };
    const entry = dfx.canisters[request.canister];
    if (!entry) throw new Error(`dfx.json in ${dfxRoot} has no canister ${request.canister}`);
    const sources = (request.sources ?? [dirname(join(dfxRoot, entry.main))]).map((s) => resolve(dfxRoot, s));
    const outDir = join(dfxRoot, '.azle', request.canister);
    const wasmPath = join(outDir, `${request.canister}.wasm`);
    const didPath = join(outDir, `${request.canister}.did`);
    const stampPath = join(dfxRoot, '.azle', `${request.canister}.inputs`);
    const hash = inputsHash({ ...request, dfxRoot }, sources);
    if (existsSync(wasmPath) && existsSync(didPath) && existsSync(stampPath) && readFileSync(stampPath, 'utf8') === hash) {
        return { wasmPath, didPath, cached: true };
    }
    try {
        await run(process.execPath, ['--import', 'tsx', join(azleRoot(), 'src', 'build.ts'), 'build', request.canister], {
            cwd: dfxRoot,
            env: { ...process.env, AZLE_DFX_ROOT: dfxRoot, CANISTER_CANDID_PATH: didPath },
            maxBuffer: 64 * 1024 * 1024
        });
    } catch (error) {
        const e = error as { stdout?: string; stderr?: string; message: string };
        throw new Error(`azle build ${request.canister} failed:\n${e.stdout ?? ''}${e.stderr ?? e.message}`);
    }
    if (!existsSync(wasmPath)) throw new Error(`azle build ${request.canister} produced no ${wasmPath}`);
    writeFileSync(stampPath, hash);
    return { wasmPath, didPath, cached: false };
}
