/**
 * `npm run status -- --network <local|ic> --identity <pem>`: the fleet at a glance (buckets, their
 * usage, cycles, keys and modules; the auth canister's cycles, wasm, provisioning, upgrade).
 * Exit codes: 0 all well; 1 something needs attention (listed; for cron to page someone);
 * 2 bad usage, unreadable identity, unreachable network or a refused call.
 */
import { parseArgs } from 'node:util';
import { createAuthActor } from './authClient';
import { okOr, REPOSITORY_ROOT, runCli, UsageError } from './cliRunner';
import { fleetReport } from './fleetReport';
import { loadIdentity } from './identityFile';
import { resolveTarget } from './networkTarget';

const USAGE = `Usage: npm run status -- --network <local|ic> --identity <pem file> [options]

Shows every bucket (status, used/capacity, memories, cycles, acknowledged kid, module hash) and the
auth canister's own figures, then what needs attention.

Options:
  --network <local|ic>   local: .localnet/state.json's URL or http://127.0.0.1:4943; ic: https://icp-api.io
  --identity <path>      PEM file of an admin
  --url <url>            API host, overriding the network's default
  --auth <canister-id>   auth canister (default: $AUTH_CANISTER_ID, then canister_ids.json)
  -h, --help             show this help

Exit codes: 0 all well, 1 needs attention (listed), 2 error.`;

async function main(argv: string[]): Promise<number> {
    const { values } = parseArgs({
        args: argv,
        options: { network: { type: 'string' }, identity: { type: 'string' }, url: { type: 'string' }, auth: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
        strict: true
    });
    if (values.help) {
        console.log(USAGE);
        return 0;
    }
    if (!values.identity) throw new UsageError('--identity <pem file> is required');
    const target = resolveTarget({ network: values.network, url: values.url, canister: 'auth', canisterId: values.auth, envId: process.env['AUTH_CANISTER_ID'], root: REPOSITORY_ROOT });
    const auth = await createAuthActor(target, loadIdentity(values.identity));
    const [fleet, buckets, keys] = await Promise.all([auth.fleet_status(), auth.list_buckets(), auth.key_status()]);
    const report = fleetReport(okOr('fleet_status', fleet), okOr('list_buckets', buckets), okOr('key_status', keys));
    console.log(`auth canister ${target.canisterId.toText()} on ${target.host}\n`);
    for (const line of report.lines) console.log(line);
    return report.attention.length === 0 ? 0 : 1;
}

runCli('status', USAGE, main);
