export function StatusBadge({ status }: { status: 'ok' | 'error' }) {
  return <span className={`badge ${status}`}>{status === 'error' ? 'Error' : 'OK'}</span>;
}
