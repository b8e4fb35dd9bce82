import { Suspense, type ReactNode } from 'react';
import type { Metadata, Viewport } from 'next';
import { Sidebar } from '@/components/shell/sidebar';
import { TIME_ZONE_LABEL } from '@/lib/time';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Sightline', template: '%s · Sightline' },
  description: 'Latency, failures, traces and sessions of your AI agents',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <div className="shell">
          <Suspense fallback={<nav className="sidebar" aria-label="Main" />}>
            <Sidebar />
          </Suspense>
          <main className="main">
            {children}
            <p className="faint time-zone-note">Times in {TIME_ZONE_LABEL}</p>
          </main>
        </div>
      </body>
    </html>
  );
}
