import type { AlertDelivery } from '@sightline/contract';
import { Time } from '@/components/ui/time';

const STATUS_CLASS = { delivered: 'badge ok', failed: 'badge error', pending: 'badge' } as const;

/** The delivery log: each notification per channel, with its attempts and last error. */
export function DeliveryTable({ deliveries }: { deliveries: AlertDelivery[] }) {
  if (deliveries.length === 0)
    return (
      <div className="empty" role="status">
        Nothing sent yet. Notifications appear here when a rule fires or resolves, or after “Send test”.
      </div>
    );
  return (
    <div className="table-wrap">
      <table className="data" data-testid="alert-deliveries">
        <thead>
          <tr>
            <th>Created (UTC)</th>
            <th>Rule</th>
            <th>Event</th>
            <th>Channel</th>
            <th>Status</th>
            <th className="num">Attempts</th>
            <th>Last error</th>
          </tr>
        </thead>
        <tbody>
          {deliveries.map((d) => (
            <tr key={d.id}>
              <td className="muted" style={{ whiteSpace: 'nowrap' }}>
                <Time ms={d.createdAt} />
              </td>
              <td>{d.ruleName}</td>
              <td>{d.event}</td>
              <td className="truncate" title={d.url}>
                {d.channelType} · {d.url}
              </td>
              <td>
                <span
                  className={STATUS_CLASS[d.status]}
                  style={d.status === 'pending' ? { background: 'var(--warn-soft)', color: 'var(--warn)' } : undefined}
                >
                  {d.status}
                </span>
              </td>
              <td className="num">{d.attempts}</td>
              <td className="muted truncate" title={d.lastError}>
                {d.lastError || '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
