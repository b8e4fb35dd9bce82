'use client';

import { useActionState } from 'react';
import { addScore, type ScoreFormState } from '@/app/traces/[id]/actions';
import { CsrfField } from '@/components/auth/csrf-field';

function Field({
  name,
  label,
  state,
  ...props
}: { name: string; label: string; state: ScoreFormState } & React.InputHTMLAttributes<HTMLInputElement>) {
  const wrong = state.field === name;
  return (
    <label style={{ display: 'grid', gap: 4, minWidth: 0, fontSize: 12.5, color: 'var(--text-muted)' }}>
      <span>{label}</span>
      <input
        className="control"
        name={name}
        // A saved score clears the form; a refused one keeps what was typed.
        defaultValue={state.ok ? '' : (state.fields?.[name] ?? '')}
        aria-invalid={wrong || undefined}
        // Fill the grid cell: a control's own width would overlap the next field.
        style={{ width: '100%', minWidth: 0, ...(wrong ? { borderColor: 'var(--error)' } : {}) }}
        {...props}
      />
    </label>
  );
}

/** Review a trace: a human_review score with a value (a number), a label, or both, and a comment. */
export function ScoreForm({ traceId }: { traceId: string }) {
  const [state, action, saving] = useActionState<ScoreFormState, FormData>(addScore, {});
  return (
    <form action={action} aria-label="Add a score" data-testid="score-form" style={{ display: 'grid', gap: 8, padding: 16 }}>
      <CsrfField />
      <input type="hidden" name="traceId" value={traceId} />
      <div style={{ display: 'grid', gridTemplateColumns: '160px 90px 140px minmax(160px, 1fr) auto', gap: 10, alignItems: 'end' }}>
        <Field name="name" label="Name" state={state} required placeholder="helpfulness" />
        <Field name="value" label="Value" state={state} inputMode="decimal" placeholder="0.8" />
        <Field name="label" label="Label" state={state} placeholder="correct" />
        <Field name="comment" label="Comment" state={state} placeholder="optional" />
        <button className="btn primary" type="submit" disabled={saving}>
          {saving ? 'Saving…' : 'Add score'}
        </button>
      </div>
      {state.error ? (
        <div className="widget-error" role="alert" data-testid="score-form-error">
          {state.error}
        </div>
      ) : state.ok ? (
        <div role="status" className="faint">
          {state.ok} It is stored as a human review.
        </div>
      ) : (
        <div className="faint" style={{ fontSize: 12 }}>
          A value (a number), a label, or both; stored as a human review of this trace.
        </div>
      )}
    </form>
  );
}
