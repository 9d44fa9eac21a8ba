/**
 * Nothing the canisters print may carry key material: the whole key life (bootstrap, rotation,
 * failed and retried pushes, retirement, minting, uploads, an upgrade) runs on an in-process
 * localnet that hands every debug_print line to this test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PocketIc } from '@dfinity/pic';
import wabtInit from 'wabt';
import { createRestServer, LocalNetwork, type RestServer } from '@icp-private-assets/localnet';
import { ADMIN, EMPTY_ARGS, ok, OWNER, startAuthSystem, VIEWER, type AuthSystem } from '../support/authSystem';
import { authWasm } from '../../scripts/canisterBuilds';
import { findSecret, keyMaterial, readMasterSecrets } from '../support/secretScan';

const lines: string[] = [];
let server: RestServer;
let s: AuthSystem;

beforeAll(async () => {
    server = createRestServer({ createLocalIc: async (config) => new LocalNetwork({ ...config, log: (line) => lines.push(line) }) });
    const { url } = await server.listen(0);
    s = await startAuthSystem({ network: { pic: await PocketIc.create(url), url, kind: 'localnet', stop: async () => undefined } });
});
afterAll(async () => {
    await s?.stop();
    await server?.close();
});

/** A canister whose `print` method debug_prints a marker: proves this test sees canister output. */
async function printerWasm(): Promise<Uint8Array> {
    const wabt = await wabtInit();
    const module = wabt.parseWat(
        'printer.wat',
        `(module
          (import "ic0" "debug_print" (func $print (param i32 i32)))
          (import "ic0" "msg_reply" (func $reply))
          (memory (export "memory") 1)
          (data (i32.const 0) "printer: marker line")
          (func (export "canister_update print") (call $print (i32.const 0) (i32.const 20)) (call $reply)))`
    );
    const wasm = new Uint8Array(module.toBinary({}).buffer);
    module.destroy();
    return wasm;
}

describe('canister output', () => {
    it('reaches this test (control)', async () => {
        const printer = await s.pic.setupCanister({ wasm: await printerWasm(), idlFactory: (({ IDL }: { IDL: any }) => IDL.Service({})) as never, sender: ADMIN as never });
        await s.pic.updateCall({ canisterId: printer.canisterId, method: 'print', arg: new Uint8Array(), sender: ADMIN as never });
        expect(lines.some((line) => line.includes('printer: marker line'))).toBe(true);
    });

    it('never prints key material, through a whole key life', async () => {
        const [memoryId] = ok(await s.auth(ADMIN).import_memories([{ owner: OWNER, title: 'logged', bucket: [s.bucketIds[0]], grants: [{ principal: VIEWER, role: { viewer: null } }] }]));
        await s.upload(OWNER, memoryId, 'thumbnail', new Uint8Array(5000).fill(3));
        await s.pic.stopCanister({ canisterId: s.bucketIds[1] as never, sender: ADMIN as never });
        ok(await s.auth(ADMIN).rotate_keys());
        await s.until('a failed push', async () => ok(await s.auth(ADMIN).key_status()).buckets.some((b: any) => b.failed_attempts > 0), { stepSeconds: 1 });
        await s.pic.startCanister({ canisterId: s.bucketIds[1] as never, sender: ADMIN as never });
        await s.keysSettled();
        await s.pic.upgradeCanister({ canisterId: s.authId as never, wasm: authWasm(), arg: EMPTY_ARGS, sender: ADMIN as never });
        await s.step(3700);
        await s.keysSettled();
        ok(await s.auth(VIEWER).mint_http_token({ memory_id: memoryId, variants: [{ thumbnail: null }], asset_ids: [], ttl_seconds: [] }));
        // A call that fails inside the canister, so that its error output is part of the scan.
        await expect(s.pic.queryCall({ canisterId: s.authId as never, method: 'mint_http_token', arg: Uint8Array.of(0), sender: OWNER as never })).rejects.toThrow();

        const masters = await readMasterSecrets(s.pic, s.authId);
        expect(masters.map((m) => m.kid)).toContain('k2');
        const secrets = keyMaterial(masters, s.bucketIds);
        const leaks = lines.flatMap((line, i) => (findSecret(line, secrets) ? [`line ${i}: ${line.slice(0, 80)}`] : []));
        expect(leaks).toEqual([]);
        // The scan sees a secret in a line when there is one.
        expect(findSecret(`debug: ${Buffer.from(secrets[1]!).toString('hex')}`, secrets)).toBeDefined();
    });
});
