import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TOKEN_ERROR_CODES, TOKEN_ERROR_HTTP } from '@icp-private-assets/shared';
import { classifyAssetResponse } from '../../src/assets/assetFailure';

describe('classifyAssetResponse', () => {
    it('follows the shared token error table for every code it has (re-mint or not)', () => {
        for (const code of TOKEN_ERROR_CODES) {
            const { status, header, remint } = TOKEN_ERROR_HTTP[code];
            expect(classifyAssetResponse({ status, tokenError: header })).toEqual({ kind: 'token', code, remint });
        }
    });

    it('re-mints for an expired token, a rotated key and a missing token; not for a forged or out-of-scope one', () => {
        expect(classifyAssetResponse({ status: 403, tokenError: 'expired' })).toMatchObject({ remint: true });
        expect(classifyAssetResponse({ status: 401, tokenError: 'unknown_key' })).toMatchObject({ remint: true });
        expect(classifyAssetResponse({ status: 401, tokenError: 'missing' })).toMatchObject({ remint: true });
        expect(classifyAssetResponse({ status: 403, tokenError: 'bad_signature' })).toMatchObject({ remint: false });
        expect(classifyAssetResponse({ status: 403, tokenError: 'scope_mismatch' })).toMatchObject({ remint: false });
        expect(classifyAssetResponse({ status: 401, tokenError: 'malformed' })).toMatchObject({ remint: false });
    });

    it('reads the header whatever its case and spacing', () => {
        expect(classifyAssetResponse({ status: 403, tokenError: ' Expired ' })).toEqual({ kind: 'token', code: 'EXPIRED', remint: true });
    });

    it('treats a refusal without a known code as worth one re-mint', () => {
        expect(classifyAssetResponse({ status: 403, tokenError: null })).toEqual({ kind: 'token', code: undefined, remint: true });
        expect(classifyAssetResponse({ status: 401, tokenError: 'something_new' })).toEqual({ kind: 'token', code: undefined, remint: true });
    });

    it('separates missing assets, unavailable buckets, undecodable bytes and the rest', () => {
        expect(classifyAssetResponse({ status: 404 })).toEqual({ kind: 'not-found' });
        expect(classifyAssetResponse({ status: 500 })).toEqual({ kind: 'unavailable', status: 500 });
        expect(classifyAssetResponse({ status: 502 })).toEqual({ kind: 'unavailable', status: 502 });
        expect(classifyAssetResponse({ status: 0 })).toEqual({ kind: 'unavailable', status: 0 });
        expect(classifyAssetResponse({ status: 200 })).toEqual({ kind: 'undecodable' });
        expect(classifyAssetResponse({ status: 416 })).toEqual({ kind: 'unexpected', status: 416 });
    });

    it('classifies any status and header without throwing (property)', () => {
        fc.assert(
            fc.property(fc.integer({ min: 0, max: 999 }), fc.option(fc.string(), { nil: null }), (status, tokenError) => {
                const failure = classifyAssetResponse({ status, tokenError });
                if (status === 401 || status === 403) expect(failure.kind).toBe('token');
                else expect(failure.kind).not.toBe('token');
            })
        );
    });
});
