import { describe, expect, it } from 'vitest';
import { applyKeyringUpdate, decodeKeyringState, EMPTY_KEYRING, encodeKeyringState, keyringStatus } from '../src/keyringState';
import { applyConfigUpdate } from '../src/bucketConfig';

const key = (fill: number) => new Uint8Array(32).fill(fill);

describe('keyring state', () => {
    it('applies newer versions, re-acknowledges the current one, refuses older ones', () => {
        const v1 = { version: 1n, entries: [{ kid: 'k1', secret: key(1), state: 'active' as const }] };
        const first = applyKeyringUpdate(EMPTY_KEYRING, v1);
        if (!('Ok' in first) || first.Ok === null) throw new Error('v1 not applied');
        expect(applyKeyringUpdate(first.Ok.state, v1)).toEqual({ Ok: null });
        const v2 = { version: 2n, entries: [{ kid: 'k1', secret: key(1), state: 'verify-only' as const, notAfter: 5 }, { kid: 'k2', secret: key(2), state: 'active' as const }] };
        const second = applyKeyringUpdate(first.Ok.state, v2);
        if (!('Ok' in second) || second.Ok === null) throw new Error('v2 not applied');
        expect(applyKeyringUpdate(second.Ok.state, v1)).toEqual({ Err: { StaleVersion: { current: 2n } } });
        expect(second.Ok.keyring.signingKey(0)?.kid).toBe('k2');
    });

    it('refuses invalid keyrings and version 0', () => {
        expect(applyKeyringUpdate(EMPTY_KEYRING, { version: 1n, entries: [{ kid: 'k1', secret: key(1).subarray(0, 16), state: 'active' }] })).toHaveProperty(['Err', 'Invalid']);
        expect(applyKeyringUpdate(EMPTY_KEYRING, { version: 0n, entries: [] })).toEqual({ Err: { Invalid: 'version must be at least 1' } });
    });

    it('round-trips through its stored encoding and reports status without secrets', () => {
        const state = { version: 7n, entries: [{ kid: 'k1', secret: key(0xab), state: 'verify-only' as const, notAfter: 123 }] };
        expect(decodeKeyringState(encodeKeyringState(state))).toEqual(state);
        const status = keyringStatus(state);
        expect(status).toEqual({ version: 7n, keys: [{ kid: 'k1', state: 'verify-only', notAfter: 123 }] });
        expect(JSON.stringify(status, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))).not.toMatch(/ab|171/);
    });
});

describe('bucket config', () => {
    it('defaults, merges updates and validates limits', () => {
        const base = applyConfigUpdate(undefined, 'aaaaa-aa');
        expect(base).toMatchObject({ Ok: { maxAssetSize: 100_000_000, chunkSize: 1_899_968, streamGraceSeconds: 300 } });
        if (!('Ok' in base)) return;
        expect(applyConfigUpdate(base.Ok, 'aaaaa-aa', { chunkSize: 1024 })).toMatchObject({ Ok: { chunkSize: 1024, maxAssetSize: 100_000_000 } });
        expect(applyConfigUpdate(base.Ok, 'aaaaa-aa', { chunkSize: 1000 })).toHaveProperty('Err');
        expect(applyConfigUpdate(base.Ok, 'aaaaa-aa', { chunkSize: 1_900_032 })).toHaveProperty('Err');
        expect(applyConfigUpdate(base.Ok, 'aaaaa-aa', { sessionTtlSeconds: 5 })).toHaveProperty('Err');
        expect(applyConfigUpdate(base.Ok, 'aaaaa-aa', { streamGraceSeconds: 3_601 })).toEqual({ Err: 'stream_grace_seconds must be at most 3600' });
    });
});
