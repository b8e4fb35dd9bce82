import Link from 'next/link';
import type { AlignedRow, CompareResult, CompareSide, CompareStep, DiffField } from '@sightline/contract';
import { Card } from '@/components/ui/card';
import { StatusBadge } from '@/components/ui/status-badge';
import { formatCount, formatDuration, formatUsd, shortId } from '@/lib/format';

const FIELD_LABEL: Record<DiffField, string> = {
  choice: 'choice',
  arguments: 'arguments',
  output: 'output',
  latencyMs: 'latency',
  tokens: 'tokens',
  costUsd: 'cost',
  status: 'status',
};

const changedFields = (row: AlignedRow): DiffField[] =>
  (Object.keys(FIELD_LABEL) as DiffField[]).filter((f) => row.op === 'changed' && row.fields[f].changed);

const sideHref = (kind: CompareResult['kind'], id: string) =>
  kind === 'session' ? `/sessions/${encodeURIComponent(id)}` : `/traces/${encodeURIComponent(id)}`;

/** The summary: what only one side did, what changed, and the totals A vs B. */
export function CompareSummaryCard({ result }: { result: CompareResult }) {
  const { summary, a, b } = result;
  const totals: Array<[string, (s: CompareSide) => number, (n: number) => string]> = [
    ['Steps', (s) => s.totals.steps, formatCount],
    ['Duration (first step to last)', (s) => s.totals.wallMs, formatDuration],
    ['Latency of all steps', (s) => s.totals.latencyMs, formatDuration],
    ['Tokens (model calls)', (s) => s.totals.tokens, formatCount],
    ['Cost (priced calls)', (s) => s.totals.costUsd, formatUsd],
    ['Failed steps', (s) => s.totals.errors, formatCount],
  ];
  return (
    <div className="grid cols-2">
      <Card title="Alignment">
        <table className="data" data-testid="compare-counts">
          <tbody>
            <tr>
              <td>Steps only in A</td>
              <td className="num">{summary.onlyA}</td>
            </tr>
            <tr>
              <td>Steps only in B</td>
              <td className="num">{summary.onlyB}</td>
            </tr>
            <tr>
              <td>Aligned steps that differ</td>
              <td className="num">{summary.changed}</td>
            </tr>
            <tr>
              <td>Aligned steps alike</td>
              <td className="num">{summary.same}</td>
            </tr>
          </tbody>
        </table>
      </Card>
      <Card title="Totals, A vs B">
        <table className="data" data-testid="compare-totals">
          <thead>
            <tr>
              <th />
              <th className="num">A</th>
              <th className="num">B</th>
            </tr>
          </thead>
          <tbody>
            {totals.map(([label, pick, fmt]) => {
              const differs = fmt(pick(a)) !== fmt(pick(b));
              return (
                <tr key={label} data-differs={differs}>
                  <td>{label}</td>
                  <td className="num">{fmt(pick(a))}</td>
                  <td className="num">
                    <span className={differs ? 'cmp-diff' : undefined}>{fmt(pick(b))}</span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </Card>
    </div>
  );
}

/** The two sides row by row, aligned; differing cells highlighted, steps of one side only marked. */
export function CompareTable({ result }: { result: CompareResult }) {
  const { a, b, kind } = result;
  return (
    <Card
      title="Steps side by side"
      hint="Aligned by step kind and name (tool, model, agent); highlighted: what differs between the aligned steps"
      flush
    >
      <div className="table-wrap">
        <table className="data compare" data-testid="compare-table">
          <thead>
            <tr>
              <th className="num">#</th>
              <th>
                A ·{' '}
                <Link href={sideHref(kind, a.id)} className="mono" title={a.id}>
                  {shortId(a.id, 24)}
                </Link>
              </th>
              <th>
                B ·{' '}
                <Link href={sideHref(kind, b.id)} className="mono" title={b.id}>
                  {shortId(b.id, 24)}
                </Link>
              </th>
              <th>Differs in</th>
            </tr>
          </thead>
          <tbody>
            {result.rows.map((row, i) => {
              const changed = changedFields(row);
              return (
                <tr key={i} className={`cmp-${row.op}`} data-op={row.op} data-changed={changed.join(' ')} data-testid="compare-row">
                  <td className="num faint">{i + 1}</td>
                  <StepCell step={row.aIndex === null ? undefined : a.steps[row.aIndex]} changed={changed} />
                  <StepCell step={row.bIndex === null ? undefined : b.steps[row.bIndex]} changed={changed} />
                  <td>
                    {row.op === 'onlyA' ? (
                      <span className="badge neutral">only in A</span>
                    ) : row.op === 'onlyB' ? (
                      <span className="badge neutral">only in B</span>
                    ) : changed.length === 0 ? (
                      <span className="faint">—</span>
                    ) : (
                      changed.map((f) => (
                        <span key={f} className="chip cmp-diff" style={{ marginRight: 4 }}>
                          {FIELD_LABEL[f]}
                        </span>
                      ))
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {(a.truncated || b.truncated) && (
        <p className="muted" style={{ padding: '8px 12px', fontSize: 12 }}>
          A side has more steps than a compare reads: only its first steps are aligned.
        </p>
      )}
    </Card>
  );
}

function StepCell({ step, changed }: { step: CompareStep | undefined; changed: DiffField[] }) {
  if (!step)
    return (
      <td className="cmp-gap faint" aria-label="no step">
        —
      </td>
    );
  const mark = (f: DiffField) => (changed.includes(f) ? 'cmp-diff' : undefined);
  const tokens = step.inputTokens + step.outputTokens;
  return (
    <td data-side-step={step.spanId}>
      <div style={{ display: 'flex', gap: 6, alignItems: 'center', flexWrap: 'wrap' }}>
        <span className="chip">{step.kind}</span>
        <span className={mark('choice')} data-field="choice" style={{ fontWeight: 600 }}>
          {step.name || '(unnamed)'}
        </span>
        <span className={mark('status')} data-field="status">
          <StatusBadge status={step.status} />
          {step.error && <span style={{ fontSize: 11, marginLeft: 4 }}>{step.error}</span>}
        </span>
      </div>
      <div className="muted" style={{ fontSize: 12, display: 'flex', gap: 10, marginTop: 2 }}>
        <span className={mark('latencyMs')}>{formatDuration(step.durationMs)}</span>
        {tokens > 0 && <span className={mark('tokens')}>{formatCount(tokens)} tok</span>}
        {step.costUsd !== null && <span className={mark('costUsd')}>{formatUsd(step.costUsd)}</span>}
      </div>
      {changed.includes('arguments') && <TextDiff label="arguments" value={step.input} />}
      {changed.includes('output') && <TextDiff label="output" value={step.output} />}
    </td>
  );
}

function TextDiff({ label, value }: { label: string; value: string }) {
  return (
    <details style={{ marginTop: 4 }}>
      <summary className="cmp-diff" style={{ fontSize: 12, display: 'inline' }}>
        {label} differ
      </summary>
      <pre style={{ whiteSpace: 'pre-wrap', maxHeight: 200, overflow: 'auto', fontSize: 11 }}>{value || '(empty)'}</pre>
    </details>
  );
}
