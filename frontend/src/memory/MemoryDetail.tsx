'use client';
/**
 * One memory: its preview (or its video), the original on demand (zoom) and as a download, and
 * every file it holds. Escape goes back to the gallery.
 */
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { VARIANTS } from '@icp-private-assets/shared';
import { AssetImage } from '../components/AssetImage';
import { AssetPlaceholder } from '../components/AssetPlaceholder';
import { Spinner } from '../components/Spinner';
import { ProgressBar } from '../components/ProgressBar';
import type { MemorySummary } from '../gallery/memorySummary';
import { useSignedIn } from '../session/sessionContext';
import { useIcHttpToken } from '../tokens/useIcHttpToken';
import { AssetList } from './AssetList';
import { downloadName } from './downloadName';
import { formatBytes } from './formatBytes';
import { OriginalViewer } from './OriginalViewer';
import { useAssetBytes } from './useAssetBytes';
import { useAssetHeads } from './useAssetHeads';
import { useMemory } from './useMemory';
import { VideoPlayer } from './VideoPlayer';

export function MemoryDetail({ memoryId }: { memoryId: string }) {
    const lookup = useMemory(memoryId);
    const router = useRouter();

    useEffect(() => {
        const onKey = (event: KeyboardEvent) => {
            if (event.key === 'Escape' && !document.querySelector('dialog[open]')) router.push('/');
        };
        window.addEventListener('keydown', onKey);
        return () => window.removeEventListener('keydown', onKey);
    }, [router]);

    return (
        <main className="memory-detail">
            <nav>
                <Link href="/">← All memories</Link>
            </nav>
            {lookup.status === 'loading' ? <Spinner label="Loading the memory" /> : null}
            {lookup.status === 'invalid-id' ? <AssetPlaceholder problem={{ kind: 'failed', detail: `"${memoryId}" is not a memory id` }} /> : null}
            {lookup.status === 'no-access' ? <AssetPlaceholder problem={{ kind: 'no-access' }} /> : null}
            {lookup.status === 'error' ? <AssetPlaceholder problem={{ kind: 'failed', detail: lookup.message }} /> : null}
            {lookup.status === 'found' ? <MemoryView memory={lookup.memory} /> : null}
        </main>
    );
}

function MemoryView({ memory }: { memory: MemorySummary }) {
    const { config, principal } = useSignedIn();
    const heads = useAssetHeads(memory.id);
    const token = useIcHttpToken(memory.id, VARIANTS);
    const original = useAssetBytes(memory.id, 'original', VARIANTS);
    const [viewing, setViewing] = useState(false);

    const originalHead = heads.status === 'ready' ? heads.heads.original : undefined;
    const previewHead = heads.status === 'ready' ? heads.heads.preview : undefined;
    const isVideo = originalHead?.status === 'present' && originalHead.contentType.startsWith('video/');
    const source = token.token && token.bucket ? { token: token.token, bucket: token.bucket } : undefined;

    const download = async () => {
        const result = await original.load();
        if (result.status !== 'ready') return;
        const link = document.createElement('a');
        link.href = result.url;
        link.download = downloadName(memory.title, 'original', result.contentType);
        document.body.append(link);
        link.click();
        link.remove();
    };

    return (
        <article aria-labelledby="memory-title">
            <header className="memory-header">
                <h1 id="memory-title">{memory.title}</h1>
                <p>
                    {memory.role === 'owner' ? 'Yours' : `Shared with you (${memory.role})`} · {memory.createdAt.toLocaleString()}
                    {memory.owner !== principal ? <span className="owner"> · owner {memory.owner}</span> : null}
                </p>
            </header>
            <section className="memory-media" aria-label="Media">
                {heads.status === 'denied' ? <AssetPlaceholder problem={{ kind: 'no-access' }} /> : null}
                {/* The preview shows at once; once the files are known, a video original replaces it (with the preview as poster). */}
                {heads.status === 'ready' && isVideo && originalHead?.status === 'present' ? (
                    <VideoPlayer memoryId={memory.id} title={memory.title} contentType={originalHead.contentType} withPoster={previewHead?.status === 'present'} />
                ) : heads.status !== 'denied' ? (
                    <AssetImage memoryId={memory.id} largest="preview" alt={memory.title} fill sizes="(max-width: 1100px) 100vw, 1100px" eager withPlaceholder className="detail-image" />
                ) : null}
            </section>
            {heads.status === 'ready' && originalHead?.status === 'present' ? (
                <div className="memory-actions">
                    {!isVideo ? (
                        <button
                            type="button"
                            onClick={() => {
                                setViewing(true);
                                void original.load();
                            }}
                        >
                            View original{originalHead.size === undefined ? '' : ` (${formatBytes(originalHead.size)})`}
                        </button>
                    ) : null}
                    <button type="button" onClick={() => void download()} disabled={original.bytes.status === 'loading'}>
                        Download original
                    </button>
                    {original.bytes.status === 'loading' && !viewing ? <ProgressBar label="Downloading" loaded={original.bytes.loaded} total={original.bytes.total} /> : null}
                    {original.bytes.status === 'failed' && !viewing ? <AssetPlaceholder problem={original.bytes.problem} /> : null}
                </div>
            ) : null}
            {viewing ? <OriginalViewer title={memory.title} bytes={original.bytes} onClose={() => setViewing(false)} /> : null}
            {heads.status === 'ready' ? <AssetList memoryId={memory.id} heads={heads.heads} source={source} network={config.assetNetwork} /> : null}
        </article>
    );
}
