import { describe, expect, it } from 'vitest';
import { bucketOrigin, icAssetUrl } from '../src/index';
import { BUCKET_A } from './fixtures';

describe('icAssetUrl', () => {
    it('builds mainnet, local and query-form URLs', () => {
        const base = { bucket: BUCKET_A, memoryId: 'm1', variant: 'preview' as const, token: 'T0k-_' };
        expect(icAssetUrl({ ...base, network: { kind: 'ic' } })).toBe(`https://${BUCKET_A}.icp0.io/asset/m1/preview?token=T0k-_`);
        expect(icAssetUrl({ ...base, assetId: 'a1', network: { kind: 'ic' } })).toBe(
            `https://${BUCKET_A}.icp0.io/asset/m1/preview/a1?token=T0k-_`
        );
        expect(icAssetUrl({ ...base, network: { kind: 'local', port: 4943 } })).toBe(
            `http://${BUCKET_A}.localhost:4943/asset/m1/preview?token=T0k-_`
        );
        expect(icAssetUrl({ ...base, assetId: 'a1', network: { kind: 'ic' }, form: 'query' })).toBe(
            `https://${BUCKET_A}.icp0.io/asset?id=m1&variant=preview&asset_id=a1&token=T0k-_`
        );
        expect(icAssetUrl({ ...base, token: 'a+b/c', network: { kind: 'ic' } })).toMatch(/token=a%2Bb%2Fc$/);
    });

    it('refuses parts that would not parse back', () => {
        const base = { bucket: BUCKET_A, memoryId: 'm1', variant: 'preview' as const, token: 't', network: { kind: 'ic' as const } };
        expect(() => icAssetUrl({ ...base, memoryId: '../x' })).toThrow(TypeError);
        expect(() => icAssetUrl({ ...base, assetId: 'a/b' })).toThrow(TypeError);
        expect(() => icAssetUrl({ ...base, variant: 'big' as never })).toThrow(TypeError);
        expect(() => icAssetUrl({ ...base, bucket: 'nope' })).toThrow();
        expect(() => icAssetUrl({ ...base, bucket: BUCKET_A.toUpperCase() })).toThrow();
        expect(() => bucketOrigin(BUCKET_A, { kind: 'local', port: 70000 })).toThrow(TypeError);
        expect(() => bucketOrigin(BUCKET_A, { kind: 'local', port: 8000, host: 'evil.com/x' })).toThrow(TypeError);
    });
});
