'use client';
import { GalleryPage } from '../gallery/GalleryPage';
import { RequireSignIn } from '../session/RequireSignIn';

export default function Home() {
    return (
        <RequireSignIn>
            <GalleryPage />
        </RequireSignIn>
    );
}
