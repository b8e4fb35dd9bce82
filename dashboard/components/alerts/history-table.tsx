import Link from 'next/link';
import type { AlertTransition } from '@sightline/contract';
import { Time } from '@/components/ui/time';
import { AlertStateBadge } from './state-badge';

const value = (v: number | null, unit: string) =>
  v === null ? 'no data' : `${Math.round(v * 100) / 100}${unit === '%' ? '%' : ` ${unit}`}`;

/** Every state change with the value and threshold that caused it. */
export function HistoryTable({ transitions, showRule = true }: { transitions: AlertTransition[]; showRule?: boolean }) {
  if (transitions.length === 0)
    return (
      <div className="empty" role="status">
        No transitions yet: a rule records one here each time its state changes.
      </div>
    );
  return (
    <div className="table-wrap">
      <table className="data" data-testid="alert-history">
        <thead>
          <tr>
            <th>Time (UTC)</th>
            {showRule && <th>Rule</th>}
            <th>Scope</th>
            <th>Change</th>
            <th className="num">Value</th>
            <th className="num">Threshold</th>
          </tr>
        </thead>
        <tbody>
          {transitions.map((t) => (
            <tr key={t.id}>
              <td className="muted" style={{ whiteSpace: 'nowrap' }}>
                <Time ms={t.at} />
              </td>
              {showRule && (
                <td>
                  <Link href={`/alerts/${encodeURIComponent(t.ruleId)}`}>{t.ruleName}</Link>
                </td>
              )}
              <td className="muted">{t.scopeKey || '—'}</td>
              <td style={{ whiteSpace: 'nowrap' }}>
                <AlertStateBadge state={t.from} /> → <AlertStateBadge state={t.to} />
              </td>
              <td className="num">{value(t.value, t.unit)}</td>
              <td className="num">{t.threshold === null ? '—' : value(t.threshold, t.unit)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
