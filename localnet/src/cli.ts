/**
 * The `localnet` command: serves PocketIC's REST protocol on top of the localnet execution core.
 * Flags and the port-file handshake follow the pocket-ic server so that anything able to spawn
 * pocket-ic (PicJS's PocketIcServer.start, startNetwork) can spawn localnet instead. Started
 * without a port file (`npx localnet --port 4943`), it is a development network: one default
 * instance whose IC HTTP interface and HTTP gateway share the port with REST, and a state file.
 */
import { createRequire } from 'node:module';
import { createLocalIc } from './core/createLocalIc';
import type { CreateLocalIc, LocalIc } from './core/localIc';
import { LocalNetwork } from './core/localNetwork';
import type { CliOptions } from './rest/cliOptions';
import { CliUsageError, parseCliArgs, USAGE } from './rest/cliOptions';
import { describeError } from './rest/errors';
import { PortFile } from './rest/portFile';
import { createRestServer, type DefaultInstance } from './rest/server';
import { StateFile, StateFileBusyError, type LocalnetState } from './rest/stateFile';

/** How long shutdown may take before the process exits anyway (a hung dispose must not block). */
const SHUTDOWN_TIMEOUT_MS = 10_000;

export interface RunningServer {
    readonly url: string;
    readonly port: number;
    /** What the state file says, when there is a default instance. */
    readonly state?: LocalnetState;
    /** Closes the server (disposing all instances) and removes the port file; idempotent. */
    stop(): Promise<void>;
    /** Settles once the server has stopped, for whatever reason (stop(), TTL). */
    readonly stopped: Promise<void>;
}

/**
 * Starts the server for parsed options. Resolves undefined when the port file already exists,
 * which in pocket-ic's protocol means another server owns it.
 */
export async function startServer(options: CliOptions, createLocalIc: CreateLocalIc): Promise<RunningServer | undefined> {
    const stateFile = options.stateFile === undefined ? undefined : await StateFile.claim(options.stateFile);
    const portFile = options.portFile === undefined ? undefined : await PortFile.claim(options.portFile);
    if (options.portFile !== undefined && portFile === undefined) return undefined;

    let stopping: Promise<void> | undefined;
    let markStopped: () => void = () => undefined;
    const stopped = new Promise<void>((resolve) => (markStopped = resolve));
    const stop = (): Promise<void> => {
        stopping ??= (async () => {
            let timer: NodeJS.Timeout | undefined;
            const timeout = new Promise<void>((resolve) => {
                timer = setTimeout(resolve, SHUTDOWN_TIMEOUT_MS);
                timer.unref();
            });
            await Promise.race([server.close().catch(() => undefined), timeout]);
            clearTimeout(timer);
            await portFile?.remove().catch(() => undefined);
            await stateFile?.remove().catch(() => undefined);
            markStopped();
        })();
        return stopping;
    };

    const server = createRestServer({
        createLocalIc,
        ...(options.ttlSeconds === undefined ? {} : { ttlSeconds: options.ttlSeconds }),
        onIdleTimeout: () => void stop()
    });
    try {
        // pocket-ic mode creates no instance: PicJS creates its own, as with pocket-ic.
        const defaultInstance = options.defaultInstance ? await server.createDefaultInstance() : undefined;
        const { port, url } = await server.listen(options.port, options.host);
        await portFile?.publish(port);
        const state = defaultInstance && describeDefaultInstance(defaultInstance, url, port);
        if (state) await stateFile?.publish(state);
        return { url, port, stop, stopped, ...(state ? { state } : {}) };
    } catch (error) {
        await stop();
        throw error;
    }
}

function toHex(bytes: Uint8Array): string {
    return Buffer.from(bytes).toString('hex');
}

function describeDefaultInstance({ instanceId, ic }: DefaultInstance, url: string, port: number): LocalnetState {
    const topology = ic.topology();
    return {
        url,
        port,
        instanceId,
        rootKeyHex: toHex(rootKeyOf(ic)),
        defaultEffectiveCanisterId: topology.defaultEffectiveCanisterId.toText(),
        pid: process.pid
    };
}

/** The key certificates chain to: the root subnet's (NNS if any), as `LocalNetwork.rootKey`. */
function rootKeyOf(ic: LocalIc): Uint8Array {
    if (ic instanceof LocalNetwork) return ic.rootKey;
    const subnets = ic.topology().subnets;
    return (subnets.find((subnet) => subnet.kind === 'NNS') ?? subnets[0])!.publicKey;
}

function packageVersion(): string {
    const require = createRequire(import.meta.url);
    return (require('../package.json') as { version: string }).version;
}

/** Entry point of bin/localnet.js. */
export async function main(argv: readonly string[]): Promise<void> {
    let options: CliOptions;
    try {
        options = parseCliArgs(argv);
    } catch (error) {
        if (!(error instanceof CliUsageError)) throw error;
        process.stderr.write(`localnet: ${error.message}\n\n${USAGE}\n`);
        process.exitCode = 2;
        return;
    }
    if (options.help) {
        process.stdout.write(`${USAGE}\n`);
        return;
    }
    if (options.version) {
        process.stdout.write(`localnet ${packageVersion()}\n`);
        return;
    }

    let running: RunningServer | undefined;
    try {
        running = await startServer(options, createLocalIc);
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
            const reason = code === 'EADDRINUSE' ? 'is in use' : code === 'EACCES' ? 'may not be used by this user' : 'is not an address of this machine';
            process.stderr.write(`localnet: cannot listen on ${options.host}:${options.port}: the ${code === 'EADDRNOTAVAIL' ? 'address' : 'port'} ${reason} (${code})\n`);
            process.exitCode = 1;
            return;
        }
        if (!(error instanceof StateFileBusyError)) throw error;
        process.stderr.write(`localnet: ${error.message}\n`);
        process.exitCode = 1;
        return;
    }
    if (!running) {
        process.stderr.write(`localnet: port file ${options.portFile} already exists; another server owns it. Exiting.\n`);
        return;
    }
    // Whoever reads our output may be gone (e.g. the spawning process was killed); EPIPE on a log
    // stream must neither crash the server nor, through error handlers that log, loop forever.
    process.stdout.on('error', () => undefined);
    process.stderr.on('error', () => undefined);
    // A rejected promise in the core outside any request (e.g. its auto-progress loop) is logged;
    // the server keeps serving other instances rather than vanishing under the tests.
    process.on('unhandledRejection', (reason) => process.stderr.write(`[localnet] unhandled rejection: ${describeError(reason)}\n`));
    process.stdout.write(`${running.url}\n`);
    if (running.state) {
        const origin = `http://<canister-id>.localhost:${running.port}`;
        process.stderr.write(
            `[localnet] instance ${running.state.instanceId} on ${running.url} (REST, IC HTTP interface); canisters at ${origin}/; state in ${options.stateFile}\n`
        );
    }

    void running.stopped.then(() => process.exit(0));
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
        process.once(signal, () => void running.stop());
    }
    if (options.exitOnStdinClose) {
        process.stdin.on('end', () => void running.stop());
        process.stdin.on('error', () => void running.stop());
        process.stdin.resume();
    }
}
