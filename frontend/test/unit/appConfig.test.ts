import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_GALLERY_PAGE_SIZE, DEFAULT_IC_HOST, DEFAULT_IDENTITY_PROVIDER, parseAppConfig } from '../../src/config/appConfig';

const AUTH = 'rwlgt-iiaaa-aaaaa-aaaaa-cai';

describe('parseAppConfig', () => {
    it('reads a local deployment: agent host, bucket hosts on the same port', () => {
        expect(parseAppConfig({ network: 'local', host: 'http://127.0.0.1:4943', authCanisterId: AUTH }, 'local')).toEqual({
            network: 'local',
            host: 'http://127.0.0.1:4943',
            authCanisterId: AUTH,
            identityProvider: DEFAULT_IDENTITY_PROVIDER,
            assetNetwork: { kind: 'local', port: 4943 },
            galleryPageSize: DEFAULT_GALLERY_PAGE_SIZE
        });
    });

    it('fills mainnet defaults and takes overrides', () => {
        expect(parseAppConfig({ network: 'ic', authCanisterId: AUTH }, 'ic')).toMatchObject({ host: DEFAULT_IC_HOST, assetNetwork: { kind: 'ic' } });
        expect(
            parseAppConfig({ network: 'ic', authCanisterId: AUTH, identityProvider: 'https://identity.ic0.app/#authorize', galleryPageSize: 100, tokenTtlSeconds: 600 }, 'ic')
        ).toMatchObject({ identityProvider: 'https://identity.ic0.app/#authorize', galleryPageSize: 100, tokenTtlSeconds: 600 });
    });

    it.each([
        [null, 'must be a JSON object'],
        [{ network: 'mainnet', authCanisterId: AUTH }, 'network must be "local" or "ic"'],
        [{ network: 'ic', authCanisterId: AUTH }, 'this build is for the local network but the configuration is for ic'],
        [{ network: 'local', authCanisterId: AUTH }, 'host (the local network URL'],
        [{ network: 'local', host: 'ftp://x', authCanisterId: AUTH }, 'host must be http(s)'],
        [{ network: 'local', host: 'not a url', authCanisterId: AUTH }, 'host is not a URL'],
        [{ network: 'local', host: 'http://127.0.0.1:4943', authCanisterId: 'not-a-principal' }, 'authCanisterId is not a canister id'],
        [{ network: 'local', host: 'http://127.0.0.1:4943' }, 'authCanisterId must be a canister id'],
        [{ network: 'local', host: 'http://127.0.0.1:4943', authCanisterId: AUTH, galleryPageSize: 101 }, 'galleryPageSize must be an integer from 1 to 100'],
        [{ network: 'local', host: 'http://127.0.0.1:4943', authCanisterId: AUTH, tokenTtlSeconds: 0 }, 'tokenTtlSeconds must be an integer']
    ])('refuses %j with a message saying what is wrong', (raw, message) => {
        expect(() => parseAppConfig(raw, 'local')).toThrow(ConfigError);
        expect(() => parseAppConfig(raw, 'local')).toThrow(message);
    });
});
