import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAssetLocator, queryParam, splitRequestTarget } from '@icp-private-assets/shared';
import assetImageLoader from '../../src/images/assetImageLoader';
import { assetImageSrc, assetUrlForWidth } from '../../src/images/assetImageSrc';
import { IMAGE_VARIANTS, variantForWidth } from '../../src/images/variantForWidth';
import { TEST_BUCKET, testToken } from '../support/tokens';

const token = testToken('m0123456789abcdef0123456789abcdef', ['thumbnail', 'preview', 'placeholder'], 1_800_000_000, 180);
const local = { kind: 'local', port: 4943 } as const;

describe('the image loader', () => {
    it('rewrites the variant for the width, on the same bucket host with the same token', () => {
        const src = assetImageSrc({ bucket: TEST_BUCKET, memoryId: 'm1', largest: 'preview', token, network: local });
        expect(src).toBe(`http://${TEST_BUCKET}.localhost:4943/asset/m1/preview?token=${token}`);
        expect(assetImageLoader({ src, width: 480 })).toBe(`http://${TEST_BUCKET}.localhost:4943/asset/m1/thumbnail?token=${token}`);
        expect(assetImageLoader({ src, width: 1280 })).toBe(src);
        expect(assetImageLoader({ src, width: 2560 })).toBe(src); // never above the src's variant
    });

    it('keeps the asset id and uses the mainnet host on the IC', () => {
        const src = assetImageSrc({ bucket: TEST_BUCKET, memoryId: 'm1', assetId: 'a-7', largest: 'original', token, network: { kind: 'ic' } });
        expect(assetUrlForWidth(src, 300)).toBe(`https://${TEST_BUCKET}.icp0.io/asset/m1/thumbnail/a-7?token=${token}`);
    });

    it('leaves the app’s own images and other URLs alone', () => {
        expect(assetUrlForWidth('/icon.svg', 480)).toBe('/icon.svg');
        expect(assetUrlForWidth('https://example.org/photo.jpg', 480)).toBe('https://example.org/photo.jpg');
        expect(assetUrlForWidth(`http://${TEST_BUCKET}.localhost:4943/asset?id=m1&variant=preview&token=x`, 480)).toContain('variant=preview');
    });

    it('never produces an optimizer URL and always parses back to the chosen variant (property)', () => {
        fc.assert(
            fc.property(
                fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
                fc.option(fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/), { nil: undefined }),
                fc.constantFrom(...IMAGE_VARIANTS),
                fc.integer({ min: 1, max: 8_000 }),
                (memoryId, assetId, largest, width) => {
                    const src = assetImageSrc({ bucket: TEST_BUCKET, memoryId, assetId, largest, token, network: local });
                    const url = assetUrlForWidth(src, width);
                    expect(url).not.toContain('/_next/image');
                    expect(url.startsWith(`http://${TEST_BUCKET}.localhost:4943/asset/`)).toBe(true);
                    const target = splitRequestTarget(url);
                    const parsed = parseAssetLocator(target);
                    expect(parsed.ok && parsed.locator).toEqual({ memoryId, variant: variantForWidth(width, largest), ...(assetId === undefined ? {} : { assetId }) });
                    expect(queryParam(target.query, 'token')).toEqual({ kind: 'value', value: token });
                }
            )
        );
    });
});
