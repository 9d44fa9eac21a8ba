import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VARIANTS, type Variant } from '@icp-private-assets/shared';
import { canonicalVariants, MAX_IDS_PER_MINT, planMintBatches } from '../../src/tokens/mintBatches';

describe('planMintBatches', () => {
    it('puts a page of memories wanting the same variants into one call', () => {
        const requests = new Map(Array.from({ length: 100 }, (_, i) => [`m${i}`, new Set<Variant>(['placeholder', 'thumbnail', 'preview'])]));
        const batches = planMintBatches(requests);
        expect(batches).toHaveLength(1);
        expect(batches[0]!.variants).toEqual(['thumbnail', 'preview', 'placeholder']);
        expect(batches[0]!.memoryIds).toHaveLength(100);
    });

    it('splits at the canister’s limit of 100 ids and groups by variant set', () => {
        const requests = new Map<string, Set<Variant>>();
        for (let i = 0; i < 150; i++) requests.set(`g${i}`, new Set<Variant>(['thumbnail']));
        requests.set('detail', new Set<Variant>(['original', 'preview']));
        const batches = planMintBatches(requests);
        expect(batches.map((batch) => [batch.variants.join(','), batch.memoryIds.length])).toEqual([
            ['thumbnail', 100],
            ['thumbnail', 50],
            ['preview,original', 1]
        ]);
    });

    it('covers every request exactly once, within limits (property)', () => {
        fc.assert(
            fc.property(fc.dictionary(fc.stringMatching(/^m[0-9a-f]{1,8}$/), fc.subarray([...VARIANTS], { minLength: 1 }), { maxKeys: 400 }), (raw) => {
                const requests = new Map(Object.entries(raw).map(([id, variants]) => [id, new Set(variants)]));
                const batches = planMintBatches(requests);
                const seen = new Map<string, readonly Variant[]>();
                for (const batch of batches) {
                    expect(batch.memoryIds.length).toBeGreaterThan(0);
                    expect(batch.memoryIds.length).toBeLessThanOrEqual(MAX_IDS_PER_MINT);
                    expect(batch.variants).toEqual(canonicalVariants(batch.variants));
                    for (const id of batch.memoryIds) {
                        expect(seen.has(id)).toBe(false);
                        seen.set(id, batch.variants);
                    }
                }
                expect(new Set(seen.keys())).toEqual(new Set(requests.keys()));
                for (const [id, wanted] of requests) expect(new Set(seen.get(id))).toEqual(wanted);
            })
        );
    });
});
