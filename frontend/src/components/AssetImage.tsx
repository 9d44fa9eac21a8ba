'use client';
/**
 * A private image through Next.js `<Image>`: the URL is on the memory's bucket host with the
 * memory's token (assetImageSrc.ts); the loader picks the variant by width. While the token or
 * the bytes are on their way a skeleton (and the blurred `placeholder` variant) is shown; a
 * failed load is recovered once (useAssetRecovery.ts), falls back to the agent (CustomImage), or
 * becomes a placeholder saying why.
 */
import Image from 'next/image';
import { useMemo } from 'react';
import { icAssetUrl } from '@icp-private-assets/shared';
import { assetImageSrc } from '../images/assetImageSrc';
import { useAssetRecovery } from '../assets/useAssetRecovery';
import { useSignedIn } from '../session/sessionContext';
import { AssetPlaceholder } from './AssetPlaceholder';
import type { AssetImageProps } from './assetImageProps';
import { tokenVariantsFor } from './assetVariants';
import { CustomImage } from './CustomImage';

export function AssetImage(props: AssetImageProps) {
    const { memoryId, largest, assetId, alt, sizes, width, height, fill, eager = false, withPlaceholder = false, className } = props;
    const { config, tokens } = useSignedIn();
    const variants = useMemo(() => tokenVariantsFor(largest, withPlaceholder), [largest, withPlaceholder]);
    const recovery = useAssetRecovery(memoryId, variants);
    const { source, problem, tokenState, mode, loaded } = recovery;

    if (problem) return <AssetPlaceholder problem={problem} />;
    if (tokenState.status === 'failed' && !tokenState.retrying && source === undefined) {
        return <AssetPlaceholder problem={{ kind: 'failed', detail: tokenState.message }} onRetry={() => tokens.retry(memoryId)} />;
    }
    if (mode === 'agent') return <CustomImage {...props} />;

    const placeholderUrl =
        withPlaceholder && source && !loaded
            ? icAssetUrl({ bucket: source.bucket, memoryId, variant: 'placeholder', token: source.token, network: config.assetNetwork })
            : undefined;
    return (
        <div
            className={`asset-image${loaded ? ' is-loaded' : ''}${className ? ` ${className}` : ''}`}
            data-memory-id={memoryId}
            data-state={loaded ? 'loaded' : 'loading'}
            aria-busy={!loaded}
        >
            {placeholderUrl ? (
                // The tiny placeholder variant, blurred, until the image itself has loaded. Low
                // priority: a bucket spends as long verifying its token as the thumbnail's, so the
                // thumbnails go out first and placeholders fill in for those still on their way.
                // eslint-disable-next-line @next/next/no-img-element -- a few hundred bytes, no srcset needed
                <img className="placeholder-layer" src={placeholderUrl} alt="" aria-hidden fetchPriority="low" decoding="async" />
            ) : null}
            {source ? (
                <Image
                    src={assetImageSrc({ bucket: source.bucket, memoryId, largest, assetId, token: source.token, network: config.assetNetwork })}
                    alt={alt}
                    sizes={sizes}
                    {...(fill ? { fill: true } : { width, height })}
                    loading={eager ? 'eager' : 'lazy'}
                    fetchPriority={eager ? 'high' : 'auto'}
                    onLoad={recovery.onLoad}
                    onError={(event) => recovery.onError(event.currentTarget.currentSrc || event.currentTarget.src)}
                />
            ) : (
                <span className="visually-hidden">Loading {alt}</span>
            )}
        </div>
    );
}
