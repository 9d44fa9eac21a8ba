import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { Header } from '../components/Header';
import { SessionProvider } from '../session/SessionProvider';
import './globals.css';

export const metadata: Metadata = {
    title: 'Private memories',
    description: 'Private photos and videos on the Internet Computer.'
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default function RootLayout({ children }: { children: ReactNode }) {
    return (
        <html lang="en">
            <body>
                <SessionProvider>
                    <Header />
                    {children}
                </SessionProvider>
            </body>
        </html>
    );
}
