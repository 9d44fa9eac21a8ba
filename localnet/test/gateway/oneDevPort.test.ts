/**
 * `localnet --port <n>` as a developer starts it: one port for PicJS, agents and browsers, a
 * default instance, and a state file that tools read; pocket-ic mode (`--port-file`) unchanged.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HttpAgent } from '@icp-sdk/core/agent';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalnetState } from '../../src/rest/stateFile';
import { attachToInstance } from '../../src/startNetwork';
import { httpIdl } from '../support/testCanisterInterfaces';
import { setupTestCanister } from '../support/suiteNetwork';
import { localhostFetch } from '../../src/localhostFetch';

const BIN = fileURLToPath(new URL('../../bin/localnet.js', import.meta.url));
const children: ChildProcess[] = [];
let directory: string;

function startLocalnet(args: string[]): { child: ChildProcess; exited: Promise<number | null>; stderr: () => string } {
    const child = spawn(process.execPath, [BIN, ...args, '--exit-on-stdin-close'], { cwd: directory, stdio: ['pipe', 'pipe', 'pipe'] });
    children.push(child);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdout?.resume();
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { child, exited, stderr: () => stderr };
}

async function waitForFile(path: string, timeoutMs = 60_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const text = await readFile(path, 'utf8').catch(() => '');
        if (text.endsWith('\n')) return text;
        if (Date.now() > deadline) throw new Error(`${path} did not appear within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
}

beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'localnet-dev-port-'));
});
afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await rm(directory, { recursive: true, force: true });
});

describe('localnet --port 0 --state-file …', () => {
    let state: LocalnetState;
    let server: ReturnType<typeof startLocalnet>;
    const stateFile = () => join(directory, 'dev', 'state.json');

    beforeAll(async () => {
        server = startLocalnet(['--port', '0', '--state-file', 'dev/state.json']);
        state = JSON.parse(await waitForFile(stateFile())) as LocalnetState;
    });

    it('writes where it listens and what the default instance is', async () => {
        expect(state).toEqual({
            url: `http://127.0.0.1:${state.port}`,
            port: expect.any(Number),
            instanceId: 0,
            rootKeyHex: expect.stringMatching(/^308182301d06/),
            defaultEffectiveCanisterId: expect.stringMatching(/-cai$/),
            pid: server.child.pid
        });
        const agent = await HttpAgent.create({ host: state.url, shouldFetchRootKey: true });
        expect(Buffer.from(agent.rootKey!).toString('hex')).toBe(state.rootKeyHex);
    });

    it('takes a canister installed with PicJS in the default instance and serves it to browsers on the same port', async () => {
        const pic = attachToInstance(state.url, state.instanceId);
        const { canisterId } = await setupTestCanister(pic, 'http', httpIdl);
        const response = await localhostFetch(`http://${canisterId.toText()}.localhost:${state.port}/inline`);
        expect(response.status).toBe(200);
        expect(response.text).toBe('Hello from http_request');
        const streamed = await localhostFetch(`http://${canisterId.toText()}.localhost:${state.port}/stream?chunks=3&size=10`);
        expect(streamed.body.length).toBe(30);
    });

    it('refuses a second server on the same state file', async () => {
        const second = startLocalnet(['--port', '0', '--state-file', 'dev/state.json']);
        expect(await second.exited).toBe(1);
        expect(second.stderr()).toMatch(/belongs to a running localnet \(pid \d+\)/);
    });

    it('removes the state file when it stops', async () => {
        server.child.kill('SIGTERM');
        expect(await server.exited).toBe(0);
        await expect(stat(stateFile())).rejects.toThrow(/ENOENT/);
    });
});

describe('localnet --port-file … (pocket-ic mode)', () => {
    it('creates no instance and writes no state file', async () => {
        const server = startLocalnet(['--port-file', 'pocket.port']);
        const port = Number((await waitForFile(join(directory, 'pocket.port'))).trim());
        expect(await (await fetch(`http://127.0.0.1:${port}/instances`)).json()).toEqual([]);
        await expect(stat(join(directory, '.localnet', 'state.json'))).rejects.toThrow(/ENOENT/);
        server.child.kill('SIGTERM');
        await server.exited;
    });

    it('refuses --state-file together with --port-file', async () => {
        const server = startLocalnet(['--port-file', 'other.port', '--state-file', 'x.json']);
        expect(await server.exited).toBe(2);
        expect(server.stderr()).toMatch(/--state-file/);
    });
});
