/** The localnet binary as other tools spawn it: flags, port-file handshake, TTL and shutdown. */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PocketIcServer } from '@dfinity/pic';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliUsageError, parseCliArgs } from '../../src/rest/cliOptions';

const BIN = fileURLToPath(new URL('../../bin/localnet.js', import.meta.url));

let dir: string;
const children: ChildProcessWithoutNullStreams[] = [];

beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'localnet-cli-test-'));
});
afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
});
afterAll(() => {
    // PocketIcServer.start chmods the binary to 0700; restore the checked-in mode.
    chmodSync(BIN, 0o755);
});

function run(...args: string[]) {
    const child = spawn(process.execPath, [BIN, ...args]);
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

async function waitFor<T>(probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const value = probe();
        if (value !== undefined) return value;
        if (Date.now() > deadline) throw new Error('timed out');
        await new Promise((resolve) => setTimeout(resolve, 25));
    }
}

const readPort = (portFile: string) => () => {
    const content = existsSync(portFile) ? readFileSync(portFile, 'utf8') : '';
    return content.endsWith('\n') ? Number(content.trim()) : undefined;
};

describe('localnet binary', () => {
    it('publishes its port in the port file, prints its URL and serves /status', async () => {
        const portFile = join(dir, 'port');
        const server = run('--port-file', portFile);
        const port = await waitFor(readPort(portFile));
        expect(readFileSync(portFile, 'utf8')).toBe(`${port}\n`);
        await waitFor(() => (server.stdout().includes('\n') ? true : undefined));
        expect(server.stdout()).toBe(`http://127.0.0.1:${port}\n`);
        expect((await fetch(`http://127.0.0.1:${port}/status`)).status).toBe(200);

        server.child.kill('SIGTERM');
        expect(await server.exited).toBe(0);
        expect(existsSync(portFile)).toBe(false);
    });

    it('exits at once, leaving the file alone, when the port file already exists', async () => {
        const portFile = join(dir, 'port');
        writeFileSync(portFile, '4242\n');
        const server = run('--port-file', portFile);
        expect(await server.exited).toBe(0);
        expect(readFileSync(portFile, 'utf8')).toBe('4242\n');
        expect(server.stderr()).toContain('already exists');
    });

    it('exits after --ttl seconds without requests', async () => {
        const portFile = join(dir, 'port');
        const server = run('--port-file', portFile, '--ttl', '1');
        const port = await waitFor(readPort(portFile));
        await fetch(`http://127.0.0.1:${port}/status`);
        expect(await server.exited).toBe(0);
        expect(existsSync(portFile)).toBe(false);
    });

    it('exits when stdin closes with --exit-on-stdin-close', async () => {
        const portFile = join(dir, 'port');
        const server = run('--port-file', portFile, '--exit-on-stdin-close');
        await waitFor(readPort(portFile));
        server.child.stdin.end();
        expect(await server.exited).toBe(0);
    });

    it('listens on a fixed --port', async () => {
        const stateDir = mkdtempSync(join(tmpdir(), 'localnet-cli-'));
        const probe = run('--port', '0', '--state-file', join(stateDir, 'probe.json'));
        const url = await waitFor(() => probe.stdout().split('\n')[0] || undefined);
        probe.child.kill('SIGTERM');
        await probe.exited;
        const port = new URL(url).port;
        const server = run('--port', port, '--state-file', join(stateDir, 'server.json'));
        expect(await waitFor(() => server.stdout().split('\n')[0] || undefined)).toBe(`http://127.0.0.1:${port}`);
    });

    it('says the port is in use, exits 1 and leaves no state file', async () => {
        const blocker = createServer();
        await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
        try {
            const port = (blocker.address() as AddressInfo).port;
            const stateFile = join(dir, 'state.json');
            const server = run('--port', String(port), '--state-file', stateFile);
            expect(await server.exited).toBe(1);
            expect(server.stderr()).toBe(`localnet: cannot listen on 127.0.0.1:${port}: the port is in use (EADDRINUSE)\n`);
            expect(existsSync(stateFile)).toBe(false);
        } finally {
            blocker.close();
        }
    });

    it('rejects unknown arguments with exit code 2', async () => {
        const server = run('--bogus');
        expect(await server.exited).toBe(2);
        expect(server.stderr()).toContain("unknown argument '--bogus'");
    });

    it("can be started by PicJS's PocketIcServer.start", async () => {
        // PicJS derives the port file from the parent pid; clear a stale one from an earlier run.
        rmSync(join(tmpdir(), `pocket_ic_${process.ppid}.port`), { force: true });
        const server = await PocketIcServer.start({ binPath: BIN, ttl: 30 });
        try {
            expect(server.getUrl()).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
            expect((await fetch(`${server.getUrl()}/status`)).status).toBe(200);
        } finally {
            await server.stop();
        }
        expect(existsSync(join(tmpdir(), `pocket_ic_${process.ppid}.port`))).toBe(false);
    });
});

describe('parseCliArgs', () => {
    it('applies pocket-ic defaults', () => {
        expect(parseCliArgs([])).toMatchObject({ port: 0, host: '127.0.0.1', exitOnStdinClose: false, help: false, version: false });
        // Without a port file it is a development server: one default instance and a state file.
        expect(parseCliArgs([])).toMatchObject({ defaultInstance: true, stateFile: '.localnet/state.json' });
        // A port file means a tool spawned the server: pocket-ic's 60 s TTL applies unless overridden.
        expect(parseCliArgs(['--port-file', '/tmp/p'])).toMatchObject({ portFile: '/tmp/p', ttlSeconds: 60 });
        expect(parseCliArgs(['--port-file=/tmp/p', '--ttl=5', '-p', '8080', '-i', '0.0.0.0', '--log-levels', 'info'])).toMatchObject({
            portFile: '/tmp/p',
            ttlSeconds: 5,
            port: 8080,
            host: '0.0.0.0'
        });
    });

    it.each([['--port'], ['--port', '70000'], ['--ttl', '-1'], ['--ttl', 'soon'], ['--port-file'], ['extra']])('rejects %j', (...args) => {
        expect(() => parseCliArgs(args)).toThrow(CliUsageError);
    });
});
