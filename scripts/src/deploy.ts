/**
 * `npm run deploy -- --network <local|ic> --identity <pem> [--auth <id>] …`: installs or upgrades
 * the auth canister, hands it the bucket wasm and the fleet config, and waits until it has
 * provisioned the first buckets and they hold its keys. On the IC it deploys to an existing,
 * funded canister the identity controls (see scripts/README.md, "deploy"); locally it creates one
 * when none is given.
 * Exit codes: 0 deployed and serving; 1 deployed but the buckets did not come up in time (the
 * auth canister keeps trying: see `npm run status`); 2 bad usage or an error.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { HttpAgent } from '@icp-sdk/core/agent';
import { IDL } from '@icp-sdk/core/candid';
import { Principal } from '@icp-sdk/core/principal';
import { createAuthActor } from './authClient';
import { uploadBucketWasm } from './bucketWasmUpload';
import { okOr, positiveSeconds, REPOSITORY_ROOT, runCli, sleep, UsageError } from './cliRunner';
import { loadIdentity } from './identityFile';
import { createCanister, installCode, moduleHash } from './localDeployment';
import { resolveTarget, type NetworkTarget } from './networkTarget';

const USAGE = `Usage: npm run deploy -- --network <local|ic> --identity <pem file> [options]

Installs or upgrades the auth canister, gives it the bucket wasm and the fleet config, and waits
until it has provisioned buckets that hold its keys.

Options:
  --network <local|ic>        local: .localnet/state.json's URL or http://127.0.0.1:4943; ic: https://icp-api.io
  --identity <path>           PEM file of a controller of the auth canister (it becomes its admin)
  --auth <canister-id>        the auth canister: required on ic (an existing canister with cycles that
                              --identity controls); locally, created when omitted
  --url <url>                 API host, overriding the network's default
  --buckets <n>               wait until this many buckets are provisioned (default 1)
  --bucket-capacity <bytes>   capacity of each provisioned bucket (default 400 GiB)
  --min-free <bytes>          provision a bucket when free capacity falls below this (default 50 GiB)
  --cycles-per-bucket <n>     cycles given to each new bucket (default 2T)
  --max-buckets <n>           never more buckets than this (default 100)
  --operator <principal>      another controller of new buckets (repeatable; --identity's principal always is one)
  --timeout <seconds>         how long to wait for the buckets (default 600)
  -h, --help                  show this help

Exit codes: 0 deployed and serving, 1 deployed but the buckets are not up yet, 2 error.`;

const LOCAL_AUTH_CYCLES = 100_000_000_000_000n;

function wholeNumber(value: string | undefined, flag: string): bigint | undefined {
    if (value === undefined) return undefined;
    if (!/^[0-9]+$/.test(value)) throw new UsageError(`--${flag} must be a whole number`);
    return BigInt(value);
}

function moduleOf(name: 'auth' | 'bucket'): Uint8Array {
    const path = join(REPOSITORY_ROOT, `.azle/${name}/${name}.wasm`);
    if (!existsSync(path)) throw new UsageError(`no ${name} wasm at ${path}: build it with npm run build -w canisters/${name}`);
    return new Uint8Array(readFileSync(path));
}

/** Records the auth canister where the other commands look for it (dfx's canister_ids.json format). */
function rememberAuth(target: { network: string }, id: Principal): string {
    const path = join(REPOSITORY_ROOT, target.network === 'local' ? '.localnet/canister_ids.json' : 'canister_ids.json');
    const ids = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, Record<string, string>>) : {};
    ids['auth'] = { ...ids['auth'], [target.network]: id.toText() };
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${JSON.stringify(ids, null, 2)}\n`);
    return path;
}

async function main(argv: string[]): Promise<number> {
    const { values } = parseArgs({
        args: argv,
        options: {
            network: { type: 'string' },
            identity: { type: 'string' },
            auth: { type: 'string' },
            url: { type: 'string' },
            buckets: { type: 'string' },
            'bucket-capacity': { type: 'string' },
            'min-free': { type: 'string' },
            'cycles-per-bucket': { type: 'string' },
            'max-buckets': { type: 'string' },
            operator: { type: 'string', multiple: true },
            timeout: { type: 'string' },
            help: { type: 'boolean', short: 'h' }
        },
        strict: true
    });
    if (values.help) {
        console.log(USAGE);
        return 0;
    }
    if (values.network !== 'local' && values.network !== 'ic') throw new UsageError(`--network must be local or ic, not ${values.network ?? '(missing)'}`);
    if (!values.identity) throw new UsageError('--identity <pem file> is required');
    if (values.network === 'ic' && !values.auth) {
        throw new UsageError('--auth <canister-id> is required on ic: create a canister with cycles first (dfx canister create auth --ic, icp-cli, or the NNS dapp) and make --identity its controller');
    }
    const wanted = Number(wholeNumber(values.buckets, 'buckets') ?? 1n);
    const timeout = positiveSeconds(values.timeout, 600, 'timeout');
    const operators = (values.operator ?? []).map((text) => {
        try {
            return Principal.fromText(text);
        } catch {
            throw new UsageError(`--operator ${text} is not a principal`);
        }
    });
    const fleet = {
        min_free_bytes: wholeNumber(values['min-free'], 'min-free'),
        bucket_capacity_bytes: wholeNumber(values['bucket-capacity'], 'bucket-capacity'),
        cycles_per_bucket: wholeNumber(values['cycles-per-bucket'], 'cycles-per-bucket'),
        max_buckets: values['max-buckets'] === undefined ? undefined : Number(wholeNumber(values['max-buckets'], 'max-buckets'))
    };
    const authWasm = moduleOf('auth');
    const bucketWasm = moduleOf('bucket');
    const identity = loadIdentity(values.identity);
    const me = identity.getPrincipal();

    // The host: the network's default (or --url); the canister: --auth, or one created here (local).
    const probe = resolveTarget({ network: values.network, url: values.url, canister: 'auth', canisterId: values.auth ?? Principal.managementCanister().toText(), root: REPOSITORY_ROOT });
    const agent = await HttpAgent.create({ host: probe.host, identity, shouldFetchRootKey: probe.fetchRootKey });
    let authId: Principal;
    if (values.auth) authId = probe.canisterId;
    else {
        // localnet routes a provisional create addressed to the management canister to its default subnet.
        authId = await createCanister(agent, Principal.fromText(localEffectiveCanister(probe.host) ?? Principal.managementCanister().toText()), LOCAL_AUTH_CYCLES);
        console.log(`created auth canister ${authId.toText()} with ${LOCAL_AUTH_CYCLES} cycles`);
    }
    const target: NetworkTarget = { ...probe, canisterId: authId };
    const installed = await moduleHash(agent, authId);
    await installCode(agent, authId, authWasm, new Uint8Array(IDL.encode([], [])), installed === undefined ? 'install' : 'upgrade');
    console.log(`${installed === undefined ? 'installed' : 'upgraded'} the auth canister ${authId.toText()} on ${target.host}; ${me.toText()} is its admin (a controller)`);
    console.log(`canister id written to ${rememberAuth(target, authId)}`);

    const auth = await createAuthActor(target, identity);
    const started = Date.now();
    const elapsed = () => (Date.now() - started) / 1000;
    // The first keys come from raw_rand through a timer right after install.
    while (okOr('key_status', await auth.key_status()).keys.length === 0) {
        if (elapsed() > timeout) return timedOut(timeout, 'the auth canister made no keys');
        await sleep(1000);
    }
    const opt = <T>(value: T | undefined): [] | [T] => (value === undefined ? [] : [value]);
    okOr(
        'set_fleet_config',
        await auth.set_fleet_config({
            min_free_bytes: opt(fleet.min_free_bytes),
            bucket_capacity_bytes: opt(fleet.bucket_capacity_bytes),
            cycles_per_bucket: opt(fleet.cycles_per_bucket),
            max_buckets: opt(fleet.max_buckets),
            operators: [[me, ...operators.filter((o) => o.toText() !== me.toText())]],
            top_up_below_cycles: [],
            top_up_cycles: [],
            runway_warning_days: []
        })
    );
    await uploadBucketWasm(auth, bucketWasm, (line) => console.log(line));
    console.log(`waiting for ${wanted} bucket(s) to be provisioned and to hold the keys`);
    let lastLine = '';
    for (;;) {
        const [keys, status] = [okOr('key_status', await auth.key_status()), okOr('fleet_status', await auth.fleet_status())];
        const ready = keys.buckets.filter((b) => b.acknowledged_version === keys.version && keys.version > 0n);
        const line = `${keys.buckets.length} bucket(s) registered, ${ready.length} holding the keys; provisioning ${Object.keys(status.provisioning.phase)[0]}${status.provisioning.idle_reason[0] ? ` (${status.provisioning.idle_reason[0]})` : ''}`;
        if (line !== lastLine) console.log((lastLine = line));
        if (ready.length >= wanted) {
            for (const b of ready) console.log(`${b.canister_id.toText()}  ✓ serving`);
            console.log(`deployed in ${elapsed().toFixed(1)} s`);
            return 0;
        }
        if (elapsed() > timeout) {
            for (const warning of status.warnings) console.error(`  - ${warning}`);
            return timedOut(timeout, `${ready.length} of ${wanted} bucket(s) are serving`);
        }
        await sleep(2000);
    }
}

function timedOut(timeout: number, what: string): number {
    console.error(`timed out after ${timeout} s: ${what}. The auth canister keeps going; follow it with npm run status.`);
    return 1;
}

/** A local network's default effective canister id (localnet's state file), for the provisional create call. */
function localEffectiveCanister(host: string): string | undefined {
    const statePath = join(REPOSITORY_ROOT, '.localnet/state.json');
    if (existsSync(statePath)) {
        const state = JSON.parse(readFileSync(statePath, 'utf8')) as { url?: string; defaultEffectiveCanisterId?: string };
        if (state.url === host && state.defaultEffectiveCanisterId) return state.defaultEffectiveCanisterId;
    }
    return undefined;
}

runCli('deploy', USAGE, main);
