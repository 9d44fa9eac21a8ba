/**
 * `npm run rotate-keys` against localnet (auth canister and three buckets, time running live):
 * success, a timeout naming the stopped bucket, a non-admin identity, bad usage.
 */
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ok, startAuthSystem, type AuthSystem } from '@icp-private-assets/auth/testing';
import { identityFromPem } from '../src/identityFile';

const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));
let s: AuthSystem;
let url: string;
const dir = mkdtempSync(join(tmpdir(), 'rotate-keys-'));

/** A dfx-style secp256k1 PEM; returns its path and principal. */
function pemIdentity(name: string) {
    const pem = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey.export({ format: 'pem', type: 'sec1' }).toString();
    const path = join(dir, `${name}.pem`);
    writeFileSync(path, pem, { mode: 0o600 });
    return { path, principal: identityFromPem(pem).getPrincipal() };
}
const admin = pemIdentity('admin');
const nobody = pemIdentity('nobody');

function rotateKeys(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
        const child = spawn('npm', ['run', '--silent', 'rotate-keys', '--', ...args], { cwd: REPOSITORY_ROOT, env: { ...process.env, AUTH_CANISTER_ID: '' } });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
}
const common = () => ['--network', 'local', '--url', url, '--auth', s.authId.toText(), '--interval', '0.5'];

beforeAll(async () => {
    s = await startAuthSystem();
    ok(await s.auth(ADMIN).add_admin(admin.principal));
    // The CLI needs time to run on its own: timers push keys while it polls.
    url = `http://127.0.0.1:${await s.pic.makeLive()}`;
});
afterAll(async () => {
    await s?.pic.stopLive().catch(() => undefined);
    await s?.stop();
});

describe('rotate-keys', () => {
    it('rotates, shows each bucket acknowledging, and exits 0', async () => {
        const run = await rotateKeys(...common(), '--identity', admin.path, '--timeout', '120');
        expect(run.stderr.replace(/npm warn.*\n/g, '')).toBe('');
        expect(run.code).toBe(0);
        expect(run.stdout).toContain(`as ${admin.principal.toText()}`);
        expect(run.stdout).toContain('new key k2');
        for (const bucket of s.bucketIds) expect(run.stdout).toContain(`${bucket.toText()}  k2 ✓ acknowledged`);
        expect(run.stdout).toMatch(/all 3 buckets acknowledged k2 in [\d.]+ s/);
        const status = ok(await s.auth(ADMIN).key_status());
        expect(status.buckets.map((b: any) => b.acknowledged_kid[0])).toEqual(['k2', 'k2', 'k2']);
    });

    it('times out naming the bucket that does not acknowledge, and exits 1', async () => {
        const stopped = s.bucketIds[1]!;
        await s.pic.stopCanister({ canisterId: stopped as never, sender: ADMIN as never });
        const run = await rotateKeys(...common(), '--identity', admin.path, '--timeout', '6');
        expect(run.code).toBe(1);
        expect(run.stderr).toContain('timed out after 6 s: 1 of 3 buckets have not acknowledged k3');
        expect(run.stderr).toContain(`lagging: ${stopped.toText()}\n`);
        expect(run.stderr).toMatch(new RegExp(`${stopped.toText()}  k2 → k3 pending \\(\\d+ failed push`));
        for (const bucket of s.bucketIds.filter((b) => b !== stopped)) expect(run.stdout).toContain(`${bucket.toText()}  k3 ✓ acknowledged`);
        // Once the bucket is back, a run finds every bucket caught up.
        await s.pic.startCanister({ canisterId: stopped as never, sender: ADMIN as never });
        const again = await rotateKeys(...common(), '--identity', admin.path, '--timeout', '120');
        expect(again.code).toBe(0);
        expect(again.stdout).toMatch(/all 3 buckets acknowledged k4/);
    });

    it('exits 2 with a clear message for a non-admin identity and for bad usage', async () => {
        const refused = await rotateKeys(...common(), '--identity', nobody.path);
        expect([refused.code, refused.stderr]).toEqual([2, expect.stringContaining(`rotate_keys refused: ${nobody.principal.toText()} is not an admin`)]);
        const noIdentity = await rotateKeys(...common());
        expect([noIdentity.code, noIdentity.stderr]).toEqual([2, expect.stringContaining('--identity <pem file> is required')]);
        const badNetwork = await rotateKeys('--network', 'moon', '--identity', admin.path, '--auth', s.authId.toText());
        expect([badNetwork.code, badNetwork.stderr]).toEqual([2, expect.stringContaining('--network must be local or ic')]);
        const unknownFlag = await rotateKeys(...common(), '--identity', admin.path, '--force');
        expect([unknownFlag.code, unknownFlag.stderr]).toEqual([2, expect.stringContaining('Usage: npm run rotate-keys')]);
        expect(ok(await s.auth(ADMIN).key_status()).keys.at(-1).kid).toBe('k4');
    });
});
