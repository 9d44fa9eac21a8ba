/**
 * The library must run unchanged inside Azle's stable mode. This bundles it (as Azle's build does,
 * with esbuild) and runs it in a bare V8 context shaped like Azle's runtime (../shared/AZLE.md):
 * no Buffer/URL/fetch/setTimeout/window/self/global/WebAssembly (those throw even under `typeof`),
 * no atob/btoa/URLSearchParams/structuredClone/Intl/crypto.subtle; only TextEncoder/TextDecoder,
 * crypto.getRandomValues and console.
 */
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ABSENT, azleLikeContext, bundleShared } from './azleLikeRuntime';
import { vectorFile } from './vectorData';

describe('the shared library in an Azle-like runtime', () => {
    it('has no platform globals available to it there', () => {
        const context = azleLikeContext();
        for (const name of ABSENT) expect(vm.runInContext(`typeof globalThis.${name}`, context)).toBe('undefined');
        expect(() => vm.runInContext('typeof Buffer', context)).toThrow(/not available/);
        expect(vm.runInContext('typeof crypto.subtle', context)).toBe('undefined');
    });

    it('loads, verifies every test vector, mints, and parses URLs and ranges', async () => {
        const code = await bundleShared();
        const context = azleLikeContext();
        vm.runInContext(code, context);
        context.vectors = JSON.stringify(vectorFile);
        const outcome = vm.runInContext(
            `(() => {
                const file = JSON.parse(vectors);
                const hex = (h) => new Uint8Array(h.match(/../g).map((x) => parseInt(x, 16)));
                const results = file.tokens.map((v) => {
                    const ring = shared.Keyring.from(v.keyring.map((k) => ({
                        kid: k.kid, secret: hex(k.secret_hex), state: k.state,
                        ...(k.not_after !== null ? { notAfter: k.not_after } : {})
                    })));
                    const r = v.request;
                    const request = { purpose: r.purpose, audience: r.audience, memoryId: r.memory_id,
                        ...(r.variant ? { variant: r.variant } : {}), ...(r.asset_id ? { assetId: r.asset_id } : {}),
                        ...(r.caller ? { caller: r.caller } : {}) };
                    const result = shared.verifyToken(v.token, ring, request, v.now);
                    return result.ok ? 'OK' : result.code;
                });
                const key = shared.deriveBucketKey(hex(file.key_derivation[0].master_hex), 'k1', file.key_derivation[0].bucket);
                const token = shared.mintToken({ purpose: 'read', aud: file.key_derivation[0].bucket,
                    scope: { memoryId: 'm1', variants: ['preview'] }, iat: 100, exp: 200, nonce: shared.randomNonce() },
                    { kid: 'k1', secret: key });
                const ring = shared.Keyring.from([{ kid: 'k1', secret: key, state: 'active' }]);
                const url = shared.icAssetUrl({ bucket: file.key_derivation[0].bucket, memoryId: 'm1', variant: 'preview',
                    token, network: { kind: 'ic' } });
                const target = shared.splitRequestTarget(url);
                const locator = shared.parseAssetLocator(target);
                const tokenParam = shared.queryParam(target.query, 'token');
                const verified = shared.verifyToken(tokenParam.value, ring,
                    { purpose: 'read', audience: file.key_derivation[0].bucket, memoryId: 'm1', variant: 'preview' }, 150);
                return JSON.stringify({ results, locator, verified: verified.ok,
                    range: shared.parseRange('bytes=-10', 100), decoded: shared.percentDecode('%C3%A9') });
            })()`,
            context
        );
        const parsed = JSON.parse(outcome as string);
        expect(parsed.results).toEqual(vectorFile.tokens.map((v) => v.expected));
        expect(parsed.locator).toEqual({ ok: true, locator: { memoryId: 'm1', variant: 'preview' } });
        expect(parsed.verified).toBe(true);
        expect(parsed.range).toEqual({ kind: 'partial', start: 90, end: 99 });
        expect(parsed.decoded).toBe('é');
        expect((context as { touched: string[] }).touched).toEqual([]);
    });
});
