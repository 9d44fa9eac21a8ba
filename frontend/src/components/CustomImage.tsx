'use client';
/**
 * The agent fallback of AssetImage, with the same props: the bytes come from `get_asset_chunk`
 * queries through the agent (every chunk), become a `blob:` URL, and the URL is revoked when the
 * component unmounts. Used when the HTTP path fails for reasons other than the token (the
 * gateway answering 5xx, for instance). Token errors are recovered as on the direct path.
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useAssetRecovery } from '../assets/useAssetRecovery';
import { createBucketService } from '../ic/bucketService';
import { AgentAssetError, fetchAssetViaAgent } from '../ic/fetchAssetViaAgent';
import { variantForWidth } from '../images/variantForWidth';
import { useSignedIn } from '../session/sessionContext';
import { AssetPlaceholder } from './AssetPlaceholder';
import type { AssetImageProps } from './assetImageProps';
import { tokenVariantsFor } from './assetVariants';
import { ProgressBar } from './ProgressBar';

export function CustomImage({ memoryId, largest, assetId, alt, width, height, fill, className }: AssetImageProps) {
    const { agent } = useSignedIn();
    const variants = useMemo(() => tokenVariantsFor(largest, false), [largest]);
    const recovery = useAssetRecovery(memoryId, variants, { reminted: false, fellBack: true });
    const { source, problem } = recovery;
    const box = useRef<HTMLDivElement>(null);
    const [renderedWidth, setRenderedWidth] = useState<number | undefined>();
    const [blob, setBlob] = useState<{ url: string; token: string } | undefined>();
    const [progress, setProgress] = useState<{ loaded: number; total: number } | undefined>();

    useLayoutEffect(() => {
        setRenderedWidth(Math.round((box.current?.clientWidth || width || 0) * (window.devicePixelRatio || 1)));
    }, [width]);

    const { onFailure } = recovery;
    useEffect(() => {
        if (!source || renderedWidth === undefined || blob?.token === source.token) return;
        let cancelled = false;
        let url: string | undefined;
        const bucket = createBucketService(agent, source.bucket);
        const variant = variantForWidth(renderedWidth, largest);
        fetchAssetViaAgent(bucket, { token: source.token, memoryId, variant, ...(assetId === undefined ? {} : { assetId }) }, (loaded, total) => !cancelled && setProgress({ loaded, total }), () => cancelled)
            .then((asset) => {
                if (cancelled) return;
                url = URL.createObjectURL(new Blob([asset.bytes as BlobPart], { type: asset.contentType }));
                setBlob({ url, token: source.token });
            })
            .catch((error: unknown) => {
                if (!cancelled) onFailure(error instanceof AgentAssetError ? error.failure : { kind: 'unavailable' });
            });
        return () => {
            cancelled = true;
        };
    }, [agent, source, renderedWidth, largest, memoryId, assetId, blob?.token, onFailure]);

    // The blob URL lives as long as it is shown.
    useEffect(() => {
        if (!blob) return;
        return () => URL.revokeObjectURL(blob.url);
    }, [blob]);

    if (problem) return <AssetPlaceholder problem={problem} />;
    return (
        <div ref={box} className={`asset-image custom-image${blob ? ' is-loaded' : ''}${className ? ` ${className}` : ''}`} data-memory-id={memoryId} data-source="agent" aria-busy={!blob}>
            {blob ? (
                // eslint-disable-next-line @next/next/no-img-element -- a blob: URL needs no loader
                <img src={blob.url} alt={alt} {...(fill ? { className: 'fill' } : { width, height })} onLoad={recovery.onLoad} />
            ) : progress && progress.total > 0 ? (
                <ProgressBar label={`Loading ${alt}`} loaded={progress.loaded} total={progress.total} />
            ) : (
                <span className="visually-hidden">Loading {alt}</span>
            )}
        </div>
    );
}
