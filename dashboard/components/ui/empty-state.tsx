import { collectorBaseUrl } from '@/lib/api';

/** What to do when there is nothing to show yet: how to get spans into the collector. */
export function EmptyState({ title = 'No data in this time range', what = 'traces' }: { title?: string; what?: string }) {
  return (
    <div className="empty" role="status">
      <h3>{title}</h3>
      <div>No {what} match the filters and time range. Widen the range, or send spans to the collector over OTLP/HTTP:</div>
      <pre>{`# run the demo agent\npnpm demo\n\n# or point any OpenTelemetry exporter at the collector\nOTEL_EXPORTER_OTLP_ENDPOINT=${collectorBaseUrl()}`}</pre>
    </div>
  );
}
