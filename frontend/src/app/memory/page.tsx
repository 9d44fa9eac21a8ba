'use client';
/** `/memory?id=…`: a static export has no dynamic routes, so the id is a query parameter. */
import { useSearchParams } from 'next/navigation';
import { Suspense } from 'react';
import { StatusScreen } from '../../components/StatusScreen';
import { MemoryDetail } from '../../memory/MemoryDetail';
import { RequireSignIn } from '../../session/RequireSignIn';

function MemoryRoute() {
    const id = useSearchParams().get('id') ?? '';
    return <MemoryDetail key={id} memoryId={id} />;
}

export default function MemoryPage() {
    return (
        <RequireSignIn>
            <Suspense fallback={<StatusScreen title="Loading…" busy />}>
                <MemoryRoute />
            </Suspense>
        </RequireSignIn>
    );
}
