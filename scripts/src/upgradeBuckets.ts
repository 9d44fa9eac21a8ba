/**
 * `npm run upgrade-buckets -- --network <local|ic> --identity <pem> [--wasm <file>]`: hands the
 * auth canister a bucket wasm (default: this repository's build) and rolls it out to every bucket,
 * one at a time, following the roll-out until it finishes or stops.
 * Exit codes: 0 every bucket upgraded; 1 the roll-out stopped (where and why) or timed out;
 * 2 bad usage, unreadable identity or wasm, unreachable network or a refused call.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createAuthActor } from './authClient';
import { uploadBucketWasm } from './bucketWasmUpload';
import { okOr, positiveSeconds, REPOSITORY_ROOT, runCli, sleep, UsageError } from './cliRunner';
import { loadIdentity } from './identityFile';
import { resolveTarget } from './networkTarget';

const USAGE = `Usage: npm run upgrade-buckets -- --network <local|ic> --identity <pem file> [options]

Uploads a bucket wasm to the auth canister and upgrades every bucket to it, one at a time: each is
checked (module hash, health, keys) before the next; the first failure stops the roll-out.

Options:
  --network <local|ic>   local: .localnet/state.json's URL or http://127.0.0.1:4943; ic: https://icp-api.io
  --identity <path>      PEM file of an admin
  --wasm <path>          bucket module (default: .azle/bucket/bucket.wasm, built by npm run build -w canisters/bucket)
  --url <url>            API host, overriding the network's default
  --auth <canister-id>   auth canister (default: $AUTH_CANISTER_ID, then canister_ids.json)
  --timeout <seconds>    give up following after this long (default 1800)
  --interval <seconds>   polling interval (default 2)
  -h, --help             show this help

Exit codes: 0 all buckets upgraded, 1 stopped or timed out, 2 error.`;

async function main(argv: string[]): Promise<number> {
    const { values } = parseArgs({
        args: argv,
        options: {
            network: { type: 'string' },
            identity: { type: 'string' },
            wasm: { type: 'string' },
            url: { type: 'string' },
            auth: { type: 'string' },
            timeout: { type: 'string' },
            interval: { type: 'string' },
            help: { type: 'boolean', short: 'h' }
        },
        strict: true
    });
    if (values.help) {
        console.log(USAGE);
        return 0;
    }
    if (!values.identity) throw new UsageError('--identity <pem file> is required');
    const timeout = positiveSeconds(values.timeout, 1800, 'timeout');
    const interval = positiveSeconds(values.interval, 2, 'interval');
    const wasmPath = values.wasm ?? join(REPOSITORY_ROOT, '.azle/bucket/bucket.wasm');
    if (!existsSync(wasmPath)) throw new UsageError(`no bucket wasm at ${wasmPath} (build it with npm run build -w canisters/bucket, or pass --wasm)`);
    const target = resolveTarget({ network: values.network, url: values.url, canister: 'auth', canisterId: values.auth, envId: process.env['AUTH_CANISTER_ID'], root: REPOSITORY_ROOT });
    const auth = await createAuthActor(target, loadIdentity(values.identity));
    const hash = await uploadBucketWasm(auth, new Uint8Array(readFileSync(wasmPath)), (line) => console.log(line));
    const started = okOr('upgrade_buckets', await auth.upgrade_buckets());
    console.log(`upgrading ${started.pending.length} bucket(s) to ${hash.slice(0, 12)}, one at a time`);
    const begun = Date.now();
    let reported = 0;
    for (;;) {
        const rollout = okOr('fleet_status', await auth.fleet_status()).rollout[0];
        if (!rollout) throw new Error('the auth canister reports no roll-out');
        for (; reported < rollout.done.length; reported++) console.log(`${rollout.done[reported]!.toText()}  ✓ upgraded and checked`);
        const failed = rollout.failed[0];
        if (failed) {
            console.error(`stopped at ${failed.canister_id.toText()}: ${failed.error}`);
            console.error(`${rollout.done.length} upgraded, ${rollout.pending.length} not upgraded (the stopped one still runs its previous module)`);
            return 1;
        }
        if (rollout.finished_at.length > 0) {
            console.log(`all ${rollout.done.length} bucket(s) upgraded in ${((Date.now() - begun) / 1000).toFixed(1)} s`);
            return 0;
        }
        if ((Date.now() - begun) / 1000 >= timeout) {
            console.error(`timed out after ${timeout} s: ${rollout.pending.length} bucket(s) still pending; the auth canister goes on with them`);
            return 1;
        }
        await sleep(interval * 1000);
    }
}

runCli('upgrade-buckets', USAGE, main);
