/** Which requests the gateway takes, for which canister, and whether it verifies the response. */
import { describe, expect, it } from 'vitest';
import { hostName, resolveCanister } from '../../src/gateway/canisterResolution';

const ID = 'rrkah-fqaaa-aaaaa-aaaaq-cai';

const resolve = (host: string | undefined, target = '/', referer?: string, domains?: string[]) =>
    resolveCanister({ host, target, referer }, domains);

describe('canister resolution', () => {
    it.each([
        [`${ID}.localhost:4943`, true],
        [`${ID}.localhost`, true],
        [`${ID.toUpperCase()}.LOCALHOST:80`, true],
        [`${ID}.localhost.:4943`, true],
        [`${ID}.raw.localhost:4943`, false],
        [`${ID}.RAW.localhost`, false]
    ])('takes %s (verified: %s)', (host, verify) => {
        const target = resolve(host);
        expect(target).toMatchObject({ kind: 'canister', verify });
        expect(target.kind === 'canister' && target.canisterId.toText()).toBe(ID);
    });

    it.each([
        ['not-a-principal.localhost:4943', /Invalid canister id 'not-a-principal'/],
        [`${ID.slice(0, -1)}x.localhost`, /Invalid canister id/],
        ['rrkahfqaaaaaaaaaaaaqcai.localhost', /Invalid canister id/],
        [`a.${ID}.localhost`, /is not <canister-id>.localhost/],
        ['raw.localhost', /Invalid canister id 'raw'/],
        [`.raw.localhost`, /is not <canister-id>.localhost/]
    ])('refuses the malformed host %s with a reason', (host, reason) => {
        const target = resolve(host);
        expect(target.kind).toBe('invalid');
        expect(target.kind === 'invalid' && target.message).toMatch(reason);
    });

    it.each(['localhost:4943', '127.0.0.1:4943', '[::1]:4943', 'example.com', `${ID}.example.com`, undefined])(
        'leaves %s to the other front ends',
        (host) => expect(resolve(host)).toEqual({ kind: 'none' })
    );

    it('falls back to ?canisterId= (verified), then to the Referer\'s canisterId', () => {
        expect(resolve('127.0.0.1:4943', `/index.html?canisterId=${ID}&x=1`)).toMatchObject({ kind: 'canister', verify: true });
        expect(resolve('localhost:4943', '/main.js', `http://localhost:4943/?canisterId=${ID}`)).toMatchObject({ kind: 'canister' });
        expect(resolve('localhost:4943', '/?canisterId=nope')).toMatchObject({ kind: 'invalid', message: expect.stringMatching(/canisterId query parameter/) });
        expect(resolve('localhost:4943', '/?other=1')).toEqual({ kind: 'none' });
    });

    it('prefers the host over the query parameter', () => {
        const target = resolve(`${ID}.raw.localhost`, '/?canisterId=aaaaa-aa');
        expect(target.kind === 'canister' && [target.canisterId.toText(), target.verify]).toEqual([ID, false]);
    });

    it('serves other domains when configured (POST /http_gateway "domains")', () => {
        expect(resolve(`${ID}.ic.test:8080`, '/', undefined, ['ic.test'])).toMatchObject({ kind: 'canister', verify: true });
        expect(resolve(`${ID}.localhost`, '/', undefined, ['ic.test'])).toEqual({ kind: 'none' });
    });

    it('normalises host names', () => {
        expect(hostName('Example.COM:443')).toBe('example.com');
        expect(hostName('[::1]:4943')).toBe('[::1]');
        expect(hostName('a.localhost.')).toBe('a.localhost');
    });
});
