/**
 * One entry point for test suites: a PocketIC-protocol server plus a PicJS `PocketIc` instance on
 * it. Real PocketIC is used when POCKET_IC_BIN names an executable, localnet otherwise; the tests
 * are the same either way.
 *
 * Both servers are spawned here rather than through PicJS's PocketIcServer.start: that helper
 * derives its port file from process.ppid, so parallel test workers would all race for one file,
 * the losers would silently share the winner's server (pocket-ic exits when the file exists) and
 * their stop() would never resolve. A private port file per network avoids all of that.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { access, constants, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CreateInstanceOptions } from '@dfinity/pic';
import { PocketIc } from '@dfinity/pic';
import { Http2Client } from '@dfinity/pic/dist/http2-client';
import { PocketIcClient } from '@dfinity/pic/dist/pocket-ic-client';

export type NetworkKind = 'pocket-ic' | 'localnet';

export interface ServerProcessOptions {
    /** Server TTL in seconds (`--ttl`): how long an orphaned server outlives its last request. */
    readonly ttlSeconds?: number;
    /** Forward the server's stdout/stderr (runtime and canister logs) to this process. */
    readonly showServerLogs?: boolean;
    /** How long to wait for the server to publish its port. */
    readonly startTimeoutMs?: number;
}

export type StartNetworkOptions = CreateInstanceOptions & ServerProcessOptions;

export interface ServerProcess {
    readonly url: string;
    readonly kind: NetworkKind;
    /** Terminates the server process; idempotent. */
    stop(): Promise<void>;
}

export interface Network {
    readonly pic: PocketIc;
    readonly url: string;
    readonly kind: NetworkKind;
    /** Deletes the instance and terminates the server; idempotent and never rejects. */
    stop(): Promise<void>;
}

const LOCALNET_BIN = fileURLToPath(new URL('../bin/localnet.js', import.meta.url));
const DEFAULT_TTL_SECONDS = 600;
const DEFAULT_START_TIMEOUT_MS = 60_000;
const PORT_POLL_INTERVAL_MS = 20;
const TEARDOWN_TIMEOUT_MS = 10_000;
const KILL_GRACE_MS = 5_000;
const STDERR_TAIL_BYTES = 4_096;

/** Servers still running (with their port files), terminated if this process exits without stopping them. */
const liveServers = new Map<ChildProcess, string>();
let exitHookInstalled = false;

function installExitHook(): void {
    if (exitHookInstalled) return;
    exitHookInstalled = true;
    process.on('exit', () => {
        for (const [child, portFile] of liveServers) {
            child.kill('SIGTERM');
            rmSync(portFile, { force: true });
        }
    });
}

async function isExecutableFile(path: string): Promise<boolean> {
    try {
        await access(path, constants.X_OK);
        return (await stat(path)).isFile();
    } catch {
        return false;
    }
}

async function resolveServer(): Promise<{ kind: NetworkKind; command: string; args: string[] }> {
    const pocketIcBin = process.env['POCKET_IC_BIN'];
    if (pocketIcBin) {
        if (await isExecutableFile(pocketIcBin)) return { kind: 'pocket-ic', command: pocketIcBin, args: [] };
        process.stderr.write(`[startNetwork] POCKET_IC_BIN=${pocketIcBin} is not an executable file; using localnet\n`);
    }
    // Through the current node binary, so a lost executable bit on bin/localnet.js does not matter;
    // stdin-close makes localnet exit with this process even if it is SIGKILLed.
    return { kind: 'localnet', command: process.execPath, args: [LOCALNET_BIN, '--exit-on-stdin-close'] };
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves true if `promise` settles within `ms`, false otherwise; never leaves a timer behind. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    try {
        return await Promise.race([promise.then(() => true, () => true), timeout]);
    } finally {
        clearTimeout(timer);
    }
}

async function waitForPort(
    portFile: string,
    child: ChildProcess,
    timeoutMs: number,
    stderrTail: () => string,
    spawnError: () => Error | undefined
): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const failedToSpawn = spawnError();
        if (failedToSpawn) throw new Error(`The server could not be started: ${failedToSpawn.message}`);
        if (child.exitCode !== null || child.signalCode !== null) {
            throw new Error(`The server exited before listening (${child.exitCode ?? child.signalCode}). stderr:\n${stderrTail()}`);
        }
        const content = await readFile(portFile, 'utf8').catch(() => '');
        // The newline marks a complete write (the same check as the pocket-ic Rust client).
        if (content.endsWith('\n')) {
            const port = Number(content.trim());
            if (Number.isInteger(port) && port > 0) return port;
            throw new Error(`Unexpected port file content: ${JSON.stringify(content)}`);
        }
        if (Date.now() > deadline) throw new Error(`The server did not publish its port within ${timeoutMs} ms. stderr:\n${stderrTail()}`);
        await delay(PORT_POLL_INTERVAL_MS);
    }
}

