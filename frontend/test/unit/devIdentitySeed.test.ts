import { Ed25519KeyIdentity } from '@icp-sdk/core/identity';
import { devIdentity } from '../../../scripts/src/devIdentities';
import { describe, expect, it } from 'vitest';
import { DEV_IDENTITY_NAMES, devIdentitySeed } from '../../src/session/devIdentitySeed';

describe('dev identities (local network only)', () => {
    it('are fixed per name, distinct, and 32-byte seeds', () => {
        const seeds = DEV_IDENTITY_NAMES.map((name) => Buffer.from(devIdentitySeed(name)).toString('hex'));
        expect(new Set(seeds).size).toBe(DEV_IDENTITY_NAMES.length);
        for (const name of DEV_IDENTITY_NAMES) expect(devIdentitySeed(name)).toEqual(devIdentitySeed(name));
        expect(devIdentitySeed('alice')).toHaveLength(32);
    });

    it('give the browser and the dev script (which seeds their galleries) the same principals', () => {
        for (const name of DEV_IDENTITY_NAMES) {
            const browser = Ed25519KeyIdentity.generate(devIdentitySeed(name)).getPrincipal().toText();
            expect(browser).toBe(devIdentity(name).getPrincipal().toText());
        }
    });

    it('refuses other names', () => {
        expect(() => devIdentitySeed('mallory' as never)).toThrow('unknown dev identity "mallory"');
    });
});
