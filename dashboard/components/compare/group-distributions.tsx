import type { DriftReport, SignalResult } from '@sightline/contract';
import { Card } from '@/components/ui/card';
import { formatDuration, formatUsd } from '@/lib/format';

/** The signals a group compare shows, in reading order: decisions, paths, output, effort, outcome. */
export const GROUP_SIGNALS = ['tool.choice', 'tool.first', 'path', 'output.shape', 'duration_ms', 'tokens', 'cost', 'steps', 'outcome'];
const QUANTILES = ['p10', 'p25', 'p50', 'p75', 'p90'];
const MAX_CATEGORIES = 8;

const pct = (share: number) => `${(share * 100).toFixed(1)}%`;

function formatValue(signal: string, v: number): string {
  if (signal === 'duration_ms') return formatDuration(v);
  if (signal === 'cost') return formatUsd(v);
  return v.toLocaleString('en-US', { maximumFractionDigits: 1 });
}

/** Group A's and group B's distributions of each signal side by side, with the drift engine's verdict on each. */
export function GroupDistributions({ report }: { report: DriftReport }) {
  const shown = GROUP_SIGNALS.map((name) => report.signals.find((s) => s.signal === name)).filter(
    (s): s is SignalResult => s !== undefined,
  );
  return (
    <div className="grid cols-2">
      <Card title="Top paths of tools" hint="shown even when the groups are too small to test">
        <TopPaths report={report} />
      </Card>
      {shown.map((s) => (
        <Card
          key={s.signal}
          title={s.label}
          hint={
            s.status !== 'tested' ? (
              'not enough sessions to test'
            ) : s.drifted ? (
              <span className="badge error">differs</span>
            ) : (
              <span className="muted">{s.significant ? 'small difference' : 'no significant difference'}</span>
            )
          }
        >
          <div data-testid={`group-signal-${s.signal}`}>
            {s.kind === 'categorical' ? <Categories signal={s} /> : <Numeric signal={s} />}
            <p className="muted" style={{ fontSize: 12, margin: '6px 0 0' }}>
              {s.explanation}
            </p>
          </div>
        </Card>
      ))}
    </div>
  );
}

function TopPaths({ report }: { report: DriftReport }) {
  const paths = [...new Set([...report.topPaths.baseline, ...report.topPaths.current].map((p) => p.path))].slice(0, MAX_CATEGORIES);
  const share = (list: DriftReport['topPaths']['baseline'], path: string) => list.find((p) => p.path === path)?.share;
  if (paths.length === 0) return <p className="muted">No sessions.</p>;
  return (
    <table className="data" style={{ fontSize: 13 }} data-testid="group-paths">
      <thead>
        <tr>
          <th>path</th>
          <th className="num">A</th>
          <th className="num">B</th>
        </tr>
      </thead>
      <tbody>
        {paths.map((p) => {
          const a = share(report.topPaths.baseline, p);
          const b = share(report.topPaths.current, p);
          return (
            <tr key={p}>
              <td className="mono truncate" style={{ maxWidth: 320 }} title={p}>
                {p}
              </td>
              <td className="num">{a === undefined ? '—' : pct(a)}</td>
              <td className="num">{b === undefined ? '—' : pct(b)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Categories({ signal }: { signal: SignalResult }) {
  const cats = (signal.categories ?? []).slice(0, MAX_CATEGORIES);
  if (cats.length === 0) return <p className="muted">No values.</p>;
  return (
    <table className="data" style={{ fontSize: 13 }}>
      <thead>
        <tr>
          <th>{signal.signal}</th>
          <th className="num">A ({signal.baselineN})</th>
          <th className="num">B ({signal.currentN})</th>
          <th className="num">Δ points</th>
        </tr>
      </thead>
      <tbody>
        {cats.map((c) => (
          <tr key={c.category}>
            <td className="mono truncate" style={{ maxWidth: 260 }} title={c.category}>
              {c.category}
            </td>
            <td className="num">{pct(c.baselineShare)}</td>
            <td className="num">{pct(c.currentShare)}</td>
            <td className="num">
              <span className={Math.abs(c.deltaPoints) >= 5 ? 'cmp-diff' : undefined}>
                {c.deltaPoints > 0 ? '+' : ''}
                {c.deltaPoints.toFixed(1)}
              </span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Numeric({ signal }: { signal: SignalResult }) {
  const n = signal.numeric;
  if (!n) return <p className="muted">No values.</p>;
  return (
    <table className="data" style={{ fontSize: 13 }}>
      <thead>
        <tr>
          <th />
          {QUANTILES.map((q) => (
            <th key={q} className="num">
              {q}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {(
          [
            [`A (${signal.baselineN})`, n.baselineQuantiles],
            [`B (${signal.currentN})`, n.currentQuantiles],
          ] as const
        ).map(([label, qs]) => (
          <tr key={label}>
            <td>{label}</td>
            {QUANTILES.map((q, i) => (
              <td key={q} className="num">
                {qs[i] === undefined ? '—' : formatValue(signal.signal, qs[i])}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** "release 1.0, 412 sessions" / "Nov 25 10:00 – 12:00, 88 sessions". */
export function sideText(side: DriftReport['baseline'], at: (ms: number) => string): string {
  return `${side.release ? `release ${side.release}` : `${at(side.from)} – ${at(side.to)}`}, ${side.sessions} sessions`;
}
