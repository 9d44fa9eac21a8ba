'use client';
/**
 * The memory's four variants as its bucket describes them (HEAD with the memory's token): which
 * exist, their content types (a video original plays in `<video>`) and sizes. Asked once per
 * token and page view; a refused token is re-minted once by the token store's refresh.
 */
import { useEffect, useRef, useState } from 'react';
import { icAssetUrl, VARIANTS, type Variant } from '@icp-private-assets/shared';
import { useSignedIn } from '../session/sessionContext';
import { useIcHttpToken } from '../tokens/useIcHttpToken';
import { assetHeadFrom, type AssetHead } from './assetHead';

export type AssetHeads = { readonly status: 'loading' } | { readonly status: 'ready'; readonly heads: Readonly<Record<Variant, AssetHead>> } | { readonly status: 'denied' };

async function head(url: string): Promise<AssetHead> {
    try {
        const response = await fetch(url, { method: 'HEAD', cache: 'no-store', credentials: 'omit' });
        return assetHeadFrom(response.status, response.headers);
    } catch {
        return { status: 'absent', failure: { kind: 'unavailable' } };
    }
}

export function useAssetHeads(memoryId: string): AssetHeads {
    const { config } = useSignedIn();
    const token = useIcHttpToken(memoryId, VARIANTS);
    const [heads, setHeads] = useState<AssetHeads>({ status: 'loading' });
    const asked = useRef(false);
    const { token: value, bucket, refresh } = token;
    const denied = token.state.status === 'denied';

    useEffect(() => {
        if (denied) setHeads({ status: 'denied' });
    }, [denied]);

    useEffect(() => {
        if (asked.current || value === undefined || bucket === undefined) return;
        asked.current = true;
        const describe = async (tokenValue: string, bucketId: string) =>
            Object.fromEntries(
                await Promise.all(VARIANTS.map(async (variant) => [variant, await head(icAssetUrl({ bucket: bucketId, memoryId, variant, token: tokenValue, network: config.assetNetwork }))] as const))
            ) as Record<Variant, AssetHead>;
        void (async () => {
            let described = await describe(value, bucket);
            const refused = Object.values(described).some((entry) => entry.status === 'absent' && entry.failure.kind === 'token' && entry.failure.remint);
            if (refused) {
                const state = await refresh(value);
                if (state.status === 'denied') return setHeads({ status: 'denied' });
                if (state.status === 'ready' && state.token !== value) described = await describe(state.token, state.bucket);
            }
            setHeads({ status: 'ready', heads: described });
        })();
    }, [value, bucket, refresh, memoryId, config.assetNetwork]);

    return heads;
}
