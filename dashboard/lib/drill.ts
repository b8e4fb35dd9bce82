/**
 * Links from an aggregate to the traces behind it: a chart bucket or a breakdown row opens the
 * trace list with the matching window and filters. Windows are absolute so the link keeps
 * pointing at the spike after time moves on.
 */
import { href, type Scope } from './search-params';

function scopeParams(scope: Scope) {
  return { service: scope.service, agent: scope.agent, environment: scope.environment };
}

/** The slowest traces of one bucket: at least the bucket's p90, slowest first. */
export function slowTracesHref(scope: Scope, bucketStart: number, bucketSeconds: number, p90: number | null): string {
  return href('/traces', {
    from: bucketStart,
    to: bucketStart + bucketSeconds * 1000,
    ...scopeParams(scope),
    minDurationMs: p90 !== null && p90 > 0 ? Math.floor(p90) : undefined,
    sort: 'duration',
  });
}

/** The failed traces of one bucket. */
export function failedTracesHref(scope: Scope, bucketStart: number, bucketSeconds: number): string {
  return href('/traces', { from: bucketStart, to: bucketStart + bucketSeconds * 1000, ...scopeParams(scope), status: 'error' });
}

/** Traces of the scope's window narrowed by one breakdown dimension (agent, tool, model). */
export function breakdownHref(scope: Scope, dimension: string, key: string): string {
  const window =
    scope.range.key === 'custom'
      ? { from: scope.range.from, to: scope.range.to }
      : { range: scope.range.key === '1h' ? undefined : scope.range.key };
  return href('/traces', { ...window, ...scopeParams(scope), [dimension]: key });
}
