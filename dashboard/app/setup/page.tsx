import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SetupForm } from '@/components/auth/sign-in-form';
import { WidgetError } from '@/components/ui/widget-error';
import { settle } from '@/lib/api';
import { authApi } from '@/lib/auth-api';

export const metadata: Metadata = { title: 'Set up' };
export const dynamic = 'force-dynamic';

export default async function SetupPage() {
  const config = await settle(authApi.config());
  if (config.ok && !config.data.setupRequired) redirect(config.data.mode === 'open' ? '/' : '/sign-in');
  return (
    <div className="auth-page">
      <h1>Create the first admin</h1>
      <p className="muted">
        The collector printed a one-time setup token in its log at start (<code>docker compose logs collector</code>). It works once.
      </p>
      {config.ok ? <SetupForm /> : <WidgetError error={config.error} />}
    </div>
  );
}
