import { Principal } from '@icp-sdk/core/principal';
import { describe, expect, it } from 'vitest';
import { mintOutcome } from '../../src/ic/mintOutcome';

const bucket = Principal.fromText('ryjl3-tyaaa-aaaaa-aaaba-cai');

describe('mintOutcome', () => {
    it('turns a minted token into the store’s outcome', () => {
        expect(mintOutcome({ Ok: { token: 't', bucket, expires_at: 1_800_000_180n, kid: 'k1' } })).toEqual({ ok: true, token: 't', bucket: bucket.toText(), expiresAt: 1_800_000_180 });
    });

    it('reads NotFound and NotAuthorized alike as no access (deleted, never or no longer shared)', () => {
        expect(mintOutcome({ Err: { NotFound: null } })).toEqual({ ok: false, refusal: { kind: 'no-access' } });
        expect(mintOutcome({ Err: { NotAuthorized: null } })).toEqual({ ok: false, refusal: { kind: 'no-access' } });
    });

    it('separates what a retry can cure from what it cannot', () => {
        expect(mintOutcome({ Err: { Anonymous: null } })).toEqual({ ok: false, refusal: { kind: 'signed-out' } });
        expect(mintOutcome({ Err: { NotReady: null } })).toMatchObject({ refusal: { kind: 'transient' } });
        expect(mintOutcome({ Err: { CallFailed: 'x' } })).toMatchObject({ refusal: { kind: 'transient' } });
        expect(mintOutcome({ Err: { NoBucket: null } })).toMatchObject({ refusal: { kind: 'transient' } });
        expect(mintOutcome({ Err: { InvalidRequest: 'bad id' } })).toEqual({ ok: false, refusal: { kind: 'invalid', message: 'invalid request: bad id' } });
    });
});
