import type { SignalResult } from '@sightline/contract';

const pct = (s: number) => `${(s * 100).toFixed(1)}%`;
/** Pixels kept free at each end of the change cell for a bar's value label ("-100.0"). */
const LABEL_ROOM = 40;

/** Baseline vs current for one signal: diverging bars of the change in points, or quantiles side by side. */
export function SignalDetail({ s }: { s: SignalResult }) {
  return (
    <div>
      <p>
        <strong>{s.label}</strong> — {s.explanation}
      </p>
      <p className="muted" style={{ fontSize: 12 }}>
        {s.status === 'tested'
          ? `p = ${s.pValue.toExponential(2)} (Holm-adjusted ${s.adjustedP.toExponential(2)}), effect ${s.effect.toFixed(3)} = ${(s.effectRatio * 100).toFixed(0)}% of its threshold; ${s.drifted ? 'DRIFT: significant and large' : s.significant ? 'significant but too small to matter' : s.large ? 'large but not significant (noise)' : 'no change'}. ${s.baselineN.toLocaleString('en-US')} baseline vs ${s.currentN.toLocaleString('en-US')} current sessions.`
          : 'Not enough data for a verdict.'}
      </p>
      {s.categories && <DivergingBars categories={s.categories} />}
      {s.numeric && (
        <table className="table" style={{ fontSize: 13 }}>
          <thead>
            <tr>
              <th />
              {['p10', 'p25', 'median', 'p75', 'p90', 'mean'].map((h) => (
                <th key={h} style={{ textAlign: 'right' }}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {(['baseline', 'current'] as const).map((side) => {
              const q = side === 'baseline' ? s.numeric!.baselineQuantiles : s.numeric!.currentQuantiles;
              const mean = side === 'baseline' ? s.numeric!.baselineMean : s.numeric!.currentMean;
              return (
                <tr key={side}>
                  <th style={{ textAlign: 'left' }}>{side}</th>
                  {[...q, mean].map((v, i) => (
                    <td key={i} style={{ textAlign: 'right' }}>
                      {Number(v.toFixed(2)).toLocaleString('en-US')}
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}

function DivergingBars({ categories }: { categories: NonNullable<SignalResult['categories']> }) {
  const max = Math.max(5, ...categories.map((c) => Math.abs(c.deltaPoints)));
  return (
    <table className="table" style={{ fontSize: 13, width: '100%' }} aria-label="Change in points per category">
      <thead>
        <tr>
          <th style={{ textAlign: 'left' }}>category</th>
          <th style={{ textAlign: 'right' }}>baseline</th>
          <th style={{ textAlign: 'right' }}>current</th>
          <th style={{ width: '40%' }}>change (points)</th>
        </tr>
      </thead>
      <tbody>
        {categories.map((c) => {
          // Each half of the cell keeps LABEL_ROOM free for the value label, so the label of a
          // full-length bar stays inside the cell instead of running into the "current" column.
          const f = Math.abs(c.deltaPoints) / max;
          const reach = `(50% - ${LABEL_ROOM}px) * ${f.toFixed(4)}`;
          return (
            <tr key={c.category} data-category={c.category}>
              <td style={{ maxWidth: 360, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }} title={c.category}>
                {c.category}
              </td>
              <td style={{ textAlign: 'right' }}>{pct(c.baselineShare)}</td>
              <td style={{ textAlign: 'right', paddingRight: 16 }}>{pct(c.currentShare)}</td>
              <td>
                <div
                  style={{
                    position: 'relative',
                    height: 14,
                    background: 'linear-gradient(to right, transparent calc(50% - 1px), var(--border) 50%, transparent calc(50% + 1px))',
                  }}
                >
                  <div
                    data-testid="delta-bar"
                    style={{
                      position: 'absolute',
                      top: 2,
                      height: 10,
                      width: `calc(${reach})`,
                      left: c.deltaPoints >= 0 ? '50%' : `calc(50% - ${reach})`,
                      background: c.deltaPoints >= 0 ? 'var(--error)' : 'var(--ok)',
                      borderRadius: 2,
                    }}
                  />
                  <span
                    data-testid="delta-label"
                    style={{
                      position: 'absolute',
                      left: c.deltaPoints >= 0 ? `calc(50% + ${reach} + 4px)` : undefined,
                      right: c.deltaPoints < 0 ? `calc(50% + ${reach} + 4px)` : undefined,
                      fontSize: 11,
                      top: -1,
                      whiteSpace: 'nowrap',
                      fontVariantNumeric: 'tabular-nums',
                    }}
                  >
                    {c.deltaPoints > 0 ? '+' : ''}
                    {c.deltaPoints.toFixed(1)}
                  </span>
                </div>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
