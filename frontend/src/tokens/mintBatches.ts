/**
 * Grouping the token requests collected in one tick into `mint_http_tokens` calls: one call per
 * set of variants, at most 100 memory ids each (the canister's limit), ids in request order.
 */
import { VARIANTS, type Variant } from '@icp-private-assets/shared';

export const MAX_IDS_PER_MINT = 100;

export interface MintBatch {
    readonly memoryIds: readonly string[];
    /** In canonical order. */
    readonly variants: readonly Variant[];
}

export function canonicalVariants(variants: Iterable<Variant>): Variant[] {
    const set = new Set(variants);
    return VARIANTS.filter((variant) => set.has(variant));
}

export function planMintBatches(requests: ReadonlyMap<string, ReadonlySet<Variant>>): MintBatch[] {
    const groups = new Map<string, { variants: Variant[]; ids: string[] }>();
    for (const [memoryId, wanted] of requests) {
        const variants = canonicalVariants(wanted);
        if (variants.length === 0) continue;
        const key = variants.join(',');
        let group = groups.get(key);
        if (!group) groups.set(key, (group = { variants, ids: [] }));
        group.ids.push(memoryId);
    }
    const batches: MintBatch[] = [];
    for (const { variants, ids } of groups.values()) {
        for (let i = 0; i < ids.length; i += MAX_IDS_PER_MINT) batches.push({ memoryIds: ids.slice(i, i + MAX_IDS_PER_MINT), variants });
    }
    return batches;
}
