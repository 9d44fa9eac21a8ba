'use client';
/**
 * A video asset in `<video>`, straight from its tokenized URL on the bucket host: the browser
 * streams it with Range requests (206 through the gateway), so seeking works. A refused token
 * is re-minted once; playback then resumes where it stopped.
 */
import { useEffect, useMemo, useRef } from 'react';
import { VARIANTS, icAssetUrl } from '@icp-private-assets/shared';
import { useAssetRecovery } from '../assets/useAssetRecovery';
import { AssetPlaceholder } from '../components/AssetPlaceholder';
import { Spinner } from '../components/Spinner';
import { useSignedIn } from '../session/sessionContext';

export function VideoPlayer({ memoryId, title, contentType, withPoster }: { memoryId: string; title: string; contentType: string; withPoster: boolean }) {
    const { config } = useSignedIn();
    const variants = useMemo(() => [...VARIANTS], []);
    const recovery = useAssetRecovery(memoryId, variants);
    const { source, problem } = recovery;
    const video = useRef<HTMLVideoElement>(null);
    const resume = useRef<{ time: number; playing: boolean } | undefined>(undefined);

    const src = source ? icAssetUrl({ bucket: source.bucket, memoryId, variant: 'original', token: source.token, network: config.assetNetwork }) : undefined;
    const poster = source && withPoster ? icAssetUrl({ bucket: source.bucket, memoryId, variant: 'preview', token: source.token, network: config.assetNetwork }) : undefined;

    // A new URL (after a re-mint) reloads the element: continue from where it was.
    useEffect(() => {
        const element = video.current;
        if (!element || !resume.current) return;
        const { time, playing } = resume.current;
        const restore = () => {
            element.currentTime = time;
            if (playing) void element.play().catch(() => undefined);
            resume.current = undefined;
        };
        element.addEventListener('loadedmetadata', restore, { once: true });
        return () => element.removeEventListener('loadedmetadata', restore);
    }, [src]);

    if (problem) return <AssetPlaceholder problem={problem} />;
    if (!src) return <Spinner label={`Loading ${title}`} />;
    return (
        <video
            ref={video}
            className="memory-video"
            controls
            preload="metadata"
            poster={poster}
            aria-label={title}
            data-memory-id={memoryId}
            onLoadedMetadata={recovery.onLoad}
            onError={(event) => {
                const element = event.currentTarget;
                resume.current = { time: element.currentTime, playing: !element.paused };
                recovery.onError(element.currentSrc || src);
            }}
            src={src}
            data-content-type={contentType}
        />
    );
}
