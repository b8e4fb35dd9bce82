import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { SignInForm } from '@/components/auth/sign-in-form';
import { WidgetError } from '@/components/ui/widget-error';
import { settle } from '@/lib/api';
import { getAccount } from '@/lib/account';
import { authApi } from '@/lib/auth-api';

export const metadata: Metadata = { title: 'Sign in' };
export const dynamic = 'force-dynamic';

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const { error } = await searchParams;
  const config = await settle(authApi.config());
  if (config.ok && config.data.mode === 'open') redirect('/');
  if ((await getAccount())?.user) redirect('/');
  return (
    <div className="auth-page">
      <h1>
        <span className="brand-mark" aria-hidden>
          S
        </span>
        Sign in to Sightline
      </h1>
      {!config.ok ? (
        <WidgetError error={config.error} />
      ) : config.data.setupRequired ? (
        <p role="status">
          No user exists yet. <Link href="/setup">Create the first admin</Link> with the setup token the collector printed at start.
        </p>
      ) : (
        <SignInForm sso={config.data.sso} error={error?.slice(0, 300)} />
      )}
    </div>
  );
}
