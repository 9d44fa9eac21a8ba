/**
 * `npm run rotate-keys -- --network <local|ic> --identity <pem> …`: rotates the signing keys, then
 * follows key_status until every bucket has acknowledged the new kid or the timeout passes.
 * Exit codes: 0 every bucket acknowledged; 1 timed out (the lagging buckets are named);
 * 2 bad usage, unreadable identity, unreachable network or a refused call.
 */
import { parseArgs } from 'node:util';
import { createAuthActor } from './authClient';
import { errName, positiveSeconds, REPOSITORY_ROOT, runCli, sleep, UsageError } from './cliRunner';
import { loadIdentity } from './identityFile';
import { resolveTarget } from './networkTarget';
import { describeBucket, rotationProgress, type BucketKeyStatus } from './rotationProgress';

const USAGE = `Usage: npm run rotate-keys -- --network <local|ic> --identity <pem file> [options]

Rotates the auth canister's signing keys and waits until every bucket acknowledges the new key.

Options:
  --network <local|ic>   local: .localnet/state.json's URL or http://127.0.0.1:4943; ic: https://icp-api.io
  --identity <path>      PEM file of an admin (dfx identity export <name> > admin.pem)
  --url <url>            API host, overriding the network's default
  --auth <canister-id>   auth canister (default: $AUTH_CANISTER_ID, then canister_ids.json /
                         .localnet/canister_ids.json)
  --timeout <seconds>    give up waiting after this long (default 300)
  --interval <seconds>   key_status polling interval (default 2)
  -h, --help             show this help

Exit codes: 0 all buckets acknowledged, 1 timeout (lagging buckets listed), 2 error.`;

async function main(argv: string[]): Promise<number> {
    const { values } = parseArgs({
        args: argv,
        options: {
            network: { type: 'string' },
            identity: { type: 'string' },
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
    const timeout = positiveSeconds(values.timeout, 300, 'timeout');
    const interval = positiveSeconds(values.interval, 2, 'interval');
    const target = resolveTarget({ network: values.network, url: values.url, canister: 'auth', canisterId: values.auth, envId: process.env['AUTH_CANISTER_ID'], root: REPOSITORY_ROOT });
    const identity = loadIdentity(values.identity);
    const auth = await createAuthActor(target, identity);
    const caller = identity.getPrincipal().toText();
    console.log(`rotating keys of auth canister ${target.canisterId.toText()} on ${target.host} as ${caller}`);

    const started = Date.now();
    const rotated = await auth.rotate_keys();
    if ('Err' in rotated) {
        const reason = 'NotAuthorized' in rotated.Err ? `${caller} is not an admin of this auth canister` : errName(rotated.Err);
        console.error(`rotate_keys refused: ${reason}`);
        return 2;
    }
    const kid: string = rotated.Ok.kid;
    console.log(`new key ${kid}${rotated.Ok.merged ? ' (joined a rotation already in flight)' : ''}; waiting for every bucket to acknowledge it`);

    const shown = new Map<string, string>();
    for (;;) {
        const status = await auth.key_status();
        if ('Err' in status) {
            console.error(`key_status refused: ${errName(status.Err)}`);
            return 2;
        }
        const buckets: BucketKeyStatus[] = status.Ok.buckets.map((b) => ({
            canisterId: b.canister_id.toText(),
            acknowledgedVersion: b.acknowledged_version,
            failedAttempts: b.failed_attempts,
            ...(b.acknowledged_kid[0] !== undefined ? { acknowledgedKid: b.acknowledged_kid[0] } : {}),
            ...(b.last_error[0] !== undefined ? { lastError: b.last_error[0] } : {}),
            ...(b.next_retry_at[0] !== undefined ? { nextRetryAt: b.next_retry_at[0] } : {})
        }));
        const progress = rotationProgress(kid, buckets);
        const now = BigInt(Date.now()) * 1_000_000n;
        for (const b of progress.buckets) {
            const line = describeBucket(b, kid, now);
            // Print a bucket again only when its state changes (not for the retry countdown).
            const key = line.replace(/retry in \d+ s/, '');
            if (shown.get(b.canisterId) !== key) {
                shown.set(b.canisterId, key);
                console.log(line);
            }
        }
        const elapsed = (Date.now() - started) / 1000;
        if (progress.done) {
            console.log(progress.buckets.length === 0 ? 'no buckets are registered: nothing to wait for' : `all ${progress.buckets.length} buckets acknowledged ${kid} in ${elapsed.toFixed(1)} s`);
            return 0;
        }
        if (elapsed >= timeout) {
            console.error(`timed out after ${timeout} s: ${progress.lagging.length} of ${progress.buckets.length} buckets have not acknowledged ${kid}:`);
            for (const b of progress.lagging) console.error(describeBucket(b, kid, now));
            console.error(`lagging: ${progress.lagging.map((b) => b.canisterId).join(' ')}`);
            console.error('The auth canister keeps retrying them; run again later or check those canisters.');
            return 1;
        }
        await sleep(Math.min(interval * 1000, Math.max(0, timeout - elapsed) * 1000 + 10));
    }
}

runCli('rotate-keys', USAGE, main);
