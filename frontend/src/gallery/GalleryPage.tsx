'use client';
/**
 * The gallery: the caller's memories, owned and shared, as a responsive grid of thumbnails.
 * More pages load when the end of the grid scrolls into view (or with the button). Arrow keys
 * move between tiles, Enter opens one.
 */
import { useCallback, useEffect, useRef, type KeyboardEvent } from 'react';
import { Spinner } from '../components/Spinner';
import { GalleryTile } from './GalleryTile';
import { isGridKey, moveInGrid } from './gridKeyboard';
import { useMemoryPages } from './useMemoryPages';

/** Tiles above the fold load first. */
const PRIORITY_TILES = 8;

export function GalleryPage() {
    const { memories, status, error, loadMore } = useMemoryPages();
    const tiles = useRef<(HTMLAnchorElement | null)[]>([]);
    const grid = useRef<HTMLUListElement>(null);
    const sentinel = useRef<HTMLDivElement>(null);

    useEffect(() => {
        const target = sentinel.current;
        if (!target || status !== 'idle') return;
        const observer = new IntersectionObserver((entries) => entries.some((entry) => entry.isIntersecting) && loadMore(), { rootMargin: '600px' });
        observer.observe(target);
        return () => observer.disconnect();
    }, [status, loadMore]);

    const onKeyDown = useCallback(
        (event: KeyboardEvent<HTMLUListElement>) => {
            if (!isGridKey(event.key)) return;
            const index = tiles.current.findIndex((tile) => tile === document.activeElement);
            if (index < 0) return;
            const columns = grid.current ? getComputedStyle(grid.current).gridTemplateColumns.split(' ').length : 1;
            const next = moveInGrid(index, event.key, columns, memories.length);
            if (next >= 0 && next !== index) {
                event.preventDefault();
                tiles.current[next]?.focus();
            }
        },
        [memories.length]
    );

    return (
        <main className="gallery">
            <h1>Your memories</h1>
            {memories.length === 0 && status === 'loading' ? <Spinner label="Loading your memories" /> : null}
            {memories.length === 0 && status === 'done' ? <p className="empty">No memories yet. Memories you create or that others share with you appear here.</p> : null}
            <ul ref={grid} className="gallery-grid" aria-label="Memories" onKeyDown={onKeyDown}>
                {memories.map((memory, index) => (
                    <GalleryTile
                        key={memory.id}
                        ref={(element) => {
                            tiles.current[index] = element;
                        }}
                        memory={memory}
                        shared={memory.role !== 'owner'}
                        priority={index < PRIORITY_TILES}
                    />
                ))}
            </ul>
            <div ref={sentinel} className="gallery-end">
                {status === 'loading' && memories.length > 0 ? <Spinner label="Loading more memories" /> : null}
                {status === 'idle' ? (
                    <button type="button" onClick={loadMore}>
                        Load more
                    </button>
                ) : null}
                {status === 'error' ? (
                    <p role="alert">
                        Could not load your memories: {error}{' '}
                        <button type="button" onClick={loadMore}>
                            Try again
                        </button>
                    </p>
                ) : null}
            </div>
        </main>
    );
}
