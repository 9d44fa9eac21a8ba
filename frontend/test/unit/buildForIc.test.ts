import { describe, expect, it } from 'vitest';
import { icConfigFromEnvironment } from '../../build/buildForIc';

describe('the mainnet build’s ic-config.json', () => {
    it('takes the auth canister from dfx’s environment and the rest from optional variables', () => {
        expect(icConfigFromEnvironment({ CANISTER_ID_AUTH: 'rwlgt-iiaaa-aaaaa-aaaaa-cai' })).toEqual({ network: 'ic', authCanisterId: 'rwlgt-iiaaa-aaaaa-aaaaa-cai' });
        expect(
            icConfigFromEnvironment({ AUTH_CANISTER_ID: 'rwlgt-iiaaa-aaaaa-aaaaa-cai', II_URL: 'https://identity.ic0.app/#authorize', IC_HOST: 'https://icp-api.io', GALLERY_PAGE_SIZE: '60' })
        ).toEqual({ network: 'ic', authCanisterId: 'rwlgt-iiaaa-aaaaa-aaaaa-cai', identityProvider: 'https://identity.ic0.app/#authorize', host: 'https://icp-api.io', galleryPageSize: 60 });
    });

    it('refuses a missing or bad canister id before building', () => {
        expect(() => icConfigFromEnvironment({})).toThrow('set CANISTER_ID_AUTH');
        expect(() => icConfigFromEnvironment({ CANISTER_ID_AUTH: 'nope' })).toThrow('authCanisterId is not a canister id');
        expect(() => icConfigFromEnvironment({ CANISTER_ID_AUTH: 'rwlgt-iiaaa-aaaaa-aaaaa-cai', GALLERY_PAGE_SIZE: '500' })).toThrow('galleryPageSize');
    });
});
