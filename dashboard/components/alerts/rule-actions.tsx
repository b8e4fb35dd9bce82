'use client';

import { useActionState } from 'react';
import { deleteRule, sendTest, setMuted } from '@/app/alerts/actions';
import { CsrfField } from '@/components/auth/csrf-field';

/** Mute/unmute, send test and delete for one rule: plain forms posting to server actions. */
export function RuleActions({ id, muted, hasChannels }: { id: string; muted: boolean; hasChannels: boolean }) {
  const [test, runTest, testing] = useActionState(sendTest, null);
  return (
    <div className="toolbar" style={{ flexWrap: 'nowrap' }}>
      <form action={setMuted}>
        <CsrfField />
        <input type="hidden" name="id" value={id} />
        <input type="hidden" name="muted" value={muted ? 'false' : 'true'} />
        <button className="btn small" type="submit">
          {muted ? 'Unmute' : 'Mute'}
        </button>
      </form>
      {hasChannels && (
        <form action={runTest}>
          <CsrfField />
          <input type="hidden" name="id" value={id} />
          <button className="btn small" type="submit" disabled={testing}>
            {testing ? 'Sending…' : 'Send test'}
          </button>
        </form>
      )}
      <form
        action={deleteRule}
        onSubmit={(e) => {
          if (!window.confirm('Delete this alert rule? Its history stays.')) e.preventDefault();
        }}
      >
        <CsrfField />
        <input type="hidden" name="id" value={id} />
        <button className="btn small" type="submit">
          Delete
        </button>
      </form>
      {test && (
        <span role="status" className={test.ok ? 'muted' : ''} style={test.ok ? undefined : { color: 'var(--error)' }}>
          {test.message}
        </span>
      )}
    </div>
  );
}
