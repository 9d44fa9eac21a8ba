/** startNetwork/startServerProcess: choosing the server, starting it and never leaking it. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startNetwork, startServerProcess } from '../../src/startNetwork';

const BIN = fileURLToPath(new URL('../../bin/localnet.js', import.meta.url));
const FIXTURE = fileURLToPath(new URL('./fixtures/abandonServer.ts', import.meta.url));
// tsx's loader in this very process (the tsx CLI would put a wrapper process in between).
const TSX_LOADER = new URL('../../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;

let dir: string;
const savedPocketIcBin = process.env['POCKET_IC_BIN'];

beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'localnet-startnetwork-test-'));
    delete process.env['POCKET_IC_BIN'];
});
afterEach(() => {
    if (savedPocketIcBin === undefined) delete process.env['POCKET_IC_BIN'];
    else process.env['POCKET_IC_BIN'] = savedPocketIcBin;
    rmSync(dir, { recursive: true, force: true });
    vi.restoreAllMocks();
});

async function isUp(url: string): Promise<boolean> {
    try {
        // Bounded, so that a server that accepts but never answers fails the check instead of hanging it.
        return (await fetch(`${url}/status`, { signal: AbortSignal.timeout(2_000) })).ok;
    } catch {
        return false;
    }
}

async function eventuallyDown(url: string, timeoutMs = 15_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        if (!(await isUp(url))) return true;
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return false;
}

describe('startServerProcess', () => {
    it('starts localnet when POCKET_IC_BIN is unset and stops it', async () => {
        const server = await startServerProcess();
        expect(server.kind).toBe('localnet');
        expect(await isUp(server.url)).toBe(true);
        await server.stop();
        await server.stop();
        expect(await isUp(server.url)).toBe(false);
    });

    it('falls back to localnet when POCKET_IC_BIN is not executable', async () => {
        const notExecutable = join(dir, 'pocket-ic');
        writeFileSync(notExecutable, 'not a binary');
        process.env['POCKET_IC_BIN'] = notExecutable;
        const warn = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
        const server = await startServerProcess();
        try {
            expect(server.kind).toBe('localnet');
            expect(String(warn.mock.calls[0]?.[0])).toContain('is not an executable file; using localnet');
        } finally {
            await server.stop();
        }
    });

    it('spawns POCKET_IC_BIN with the pocket-ic command line when it is executable', async () => {
        // A stand-in "pocket-ic" that is really localnet: same flags, same port-file handshake.
        const fakePocketIc = join(dir, 'pocket-ic');
        writeFileSync(fakePocketIc, `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`, { mode: 0o755 });
        process.env['POCKET_IC_BIN'] = fakePocketIc;
        const server = await startServerProcess({ ttlSeconds: 30 });
        try {
            expect(server.kind).toBe('pocket-ic');
            expect(await isUp(server.url)).toBe(true);
        } finally {
            await server.stop();
        }
        expect(await isUp(server.url)).toBe(false);
    });

    it('reports a server that dies before listening, with its stderr', async () => {
        const broken = join(dir, 'pocket-ic');
        writeFileSync(broken, '#!/bin/sh\necho "no luck" >&2\nexit 3\n', { mode: 0o755 });
        process.env['POCKET_IC_BIN'] = broken;
        await expect(startServerProcess()).rejects.toThrow(/exited before listening \(3\)[\s\S]*no luck/);
    });

    it('reports a server binary that cannot be executed at all', async () => {
        const notELF = join(dir, 'pocket-ic');
        writeFileSync(notELF, 'garbage without a shebang', { mode: 0o755 });
        process.env['POCKET_IC_BIN'] = notELF;
        await expect(startServerProcess({ startTimeoutMs: 10_000 })).rejects.toThrow(/could not be started|exited before listening/);
    });

    it.each([
        ['exits without stopping it', 'exit'],
        ['is SIGKILLed', 'hang']
    ])('does not leave the server running when the owning process %s', async (_label, mode) => {
        const owner = spawn(process.execPath, ['--import', TSX_LOADER, FIXTURE, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
        const url = await new Promise<string>((resolve, reject) => {
            let out = '';
            owner.stdout.on('data', (chunk: Buffer) => {
                out += chunk.toString();
                if (out.includes('\n')) resolve(out.trim());
            });
            owner.on('exit', (code) => (out.includes('\n') ? undefined : reject(new Error(`fixture exited with ${code}`))));
        });
        if (mode === 'hang') owner.kill('SIGKILL');
        expect(await eventuallyDown(url)).toBe(true);
    });
});

describe('startNetwork', () => {
    it('creates a PicJS instance on localnet and tears everything down', async () => {
        const network = await startNetwork();
        try {
            expect(network.kind).toBe('localnet');
            expect(await network.pic.getApplicationSubnets()).toHaveLength(1);
            await network.pic.setTime(1_800_000_000_000);
            expect(await network.pic.getTime()).toBe(1_800_000_000_000);
        } finally {
            await network.stop();
        }
        expect(await isUp(network.url)).toBe(false);
    });
});
