import { CollectorUnreachableError, type DashboardError } from '@/lib/api';

/**
 * What a widget shows instead of its numbers when its query failed. Unreachable collectors are
 * explained once, by the page banner; here we only say that the data is missing.
 */
export function WidgetError({ error }: { error: DashboardError }) {
  if (error instanceof CollectorUnreachableError) {
    return (
      <div className="widget-error" role="alert">
        No data: the collector is unreachable.
      </div>
    );
  }
  return (
    <div className="widget-error" role="alert">
      The collector could not answer this query ({error.code}): {error.message}
    </div>
  );
}
