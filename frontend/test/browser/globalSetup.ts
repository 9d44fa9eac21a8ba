/**
 * Vitest global setup of the browser suite: builds what CI does not have (the canisters with azle,
 * the frontend's local and mainnet exports), then starts `npm run dev` as an operator would, on
 * free ports, and hands its dev.json to the tests. Stopped with Ctrl-C's signal at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { buildCanisters } from '@icp-private-assets/auth/testing';
import { buildFrontend } from '../../build/staticExport';

const REPOSITORY_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const READY_TIMEOUT_MS = 600_000;

declare module 'vitest' {
    export interface ProvidedContext {
        devFile: string;
    }
}

let child: ChildProcess | undefined;

function groupAlive(pgid: number): boolean {
    try {
        process.kill(-pgid, 0);
        return true;
    } catch {
        return false;
    }
}

export async function setup(project: TestProject): Promise<void> {
    await buildCanisters();
    await buildFrontend('local');
    await buildFrontend('ic');
    const dir = mkdtempSync(join(tmpdir(), 'frontend-browser-'));
    let output = '';
    child = spawn('npm', ['run', '--silent', 'dev', '--', '--port', '0', '--frontend-port', '0', '--buckets', '3', '--dir', dir], {
        cwd: REPOSITORY_ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true
    });
    child.stdout!.on('data', (data) => (output += data));
    child.stderr!.on('data', (data) => (output += data));
    const devFile = join(dir, 'dev.json');
    const started = Date.now();
    while (!existsSync(devFile) || !readFileSync(devFile, 'utf8').includes('"frontend"')) {
        if (child.exitCode !== null) throw new Error(`npm run dev exited ${child.exitCode}:\n${output}`);
        if (Date.now() - started > READY_TIMEOUT_MS) throw new Error(`npm run dev not ready after ${READY_TIMEOUT_MS / 1000} s:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
    }
    project.provide('devFile', devFile);
}

export async function teardown(): Promise<void> {
    const pid = child?.pid;
    if (pid === undefined || !groupAlive(pid)) return;
    process.kill(-pid, 'SIGINT');
    const deadline = Date.now() + 15_000;
    while (groupAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    if (groupAlive(pid)) process.kill(-pid, 'SIGKILL');
}
