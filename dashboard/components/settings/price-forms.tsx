'use client';

import { useActionState, type ReactNode } from 'react';
import { addPrice, recompute, type PriceFormState } from '@/app/settings/actions';
import { CsrfField } from '@/components/auth/csrf-field';

function Field({
  name,
  label,
  state,
  hint,
  ...props
}: { name: string; label: ReactNode; state: PriceFormState; hint?: string } & React.InputHTMLAttributes<HTMLInputElement>) {
  const wrong = state.field === name;
  return (
    <label style={{ display: 'grid', gap: 4, fontSize: 12.5, color: 'var(--text-muted)' }}>
      <span>{label}</span>
      <input
        className="control"
        name={name}
        defaultValue={state.fields?.[name] ?? ''}
        aria-invalid={wrong || undefined}
        style={wrong ? { borderColor: 'var(--error)' } : undefined}
        {...props}
      />
      {wrong && (
        <span role="alert" style={{ color: 'var(--error)' }}>
          {state.error}
        </span>
      )}
      {hint && <span className="faint">{hint}</span>}
    </label>
  );
}

const grid = { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(170px, 1fr))', gap: 12, alignItems: 'start' } as const;

function Outcome({ state }: { state: PriceFormState }) {
  if (state.ok)
    return (
      <div role="status" className="faint" style={{ marginTop: 8 }}>
        {state.ok}
      </div>
    );
  if (state.error && !state.field)
    return (
      <div className="widget-error" role="alert">
        {state.error}
      </div>
    );
  return null;
}

/** A new custom price: model pattern, USD per million tokens by kind, valid from (UTC). */
export function PriceForm() {
  const [state, action, saving] = useActionState<PriceFormState, FormData>(addPrice, {});
  return (
    <form action={action} aria-label="Custom price" data-testid="price-form" style={{ display: 'grid', gap: 12 }}>
      <CsrfField />
      <div style={grid}>
        <Field
          name="modelPattern"
          label="Model pattern"
          state={state}
          required
          placeholder="gpt-4o*"
          hint="* matches anything; case-insensitive"
        />
        <Field name="provider" label="Provider (optional)" state={state} placeholder="openai" />
        <Field name="inputPerMTok" label="Input $ / 1M tokens" state={state} required inputMode="decimal" placeholder="2.50" />
        <Field name="outputPerMTok" label="Output $ / 1M tokens" state={state} required inputMode="decimal" placeholder="10" />
        <Field name="cacheReadPerMTok" label="Cache read $ / 1M" state={state} inputMode="decimal" hint="input price when empty" />
        <Field name="cacheWritePerMTok" label="Cache write $ / 1M" state={state} inputMode="decimal" hint="input price when empty" />
        <Field name="reasoningPerMTok" label="Reasoning $ / 1M" state={state} inputMode="decimal" hint="output price when empty" />
        <Field name="validFrom" label="Valid from (UTC)" state={state} type="datetime-local" hint="now when empty" />
      </div>
      <div>
        <button className="btn primary" type="submit" disabled={saving}>
          {saving ? 'Saving…' : 'Add price'}
        </button>
      </div>
      <Outcome state={state} />
    </form>
  );
}

/** Re-prices the model calls of a time range with today's prices (custom and database). */
export function RecomputeForm() {
  const [state, action, running] = useActionState<PriceFormState, FormData>(recompute, {});
  return (
    <form action={action} aria-label="Recompute costs" data-testid="recompute-form" style={{ display: 'grid', gap: 12 }}>
      <CsrfField />
      <div style={grid}>
        <Field name="from" label="From (UTC)" state={state} type="datetime-local" required />
        <Field name="to" label="To (UTC)" state={state} type="datetime-local" required />
      </div>
      <div>
        <button className="btn" type="submit" disabled={running}>
          {running ? 'Recomputing…' : 'Recompute'}
        </button>
      </div>
      <Outcome state={state} />
    </form>
  );
}
