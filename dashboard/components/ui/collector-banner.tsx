import { AlertIcon } from './icons';
import { api, collectorBaseUrl, settle, CollectorUnreachableError } from '@/lib/api';
import { formatCount, formatDuration } from '@/lib/format';

/**
 * A banner above every page when the collector cannot be reached, says it is degraded (storage
 * failing, write-ahead log unwritable), or holds quarantined spans that ClickHouse refused.
 * Rendered per page (not in the layout) so it is re-checked on every navigation and refresh.
 */
export async function CollectorBanner() {
  const health = await settle(api.health());
  if (health.ok) {
    const { storage, ingest } = health.data;
    const one = ingest.quarantinedSpans === 1;
    const quarantined = ingest.quarantinedSpans > 0 && (
      <div className="banner warn" role="status" data-testid="collector-quarantine">
        <AlertIcon />
        <div>
          <strong>
            {formatCount(ingest.quarantinedSpans)} {one ? 'span is' : 'spans are'} quarantined
          </strong>
          ClickHouse refused {one ? 'its' : 'their'} content; {one ? 'it is' : 'they are'} kept in the collector&apos;s data directory with
          the reason (<code>GET /api/ingest/quarantine</code>). After a fix, <code>POST /api/ingest/quarantine/replay</code> stores{' '}
          {one ? 'it' : 'them'}. Numbers below do not include {one ? 'it' : 'them'}.
        </div>
      </div>
    );
    if (health.data.status === 'ok') return quarantined || null;
    return (
      <>
        <div className="banner warn" role="status" data-testid="collector-degraded">
          <AlertIcon />
          <div>
            <strong>The collector is degraded</strong>
            {storage.ok ? 'Storage is writable' : `Storage is failing${storage.error ? ` (${storage.error})` : ''}`}
            {ingest.walError ? `; the write-ahead log cannot take writes (${ingest.walError}), so new spans are refused` : ''};{' '}
            {formatCount(ingest.queuedSpans)} spans are waiting to be written
            {ingest.backlogAgeMs > 0 ? `, the oldest for ${formatDuration(ingest.backlogAgeMs)}` : ''}. Numbers below may be incomplete.
          </div>
        </div>
        {quarantined}
      </>
    );
  }
  const unreachable = health.error instanceof CollectorUnreachableError;
  return (
    <div className="banner error" role="alert" data-testid="collector-unreachable">
      <AlertIcon />
      <div>
        <strong>{unreachable ? 'Cannot reach the collector' : 'The collector answered with an error'}</strong>
        {unreachable ? (
          <>
            No answer from <code>{collectorBaseUrl()}</code> ({(health.error as CollectorUnreachableError).reason}). Start it with{' '}
            <code>pnpm start</code>, or set <code>SIGHTLINE_API_URL</code> to where it runs. Nothing below is current until it is back.
          </>
        ) : (
          <>{health.error.message}</>
        )}
      </div>
    </div>
  );
}
