/** One memory in the gallery: its thumbnail and title, a link to its page. */
import Link from 'next/link';
import { forwardRef } from 'react';
import { AssetImage } from '../components/AssetImage';
import { GALLERY_LARGEST, GALLERY_TILE_SIZES } from './galleryVariants';
import type { MemorySummary } from './memorySummary';

export const GalleryTile = forwardRef<HTMLAnchorElement, { memory: MemorySummary; shared: boolean; priority: boolean }>(function GalleryTile(
    { memory, shared, priority },
    ref
) {
    return (
        <li className="gallery-tile" data-memory-id={memory.id}>
            <Link ref={ref} href={`/memory?id=${memory.id}`} className="tile-link">
                <AssetImage memoryId={memory.id} largest={GALLERY_LARGEST} alt={memory.title} fill sizes={GALLERY_TILE_SIZES} eager={priority} withPlaceholder className="tile-image" />
                <span className="tile-caption">
                    <span className="tile-title">{memory.title}</span>
                    {shared ? <span className="tile-badge">shared with you</span> : null}
                </span>
            </Link>
        </li>
    );
});
