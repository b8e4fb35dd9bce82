import { AlertIcon } from './icons';
import { api, collectorBaseUrl, settle, CollectorUnreachableError } from '@/lib/api';

/**
 * A banner above every page when the collector cannot be reached or says it is degraded.
 * Rendered per page (not in the layout) so it is re-checked on every navigation and refresh.
 */
export async function CollectorBanner() {
  const health = await settle(api.health());
  if (health.ok) {
    if (health.data.status === 'ok') return null;
    return (
      <div className="banner warn" role="status" data-testid="collector-degraded">
        <AlertIcon />
        <div>
          <strong>The collector is degraded</strong>
          Storage {health.data.storage.ok ? 'is reachable' : 'is not answering'}; {health.data.ingest.queuedSpans.toLocaleString('en-US')} spans are waiting to be written. Numbers below may be incomplete.
        </div>
      </div>
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
            No answer from <code>{collectorBaseUrl()}</code> ({(health.error as CollectorUnreachableError).reason}). Start it with <code>pnpm start</code>, or set <code>SIGHTLINE_API_URL</code> to where it runs. Nothing below is current until it is back.
          </>
        ) : (
          <>{health.error.message}</>
        )}
      </div>
    </div>
  );
}
