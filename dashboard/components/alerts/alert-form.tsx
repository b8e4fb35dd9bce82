'use client';

import { useActionState, useState, type ReactNode } from 'react';
import { saveRule, type FormState } from '@/app/alerts/actions';
import { SCOPE_FIELDS } from '@/lib/alert-form';
import { CsrfField } from '@/components/auth/csrf-field';

const LABELS: Record<(typeof SCOPE_FIELDS)[number], string> = {
  service: 'Service',
  agent: 'Agent',
  operation: 'Operation',
  tool: 'Tool',
  model: 'Model',
  environment: 'Environment',
};

/**
 * Create or edit a rule. The collector validates; its 400 names the field, which is highlighted here.
 * Inputs are uncontrolled: after a failed save the action returns what was typed, as new defaults.
 */
export function AlertForm({ id, initial, hasSecret }: { id?: string; initial: Record<string, string>; hasSecret?: boolean }) {
  const [state, action, saving] = useActionState<FormState, FormData>(saveRule, {});
  const values = state.fields ?? initial;
  const [kind, setKind] = useState(values.kind ?? 'latency');
  const [mode, setMode] = useState(values.mode ?? 'absolute');

  const field = (name: string, label: ReactNode, input: ReactNode, hint?: ReactNode) => (
    <label className="alert-field" style={{ display: 'grid', gap: 4, fontSize: 12.5, color: 'var(--text-muted)' }}>
      <span>{label}</span>
      {input}
      {state.field === name && (
        <span role="alert" style={{ color: 'var(--error)' }}>
          {state.error}
        </span>
      )}
      {hint && <span className="faint">{hint}</span>}
    </label>
  );
  const text = (name: string, props: React.InputHTMLAttributes<HTMLInputElement> = {}) => (
    <input
      className="control"
      name={name}
      defaultValue={values[name] ?? ''}
      aria-invalid={state.field === name || undefined}
      style={state.field === name ? { borderColor: 'var(--error)' } : undefined}
      {...props}
    />
  );
  const select = (name: string, options: Array<[string, string]>, onChange?: (v: string) => void) => (
    <select className="control" name={name} defaultValue={values[name]} onChange={onChange ? (e) => onChange(e.target.value) : undefined}>
      {options.map(([v, l]) => (
        <option key={v} value={v}>
          {l}
        </option>
      ))}
    </select>
  );
  const grid = {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(180px, 1fr))',
    gap: 12,
    marginBottom: 16,
    alignItems: 'start',
  } as const;

  return (
    <form action={action} aria-label="Alert rule" data-testid="alert-form">
      <CsrfField />
      {id && <input type="hidden" name="id" value={id} />}
      {state.error && !state.field && (
        <div className="widget-error" role="alert">
          {state.error}
        </div>
      )}
      {state.error && state.field && (
        <div className="widget-error" role="alert">
          Not saved: {state.error}
        </div>
      )}

      <h3>Rule</h3>
      <div style={grid}>
        {field('name', 'Name', text('name', { required: true, placeholder: 'Checkout agent is slow' }))}
        {field('description', 'Description', text('description', { placeholder: 'optional' }))}
      </div>

      <h3>Condition</h3>
      <div style={grid}>
        {field(
          'kind',
          'When',
          select(
            'kind',
            [
              ['latency', 'Latency'],
              ['error_rate', 'Error rate'],
              ['no_data', 'No data (agent went silent)'],
              ['drift', 'Drift detected'],
              ['spend', 'Spend (USD) over the window'],
              ['session_cost', 'Cost per session (USD)'],
              ['score', 'Score (mean) falls'],
            ],
            setKind,
          ),
        )}
        {kind === 'latency' && (
          <>
            {field(
              'percentile',
              'Percentile',
              select('percentile', [
                ['p50', 'p50'],
                ['p90', 'p90'],
                ['p95', 'p95'],
                ['p99', 'p99'],
              ]),
            )}
            {field(
              'mode',
              'Above',
              select(
                'mode',
                [
                  ['absolute', 'a threshold'],
                  ['baseline', 'N × its 7-day baseline'],
                ],
                setMode,
              ),
            )}
            {mode === 'baseline'
              ? field(
                  'factor',
                  'Factor (×)',
                  text('factor', { inputMode: 'decimal', placeholder: '3' }),
                  'same percentile, same hour, previous 7 days',
                )
              : field('thresholdMs', 'Threshold (ms)', text('thresholdMs', { inputMode: 'decimal', placeholder: '2000' }))}
          </>
        )}
        {kind === 'spend' && (
          <>
            {field(
              'mode',
              'Above',
              select(
                'mode',
                [
                  ['absolute', 'a threshold'],
                  ['baseline', 'N × its 7-day baseline'],
                ],
                setMode,
              ),
            )}
            {mode === 'baseline'
              ? field(
                  'factor',
                  'Factor (×)',
                  text('factor', { inputMode: 'decimal', placeholder: '3' }),
                  'its spend in the same hour of the previous 7 days',
                )
              : field('thresholdUsd', 'Threshold (USD)', text('thresholdUsd', { inputMode: 'decimal', placeholder: '10' }))}
          </>
        )}
        {kind === 'session_cost' && (
          <>
            {field(
              'percentile',
              'Percentile',
              select('percentile', [
                ['p50', 'p50'],
                ['p90', 'p90'],
                ['p95', 'p95'],
                ['p99', 'p99'],
              ]),
            )}
            {field('thresholdUsd', 'Threshold (USD per session)', text('thresholdUsd', { inputMode: 'decimal', placeholder: '0.50' }))}
          </>
        )}
        {kind === 'score' && (
          <>
            {field(
              'scoreName',
              'Score name',
              text('scoreName', { placeholder: 'helpfulness' }),
              'as sent to /api/scores or in the evaluation event',
            )}
            {field(
              'mode',
              'Below',
              select(
                'mode',
                [
                  ['absolute', 'a value'],
                  ['baseline', 'its 7-day mean by N %'],
                ],
                setMode,
              ),
            )}
            {mode === 'baseline'
              ? field(
                  'dropPercent',
                  'Drop (%)',
                  text('dropPercent', { inputMode: 'decimal', placeholder: '20' }),
                  'below its mean over the 7 days before',
                )
              : field('below', 'Below', text('below', { inputMode: 'decimal', placeholder: '0.5' }))}
          </>
        )}
        {kind === 'error_rate' &&
          field('thresholdPercent', 'Threshold (%)', text('thresholdPercent', { inputMode: 'decimal', placeholder: '5' }))}
        {kind === 'drift' &&
          field(
            'minSignals',
            'Minimum drifted signals',
            text('minSignals', { inputMode: 'numeric', placeholder: '1' }),
            'from the drift engine’s hourly verdicts',
          )}
        {field('windowMinutes', 'Window (minutes)', text('windowMinutes', { inputMode: 'numeric' }))}
        {field('intervalSeconds', 'Evaluate every (s)', text('intervalSeconds', { inputMode: 'numeric' }))}
        {field('minSamples', 'Minimum spans', text('minSamples', { inputMode: 'numeric' }), 'fewer in the window is “no data”')}
        {field('forEvaluations', 'Fire after (evaluations)', text('forEvaluations', { inputMode: 'numeric' }))}
        {field('resolveEvaluations', 'Resolve after (evaluations)', text('resolveEvaluations', { inputMode: 'numeric' }))}
        {field(
          'hysteresisPercent',
          'Hysteresis (%)',
          text('hysteresisPercent', { inputMode: 'decimal' }),
          'resolves only this far below the threshold',
        )}
      </div>

      <h3>Scope</h3>
      <div style={grid}>
        {SCOPE_FIELDS.map((k) => (
          <div key={k}>{field(k, LABELS[k], text(k, { placeholder: 'any' }))}</div>
        ))}
        {field(
          'groupBy',
          'One alert per',
          select('groupBy', [
            ['none', 'whole scope'],
            ['agent', 'agent'],
            ['service', 'service'],
            ['operation', 'operation'],
            ['tool', 'tool'],
            ['model', 'model'],
            ['environment', 'environment'],
          ]),
        )}
        <label className="field" style={{ alignSelf: 'end' }}>
          <input type="checkbox" name="rootOnly" defaultChecked={values.rootOnly === 'on'} /> Whole agent runs only (root spans)
        </label>
      </div>

      <h3>Notify</h3>
      <div style={grid}>
        {field(
          'slackUrl',
          'Slack incoming webhook URL',
          text('slackUrl', { type: 'url', placeholder: 'https://hooks.slack.com/services/…' }),
        )}
        {field('webhookUrl', 'Webhook URL', text('webhookUrl', { type: 'url', placeholder: 'https://example.com/hooks/sightline' }))}
        {field(
          'webhookSecret',
          'Webhook signing secret',
          text('webhookSecret', {
            type: 'password',
            autoComplete: 'off',
            placeholder: hasSecret ? 'unchanged (stored)' : 'optional, 16+ characters',
          }),
          'signs X-Sightline-Signature (HMAC-SHA256)',
        )}
        <label className="field" style={{ alignSelf: 'end' }}>
          <input type="checkbox" name="muted" defaultChecked={values.muted === 'on'} /> Muted
        </label>
      </div>

      <button
        className="btn"
        type="submit"
        disabled={saving}
        style={{ background: 'var(--accent)', color: 'white', borderColor: 'var(--accent)' }}
      >
        {saving ? 'Saving…' : id ? 'Save changes' : 'Create alert'}
      </button>
    </form>
  );
}
