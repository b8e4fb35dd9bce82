import { Suspense, type ReactNode } from 'react';
import type { Metadata, Viewport } from 'next';
import { CsrfProvider } from '@/components/auth/csrf-field';
import { Sidebar } from '@/components/shell/sidebar';
import { getAccount } from '@/lib/account';
import { csrfToken } from '@/lib/csrf';
import { TIME_ZONE_LABEL } from '@/lib/time';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Sightline', template: '%s · Sightline' },
  description: 'Latency, failures, traces and sessions of your AI agents',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

/**
 * The shell. When sign-in is required and nobody is signed in, only the page (sign-in, setup)
 * renders, without navigation. A signed-in user sees their projects and sign-out in the sidebar;
 * the open local mode shows the shell as it always was.
 */
export default async function RootLayout({ children }: { children: ReactNode }) {
  const [account, token] = await Promise.all([getAccount(), csrfToken()]);
  const signedOut = account?.mode === 'required' && !account.user;
  const shellAccount = account?.user ? { email: account.user.email, projects: account.projects, project: account.project } : undefined;
  return (
    <html lang="en">
      <body>
        <CsrfProvider token={token}>
          {signedOut ? (
            <main className="auth-main">{children}</main>
          ) : (
            <div className="shell">
              <Suspense fallback={<nav className="sidebar" aria-label="Main" />}>
                <Sidebar account={shellAccount} />
              </Suspense>
              <main className="main">
                {children}
                <p className="faint time-zone-note">Times in {TIME_ZONE_LABEL}</p>
              </main>
            </div>
          )}
        </CsrfProvider>
      </body>
    </html>
  );
}
