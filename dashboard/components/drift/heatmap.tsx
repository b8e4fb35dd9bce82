import Link from 'next/link';
import type { DriftHistory } from '@sightline/contract';
import { formatTime } from '@/lib/time';

/**
 * Signal × hourly check, coloured by effect size relative to its threshold (1 = large enough to
 * matter); drifted cells (significant and large) are outlined. Plain CSS grid: readable without JS.
 */
export function DriftHeatmap({ history, hrefFor }: { history: DriftHistory; hrefFor: (signal: string) => string }) {
  const times = [...new Set(history.signals.flatMap((s) => s.cells.map((c) => c.windowEnd)))].sort((a, b) => a - b).slice(-48);
  if (times.length === 0)
    return <p className="muted">No hourly checks stored yet. The first runs a few seconds after the collector starts, then every hour.</p>;
  return (
    <div className="table-wrap">
      <table className="drift-heatmap" style={{ borderCollapse: 'separate', borderSpacing: 2, fontSize: 12 }}>
        <thead>
          <tr>
            <th style={{ textAlign: 'left' }}>signal · hour (UTC)</th>
            {times.map((t, i) => (
              <th key={t} style={{ fontWeight: 400, color: 'var(--text-faint)', writingMode: 'vertical-rl', height: 44 }}>
                {i % 3 === 0 ? formatTime(t, { withDate: false, seconds: false }) : ''}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {history.signals.map((s) => {
            const byTime = new Map(s.cells.map((c) => [c.windowEnd, c]));
            return (
              <tr key={s.signal}>
                <th style={{ textAlign: 'left', fontWeight: 400, whiteSpace: 'nowrap' }}>
                  <Link href={hrefFor(s.signal)} title={s.label}>
                    {s.signal}
                  </Link>
                </th>
                {times.map((t) => {
                  const c = byTime.get(t);
                  const ratio = c && c.status === 'tested' ? Math.min(c.effectRatio, 2) : 0;
                  const title = c
                    ? `${s.label} at ${formatTime(t, { withDate: true, seconds: false })} UTC: ${c.status === 'tested' ? `effect ${c.effect.toFixed(3)} (${(c.effectRatio * 100).toFixed(0)}% of threshold), adjusted p ${c.pValue.toExponential(1)}${c.drifted ? ' — DRIFT' : ''}` : 'not enough data'}`
                    : 'no check';
                  return (
                    <td
                      key={t}
                      title={title}
                      data-drifted={c?.drifted ? 'true' : undefined}
                      style={{
                        width: 14,
                        height: 14,
                        borderRadius: 2,
                        background: !c || c.status !== 'tested' ? 'var(--border)' : `rgba(220, 80, 40, ${0.08 + 0.46 * ratio})`,
                        outline: c?.drifted ? '2px solid var(--error)' : undefined,
                      }}
                    />
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="muted" style={{ fontSize: 12 }}>
        Colour: effect size relative to its threshold (darker = larger). Outlined: drift (significant after correction and large enough).
        Grey: not enough data.
      </p>
    </div>
  );
}