async function terminate(child: ChildProcess): Promise<void> {
    // No pid: it never started, so there is no 'exit' to wait for.
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    if (!(await settlesWithin(exited, KILL_GRACE_MS))) {
        child.kill('SIGKILL');
        await exited;
    }
}

/** Spawns pocket-ic (POCKET_IC_BIN) or localnet and waits until it listens. */
export async function startServerProcess(options: ServerProcessOptions = {}): Promise<ServerProcess> {
    const { kind, command, args } = await resolveServer();
    // A fresh name (the server refuses to start if the file exists); the server deletes it on exit.
    const portFile = join(tmpdir(), `localnet-net-${process.pid}-${randomBytes(8).toString('hex')}.port`);
    const ttl = String(options.ttlSeconds ?? DEFAULT_TTL_SECONDS);
    const child = spawn(command, [...args, '--port-file', portFile, '--ttl', ttl], { stdio: ['pipe', 'pipe', 'pipe'] });
    installExitHook();
    liveServers.set(child, portFile);

    let stderrTail = '';
    child.stderr?.on('data', (chunk: Buffer) => {
        stderrTail = (stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL_BYTES);
    });
    if (options.showServerLogs) {
        child.stdout?.pipe(process.stdout);
        child.stderr?.pipe(process.stderr);
    } else {
        // Pipes must be drained or a chatty server blocks on a full buffer.
        child.stdout?.resume();
    }
    let spawnError: Error | undefined;
    child.on('error', (error) => (spawnError ??= error));
    // A running network must not keep the test process alive; the exit hook stops it.
    child.unref();
    for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as unknown as { unref?: () => void } | null)?.unref?.();

    let stopping: Promise<void> | undefined;
    const stop = (): Promise<void> => {
        stopping ??= (async () => {
            await terminate(child);
            liveServers.delete(child);
            await rm(portFile, { force: true });
        })();
        return stopping;
    };

    try {
        const port = await waitForPort(portFile, child, options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS, () => stderrTail, () => spawnError);
        return { url: `http://127.0.0.1:${port}`, kind, stop };
    } catch (error) {
        await stop();
        throw error;
    }
}

/** PicJS's default processing timeout (PocketIc.create's `processingTimeoutMs`). */
const PICJS_PROCESSING_TIMEOUT_MS = 30_000;

/**
 * A PicJS `PocketIc` for an instance that already exists on a server, e.g. the default instance of
 * `localnet --port 4943` (its id is in the state file). PicJS 0.23 can only create instances, so
 * this builds the client the way `PocketIc.create` does, through its (private) constructors.
 * `tearDown()` on the result deletes the instance.
 */
export function attachToInstance(url: string, instanceId: number, processingTimeoutMs = PICJS_PROCESSING_TIMEOUT_MS): PocketIc {
    type Constructor<T> = new (...args: unknown[]) => T;
    const client = new (PocketIcClient as unknown as Constructor<PocketIcClient>)(
        new Http2Client(url, processingTimeoutMs),
        `/instances/${instanceId}`,
        instanceId
    );
    return new (PocketIc as unknown as Constructor<PocketIc>)(client);
}

/** Starts a server and creates one PocketIC instance on it with PicJS. */
export async function startNetwork(options: StartNetworkOptions = {}): Promise<Network> {
    const { ttlSeconds, showServerLogs, startTimeoutMs, ...instanceOptions } = options;
    const server = await startServerProcess({
        ...(ttlSeconds === undefined ? {} : { ttlSeconds }),
        ...(showServerLogs === undefined ? {} : { showServerLogs }),
        ...(startTimeoutMs === undefined ? {} : { startTimeoutMs })
    });
    let pic: PocketIc;
    try {
        pic = await PocketIc.create(server.url, instanceOptions);
    } catch (error) {
        await server.stop();
        throw error;
    }

    let stopping: Promise<void> | undefined;
    const stop = (): Promise<void> => {
        stopping ??= (async () => {
            // Deleting the instance lets the server dispose it cleanly; the process goes regardless.
            await settlesWithin(pic.tearDown(), TEARDOWN_TIMEOUT_MS);
            await server.stop();
        })();
        return stopping;
    };
    return { pic, url: server.url, kind: server.kind, stop };
}
