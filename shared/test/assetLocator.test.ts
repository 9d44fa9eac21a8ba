import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { icAssetUrl, isAssetPath, parseAssetLocator, queryParam, splitRequestTarget } from '../src/index';
import { hostileStringArb, idArb, variantsArb } from './arbitraries';
import { BUCKET_A } from './fixtures';

const parse = (url: string) => parseAssetLocator(splitRequestTarget(url));

describe('parseAssetLocator', () => {
    it.each([
        ['/asset/m1/thumbnail', { memoryId: 'm1', variant: 'thumbnail' }],
        ['/asset/m1/original/clip-01?token=abc', { memoryId: 'm1', variant: 'original', assetId: 'clip-01' }],
        ['/asset/m%5F1/preview', { memoryId: 'm_1', variant: 'preview' }],
        ['/asset?id=m1&variant=placeholder&token=x', { memoryId: 'm1', variant: 'placeholder' }],
        ['/asset?variant=original&id=m1&asset_id=a1', { memoryId: 'm1', variant: 'original', assetId: 'a1' }],
        ['https://host.icp0.io/asset/m1/preview#frag', { memoryId: 'm1', variant: 'preview' }]
    ])('accepts %s', (url, locator) => {
        expect(parse(url)).toEqual({ ok: true, locator });
    });

    it.each([
        ['/other/m1/thumbnail', 'not_asset_path'],
        ['/assets/m1/thumbnail', 'not_asset_path'],
        ['/asset/m1', 'wrong_segment_count'],
        ['/asset/m1/thumbnail/a/b', 'wrong_segment_count'],
        ['/asset//thumbnail', 'empty_segment'],
        ['/asset/m1/thumbnail/', 'empty_segment'],
        ['/asset/../thumbnail', 'dot_segment'],
        ['/asset/m1/thumbnail/..', 'dot_segment'],
        ['/asset/%2e%2e/thumbnail', 'dot_segment'],
        ['/asset/m1%2Fx/thumbnail', 'encoded_slash'],
        ['/asset/m1%2fx/thumbnail', 'encoded_slash'],
        ['/asset/m1%5Cx/thumbnail', 'encoded_slash'],
        ['/asset/m1%252F/thumbnail', 'invalid_id'],
        ['/asset/m1%zz/thumbnail', 'bad_encoding'],
        ['/asset/m1%/thumbnail', 'bad_encoding'],
        ['/asset/m%C3%A9/thumbnail', 'invalid_id'],
        ['/asset/m%FF/thumbnail', 'bad_encoding'],
        ['/asset/m.1/thumbnail', 'invalid_id'],
        [`/asset/${'m'.repeat(65)}/thumbnail`, 'invalid_id'],
        ['/asset/m1/huge', 'unknown_variant'],
        ['/asset/m1/Thumbnail', 'unknown_variant'],
        ['/asset?variant=original', 'missing_parameter'],
        ['/asset?id=m1&id=m2&variant=original', 'duplicate_parameter'],
        ['/asset?id=m%1&variant=original', 'bad_encoding'],
        [`/asset/${'a'.repeat(600)}`, 'too_long']
    ])('rejects %s as %s', (url, error) => {
        const result = parse(url);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.error).toBe(error);
    });

    it('never throws on hostile paths and only accepts ids of the documented charset', () => {
        fc.assert(
            fc.property(hostileStringArb, hostileStringArb, (a, b) => {
                for (const url of [`/asset/${a}`, `/asset/${a}/${b}`, a, `/asset?${a}`, `/asset/m/preview/${a}?${b}`]) {
                    const result = parse(url);
                    if (result.ok) {
                        const { memoryId, assetId } = result.locator;
                        for (const id of [memoryId, assetId]) if (id !== undefined) expect(id).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
                    }
                }
            }),
            { numRuns: 3000 }
        );
    });

    it('parses back every URL that icAssetUrl builds, in both forms', () => {
        fc.assert(
            fc.property(idArb, variantsArb, fc.option(idArb, { nil: undefined }), fc.base64String(), fc.boolean(), (memoryId, variants, assetId, token, query) => {
                const url = icAssetUrl({
                    bucket: BUCKET_A,
                    memoryId,
                    variant: variants[0]!,
                    ...(assetId !== undefined ? { assetId } : {}),
                    token,
                    network: { kind: 'ic' },
                    form: query ? 'query' : 'path'
                });
                const target = splitRequestTarget(url);
                expect(parseAssetLocator(target)).toEqual({
                    ok: true,
                    locator: { memoryId, variant: variants[0], ...(assetId !== undefined ? { assetId } : {}) }
                });
                expect(queryParam(target.query, 'token')).toEqual({ kind: 'value', value: token });
            }),
            { numRuns: 500 }
        );
    });
});

describe('queryParam and splitRequestTarget', () => {
    it('decodes a parameter once and refuses duplicates', () => {
        expect(queryParam('token=a%2Bb&x=1', 'token')).toEqual({ kind: 'value', value: 'a+b' });
        expect(queryParam('token=a+b', 'token')).toEqual({ kind: 'value', value: 'a b' });
        expect(queryParam('token=%252F', 'token')).toEqual({ kind: 'value', value: '%2F' });
        expect(queryParam('token=1&token=2', 'token')).toEqual({ kind: 'invalid', reason: 'duplicate' });
        expect(queryParam('token=%G1', 'token')).toEqual({ kind: 'invalid', reason: 'bad_encoding' });
        expect(queryParam('x=1', 'token')).toEqual({ kind: 'absent' });
        expect(queryParam('token', 'token')).toEqual({ kind: 'value', value: '' });
        expect(queryParam('tok%65n=v', 'token')).toEqual({ kind: 'value', value: 'v' });
    });

    it('splits paths and queries without the URL class', () => {
        expect(splitRequestTarget('/a/b?c=d#e')).toEqual({ path: '/a/b', query: 'c=d' });
        expect(splitRequestTarget('http://x.localhost:4943/a?b')).toEqual({ path: '/a', query: 'b' });
        expect(splitRequestTarget('')).toEqual({ path: '/', query: '' });
        expect(isAssetPath('/asset')).toBe(true);
        expect(isAssetPath('/asset/x')).toBe(true);
        expect(isAssetPath('/assets')).toBe(false);
    });
});
