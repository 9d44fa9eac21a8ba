'use client';
/**
 * The caller's memories (owned and shared), a page at a time through `list_memories`. Each page's
 * tokens are asked for as soon as the page arrives, in one `mint_http_tokens` batch, before its
 * tiles even render.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useSignedIn } from '../session/sessionContext';
import { GALLERY_TOKEN_VARIANTS } from './galleryVariants';
import { memorySummary, type MemorySummary } from './memorySummary';

export interface MemoryPages {
    readonly memories: readonly MemorySummary[];
    readonly status: 'loading' | 'idle' | 'done' | 'error';
    readonly error: string | undefined;
    /** Loads the next page (no-op while one is loading or when all are loaded). */
    loadMore(): void;
}

export function useMemoryPages(): MemoryPages {
    const { auth, tokens, config } = useSignedIn();
    const [memories, setMemories] = useState<MemorySummary[]>([]);
    const [status, setStatus] = useState<MemoryPages['status']>('loading');
    const [error, setError] = useState<string | undefined>();
    const cursor = useRef<string | undefined>(undefined);
    const inFlight = useRef(false);

    const loadPage = useCallback(async () => {
        if (inFlight.current) return;
        inFlight.current = true;
        setStatus('loading');
        try {
            const page = await auth.list_memories({ cursor: cursor.current === undefined ? [] : [cursor.current], limit: [config.galleryPageSize] });
            const summaries = page.memories.map(memorySummary);
            tokens.prefetch(
                summaries.map((memory) => memory.id),
                GALLERY_TOKEN_VARIANTS
            );
            cursor.current = page.next_cursor[0];
            setMemories((previous) => [...previous, ...summaries]);
            setStatus(cursor.current === undefined ? 'done' : 'idle');
            setError(undefined);
        } catch (failure) {
            setStatus('error');
            setError((failure as Error).message);
        } finally {
            inFlight.current = false;
        }
    }, [auth, tokens, config.galleryPageSize]);

    useEffect(() => {
        void loadPage();
    }, [loadPage]);

    const loadMore = useCallback(() => {
        if (status === 'idle' || status === 'error') void loadPage();
    }, [status, loadPage]);

    return { memories, status, error, loadMore };
}
