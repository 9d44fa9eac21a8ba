'use client';
/**
 * The original on demand: loaded with visible progress, shown in a modal dialog (Escape closes
 * it), fit to the screen or at full size (click, Enter or Space toggles; + and − too).
 */
import { useEffect, useRef, useState } from 'react';
import type { AssetBytes } from './useAssetBytes';
import { ProgressBar } from '../components/ProgressBar';
import { AssetPlaceholder } from '../components/AssetPlaceholder';

export function OriginalViewer({ title, bytes, onClose }: { title: string; bytes: AssetBytes; onClose: () => void }) {
    const dialog = useRef<HTMLDialogElement>(null);
    const [zoomed, setZoomed] = useState(false);

    useEffect(() => {
        const element = dialog.current;
        if (element && !element.open) element.showModal();
    }, []);

    return (
        <dialog ref={dialog} className="original-viewer" aria-label={`${title}, original`} onClose={onClose}>
            <div className="viewer-bar">
                <span>{title} · original</span>
                <button type="button" onClick={() => dialog.current?.close()} aria-label="Close">
                    Close
                </button>
            </div>
            <div className={`viewer-stage${zoomed ? ' is-zoomed' : ''}`}>
                {bytes.status === 'ready' ? (
                    // eslint-disable-next-line @next/next/no-img-element -- a blob: URL of bytes already fetched
                    <img
                        src={bytes.url}
                        alt={`${title} (original)`}
                        className="original-image"
                        tabIndex={0}
                        onClick={() => setZoomed((value) => !value)}
                        onKeyDown={(event) => {
                            if (event.key === 'Enter' || event.key === ' ') {
                                event.preventDefault();
                                setZoomed((value) => !value);
                            } else if (event.key === '+' || event.key === '=') setZoomed(true);
                            else if (event.key === '-') setZoomed(false);
                        }}
                    />
                ) : bytes.status === 'failed' ? (
                    <AssetPlaceholder problem={bytes.problem} />
                ) : (
                    <ProgressBar label="Loading the original" loaded={bytes.status === 'loading' ? bytes.loaded : 0} total={bytes.status === 'loading' ? bytes.total : undefined} />
                )}
            </div>
        </dialog>
    );
}
