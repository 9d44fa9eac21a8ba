/**
 * Command-line options of the localnet binary. The flags PocketIC's server accepts keep their
 * names and meaning, so tools that spawn `pocket-ic --port-file <f> [--ttl <s>]` (PicJS's
 * PocketIcServer.start, the Rust client) can spawn localnet instead. Without `--port-file`
 * (started by a person or a dev script) localnet also creates a default instance, serves its IC
 * HTTP interface and HTTP gateway on the same port and writes a state file.
 */

export interface CliOptions {
    readonly port: number;
    readonly host: string;
    readonly portFile?: string;
    /** Seconds without requests before shutting down; undefined = run until stopped. */
    readonly ttlSeconds?: number;
    /** Shut down when stdin reaches EOF, i.e. when the spawning process died (localnet only). */
    readonly exitOnStdinClose: boolean;
    /** Create an instance at startup and serve it on the main port (not in pocket-ic mode). */
    readonly defaultInstance: boolean;
    /** Where to write the state file (only with a default instance). */
    readonly stateFile?: string;
    readonly help: boolean;
    readonly version: boolean;
}

export class CliUsageError extends Error {
    override name = 'CliUsageError';
}

/** PocketIC's default TTL; applied when a port file is used, i.e. when a tool spawned the server. */
export const DEFAULT_SPAWNED_TTL_SECONDS = 60;

/** Where the state file goes by default, relative to the working directory. */
export const DEFAULT_STATE_FILE = '.localnet/state.json';

export const USAGE = `Usage: localnet [options]

A local Internet Computer speaking the PocketIC server's REST protocol.

Started without --port-file, localnet creates a default instance and serves, on the one port,
the PocketIC REST protocol (PicJS), the IC HTTP interface (agents: /api/...) and the HTTP
gateway (browsers: http://<canister-id>.localhost:<port>/), like \`dfx start\`.

Options:
  -p, --port <n>           Port to listen on (default 0: any free port)
  -i, --ip-addr <addr>     Address to bind (default 127.0.0.1)
      --state-file <path>  Where to write {url, port, instanceId, rootKeyHex,
                           defaultEffectiveCanisterId, pid} once listening (default
                           ${DEFAULT_STATE_FILE}); removed on exit. Not with --port-file.
      --port-file <path>   pocket-ic mode (for PicJS and other tools): no default instance;
                           write the port (followed by a newline) to <path> once listening.
                           If <path> already exists, another server owns it and localnet
                           exits immediately (as pocket-ic does).
      --ttl <seconds>      Exit after <seconds> without requests. Defaults to ${DEFAULT_SPAWNED_TTL_SECONDS} when
                           --port-file is given (like pocket-ic), otherwise no limit.
      --exit-on-stdin-close
                           Exit when stdin is closed (lets a parent's death stop the server).
  -l, --log-levels <spec>  Accepted for pocket-ic compatibility; ignored.
  -h, --help               Show this help.
  -V, --version            Show the version.

The server's URL is printed on stdout once it listens.`;

function parseNonNegativeInteger(flag: string, raw: string | undefined, max: number): number {
    if (raw === undefined) throw new CliUsageError(`${flag} needs a value`);
    if (!/^\d+$/.test(raw) || Number(raw) > max) throw new CliUsageError(`${flag}: expected an integer from 0 to ${max}, got '${raw}'`);
    return Number(raw);
}

export function parseCliArgs(argv: readonly string[]): CliOptions {
    let port = 0;
    let host = '127.0.0.1';
    let portFile: string | undefined;
    let ttlSeconds: number | undefined;
    let exitOnStdinClose = false;
    let stateFile: string | undefined;
    let help = false;
    let version = false;

    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i] as string;
        // Accept both `--flag value` and `--flag=value`.
        const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
        const flag = eq === -1 ? arg : arg.slice(0, eq);
        const value = (): string | undefined => (eq === -1 ? argv[++i] : arg.slice(eq + 1));
        switch (flag) {
            case '-p':
            case '--port':
                port = parseNonNegativeInteger(flag, value(), 65_535);
                break;
            case '-i':
            case '--ip-addr': {
                const address = value();
                if (!address) throw new CliUsageError(`${flag} needs a value`);
                host = address;
                break;
            }
            case '--port-file': {
                const path = value();
                if (!path) throw new CliUsageError(`${flag} needs a value`);
                portFile = path;
                break;
            }
            case '--state-file': {
                const path = value();
                if (!path) throw new CliUsageError(`${flag} needs a value`);
                stateFile = path;
                break;
            }
            case '--ttl':
                ttlSeconds = parseNonNegativeInteger(flag, value(), 10 ** 9);
                break;
            case '-l':
            case '--log-levels':
                value();
                break;
            case '--exit-on-stdin-close':
                exitOnStdinClose = true;
                break;
            case '-h':
            case '--help':
                help = true;
                break;
            case '-V':
            case '--version':
                version = true;
                break;
            default:
                throw new CliUsageError(`unknown argument '${arg}'`);
        }
    }
    if (ttlSeconds === undefined && portFile !== undefined) ttlSeconds = DEFAULT_SPAWNED_TTL_SECONDS;
    if (portFile !== undefined && stateFile !== undefined) {
        throw new CliUsageError('--state-file describes the default instance, which pocket-ic mode (--port-file) does not create');
    }
    const defaultInstance = portFile === undefined;
    return {
        port,
        host,
        exitOnStdinClose,
        defaultInstance,
        help,
        version,
        ...(portFile === undefined ? {} : { portFile }),
        ...(defaultInstance ? { stateFile: stateFile ?? DEFAULT_STATE_FILE } : {}),
        ...(ttlSeconds === undefined ? {} : { ttlSeconds })
    };
}
