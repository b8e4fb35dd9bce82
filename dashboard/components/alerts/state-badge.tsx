import type { AlertStateName } from '@sightline/contract';

const STYLE: Record<AlertStateName, { className: string; style?: React.CSSProperties; label: string }> = {
  ok: { className: 'badge ok', label: 'OK' },
  resolved: { className: 'badge ok', label: 'Resolved' },
  pending: { className: 'badge', style: { background: 'var(--warn-soft)', color: 'var(--warn)' }, label: 'Pending' },
  firing: { className: 'badge error', label: 'Firing' },
};

export function AlertStateBadge({ state }: { state: AlertStateName }) {
  const s = STYLE[state];
  return (
    <span className={s.className} style={s.style} data-state={state}>
      {s.label}
    </span>
  );
}
