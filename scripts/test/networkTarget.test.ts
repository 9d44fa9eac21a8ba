import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveTarget } from '../src/networkTarget';

const AUTH = 'rrkah-fqaaa-aaaaa-aaaaq-cai';
const OTHER = 'ryjl3-tyaaa-aaaaa-aaaba-cai';
const emptyRoot = () => mkdtempSync(join(tmpdir(), 'target-'));

describe('resolveTarget', () => {
    it('uses an explicit id first, then the environment, and the network default host', () => {
        const root = emptyRoot();
        expect(resolveTarget({ network: 'ic', canister: 'auth', canisterId: AUTH, envId: OTHER, root })).toMatchObject({ host: 'https://icp-api.io', fetchRootKey: false });
        expect(resolveTarget({ network: 'local', canister: 'auth', envId: OTHER, root }).canisterId.toText()).toBe(OTHER);
        expect(resolveTarget({ network: 'local', canister: 'auth', canisterId: AUTH, root })).toMatchObject({ host: 'http://127.0.0.1:4943', fetchRootKey: true });
    });

    it('reads the local URL from .localnet/state.json and ids from the canister_ids.json of the network', () => {
        const root = emptyRoot();
        mkdirSync(join(root, '.localnet'));
        writeFileSync(join(root, '.localnet/state.json'), JSON.stringify({ url: 'http://127.0.0.1:5555', port: 5555 }));
        writeFileSync(join(root, '.localnet/canister_ids.json'), JSON.stringify({ auth: { local: AUTH } }));
        writeFileSync(join(root, 'canister_ids.json'), JSON.stringify({ auth: { ic: OTHER } }));
        const local = resolveTarget({ network: 'local', canister: 'auth', root });
        expect([local.host, local.canisterId.toText()]).toEqual(['http://127.0.0.1:5555', AUTH]);
        const ic = resolveTarget({ network: 'ic', canister: 'auth', root });
        expect([ic.host, ic.canisterId.toText()]).toEqual(['https://icp-api.io', OTHER]);
        expect(resolveTarget({ network: 'local', url: 'http://127.0.0.1:9', canister: 'auth', root }).host).toBe('http://127.0.0.1:9');
    });

    it('explains what is missing or wrong', () => {
        const root = emptyRoot();
        expect(() => resolveTarget({ network: 'mainnet', canister: 'auth', canisterId: AUTH, root })).toThrow(/--network must be local or ic/);
        expect(() => resolveTarget({ network: undefined, canister: 'auth', canisterId: AUTH, root })).toThrow(/--network/);
        expect(() => resolveTarget({ network: 'ic', canister: 'auth', root })).toThrow(/pass --auth <id>/);
        expect(() => resolveTarget({ network: 'ic', canister: 'auth', canisterId: 'not a principal', root })).toThrow(/not a canister id/);
        expect(() => resolveTarget({ network: 'ic', url: 'ftp://x', canister: 'auth', canisterId: AUTH, root })).toThrow(/--url/);
        writeFileSync(join(root, 'canister_ids.json'), JSON.stringify({ bucket: { ic: AUTH } }));
        expect(() => resolveTarget({ network: 'ic', canister: 'auth', root })).toThrow(/has no auth id for ic/);
    });
});
