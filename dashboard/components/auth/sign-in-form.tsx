'use client';

import { useActionState } from 'react';
import { setUp, signIn, startSso, type SignInState } from '@/app/sign-in/actions';
import { CsrfField } from './csrf-field';

const label = { display: 'grid', gap: 4, fontSize: 12.5, color: 'var(--text-muted)' } as const;

function Problem({ error }: { error?: string | undefined }) {
  return error ? (
    <div className="widget-error" role="alert">
      {error}
    </div>
  ) : null;
}

/** Email and password, and "Sign in with SSO" when the collector has a provider. */
export function SignInForm({ sso, error }: { sso: boolean; error?: string | undefined }) {
  const [state, action, pending] = useActionState<SignInState, FormData>(signIn, error ? { error } : {});
  const [ssoState, ssoAction, ssoPending] = useActionState<SignInState, FormData>(startSso, {});
  return (
    <div className="auth-forms">
      <form action={action} aria-label="Sign in" className="auth-form">
        <CsrfField />
        <Problem error={state.error} />
        <label style={label}>
          Email
          <input className="control" type="email" name="email" autoComplete="username" required defaultValue={state.email ?? ''} />
        </label>
        <label style={label}>
          Password
          <input className="control" type="password" name="password" autoComplete="current-password" required />
        </label>
        <button className="btn primary" type="submit" disabled={pending}>
          {pending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      {sso && (
        <form action={ssoAction} aria-label="Single sign-on" className="auth-form">
          <CsrfField />
          <Problem error={ssoState.error} />
          <button className="btn" type="submit" disabled={ssoPending}>
            Sign in with SSO
          </button>
        </form>
      )}
    </div>
  );
}

/** The first admin's account, with the one-time token the collector printed. */
export function SetupForm() {
  const [state, action, pending] = useActionState<SignInState, FormData>(setUp, {});
  return (
    <form action={action} aria-label="Create the first admin" className="auth-form">
      <CsrfField />
      <Problem error={state.error} />
      <label style={label}>
        Setup token (printed in the collector&apos;s log)
        <input className="control mono" name="token" autoComplete="off" required />
      </label>
      <label style={label}>
        Your email
        <input className="control" type="email" name="email" autoComplete="username" required defaultValue={state.email ?? ''} />
      </label>
      <label style={label}>
        Password (at least 12 characters)
        <input className="control" type="password" name="password" autoComplete="new-password" minLength={12} required />
      </label>
      <button className="btn primary" type="submit" disabled={pending}>
        Create admin and sign in
      </button>
    </form>
  );
}
