import Link from 'next/link';
import type { AlertRule } from '@sightline/contract';
import { describeRule } from '@/lib/alert-form';
import { RuleActions } from './rule-actions';
import { AlertStateBadge } from './state-badge';

function scopeText(rule: AlertRule): string {
  const parts = Object.entries(rule.scope)
    .filter(([k, v]) => k !== 'rootOnly' && v !== undefined)
    .map(([k, v]) => `${k}=${String(v)}`);
  if (rule.scope.rootOnly) parts.push('root spans');
  if (rule.groupBy !== 'none') parts.push(`per ${rule.groupBy}`);
  return parts.join(', ') || 'all spans';
}

export function RulesTable({ rules }: { rules: AlertRule[] }) {
  return (
    <div className="table-wrap">
      <table className="data" data-testid="alert-rules">
        <thead>
          <tr>
            <th>State</th>
            <th>Rule</th>
            <th>Condition</th>
            <th>Scope</th>
            <th>Notifies</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rules.map((r) => (
            <tr key={r.id} data-rule={r.name}>
              <td>
                <AlertStateBadge state={r.state} />
                {r.muted && (
                  <span className="chip" style={{ marginLeft: 6 }}>
                    muted
                  </span>
                )}
              </td>
              <td>
                <Link href={`/alerts/${encodeURIComponent(r.id)}`}>{r.name}</Link>
              </td>
              <td>{describeRule(r)}</td>
              <td className="muted">{scopeText(r)}</td>
              <td className="muted">{r.channels.map((c) => c.type).join(', ') || '—'}</td>
              <td>
                <RuleActions id={r.id} muted={r.muted} hasChannels={r.channels.length > 0} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
