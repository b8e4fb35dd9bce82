'use client';

import { useActionState, useState } from 'react';
import { createKey, revokeKey, type CreatedKey, type KeyFormState } from '@/app/settings/keys/actions';
import { CsrfField } from '@/components/auth/csrf-field';
import { SCOPES } from '@/lib/key-form';

/** Name and scopes; after creation, the whole key once (it lives in this component's state only). */
export function CreateKeyForm({ project }: { project: string }) {
  const [state, action, pending] = useActionState<KeyFormState, FormData>(createKey, {});
  const [dismissed, setDismissed] = useState<string | undefined>();
  const shown = state.created && state.created.id !== dismissed ? state.created : undefined;
  return (
    <>
      <form action={action} aria-label="Create an API key" className="toolbar" style={{ padding: 12, flexWrap: 'wrap' }}>
        <CsrfField />
        <input type="hidden" name="project" value={project} />
        <input
          className="control"
          name="name"
          placeholder="name, e.g. agents in production"
          aria-label="Key name"
          aria-invalid={state.field === 'name' || undefined}
          autoComplete="off"
          defaultValue={state.values?.name ?? ''}
          maxLength={200}
          required
        />
        <fieldset
          aria-label="Scopes"
          aria-invalid={state.field === 'scopes' || undefined}
          style={{ border: 0, padding: 0, margin: 0, display: 'flex', gap: 12 }}
        >
          {SCOPES.map(({ scope, label }) => (
            <label key={scope} title={label}>
              <input
                type="checkbox"
                name="scope"
                value={scope}
                defaultChecked={state.values ? state.values.scopes.includes(scope) : scope === 'ingest'}
              />{' '}
              {scope}
            </label>
          ))}
        </fieldset>
        <button className="btn" type="submit" disabled={pending}>
          Create key
        </button>
        {state.error && (
          <span role="alert" style={{ color: 'var(--error)' }}>
            {state.error}
          </span>
        )}
      </form>
      {shown && <NewKey created={shown} onDone={() => setDismissed(shown.id)} />}
    </>
  );
}

/** The one showing of a new key, with a copy button and the warning that it is not shown again. */
function NewKey({ created, onDone }: { created: CreatedKey; onDone: () => void }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | undefined>();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.key);
      setCopied('yes');
    } catch {
      // No clipboard (plain HTTP on another host, or permission refused): the field is selectable.
      setCopied('failed');
    }
  };
  return (
    <div role="region" aria-label="New API key" className="panel-section">
      <p role="status">
        <strong>
          Key {created.name} ({created.scopes.join(', ')}) created. Copy it now: you will not see it again.
        </strong>{' '}
        Only its prefix <code>{created.prefix}</code> is kept for the list.
      </p>
      <div className="toolbar" style={{ flexWrap: 'wrap' }}>
        <input
          className="control mono"
          readOnly
          value={created.key}
          aria-label="New API key"
          data-testid="new-api-key"
          size={Math.min(created.key.length, 72)}
          onFocus={(e) => e.currentTarget.select()}
        />
        <button className="btn" type="button" onClick={() => void copy()}>
          {copied === 'yes' ? 'Copied' : 'Copy'}
        </button>
        <button className="btn small" type="button" onClick={onDone}>
          Done, hide it
        </button>
        {copied === 'failed' && <span className="muted">The browser refused the clipboard: select the key and copy it by hand.</span>}
      </div>
    </div>
  );
}

/** Revokes after the user confirms; the collector refuses the key from then on. */
export function RevokeKeyButton({ project, keyId, label }: { project: string; keyId: string; label: string }) {
  return (
    <form
      action={revokeKey}
      onSubmit={(e) => {
        if (!window.confirm(`Revoke the API key ${label}? Anything sending or reading with it is refused from now on.`)) e.preventDefault();
      }}
    >
      <CsrfField />
      <input type="hidden" name="project" value={project} />
      <input type="hidden" name="keyId" value={keyId} />
      <button className="btn small" type="submit" aria-label={`Revoke ${label}`}>
        Revoke
      </button>
    </form>
  );
}
