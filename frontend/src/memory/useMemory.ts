'use client';
/** One memory's record (`get_memory`), or why it cannot be shown. */
import { useEffect, useState } from 'react';
import { isValidId } from '@icp-private-assets/shared';
import { memorySummary, type MemorySummary } from '../gallery/memorySummary';
import { useSignedIn } from '../session/sessionContext';

export type MemoryLookup =
    | { readonly status: 'loading' }
    | { readonly status: 'found'; readonly memory: MemorySummary; readonly memberCount: number }
    | { readonly status: 'no-access' }
    | { readonly status: 'invalid-id' }
    | { readonly status: 'error'; readonly message: string };

export function useMemory(memoryId: string): MemoryLookup {
    const { auth } = useSignedIn();
    const [lookup, setLookup] = useState<MemoryLookup>({ status: 'loading' });
    useEffect(() => {
        if (!isValidId(memoryId)) {
            setLookup({ status: 'invalid-id' });
            return;
        }
        let cancelled = false;
        setLookup({ status: 'loading' });
        auth.get_memory({ memory_id: memoryId }).then(
            (result) => {
                if (cancelled) return;
                if ('Ok' in result) setLookup({ status: 'found', memory: memorySummary(result.Ok.memory), memberCount: result.Ok.grants.length });
                else if ('NotFound' in result.Err || 'NotAuthorized' in result.Err) setLookup({ status: 'no-access' });
                else setLookup({ status: 'error', message: Object.keys(result.Err)[0] ?? 'refused' });
            },
            (error: Error) => !cancelled && setLookup({ status: 'error', message: error.message })
        );
        return () => {
            cancelled = true;
        };
    }, [auth, memoryId]);
    return lookup;
}
