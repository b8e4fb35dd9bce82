import type { ClickHouseClient } from '@clickhouse/client';

/**
 * The same client, with every query and command run in another session time zone: code that
 * computes in UTC must return the same answers through it as through the client itself.
 */
export function inTimeZone(client: ClickHouseClient, zone: string): ClickHouseClient {
  const withZone = <P extends { clickhouse_settings?: Record<string, unknown> }>(p: P): P => ({
    ...p,
    clickhouse_settings: { ...p.clickhouse_settings, session_timezone: zone },
  });
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'query' || prop === 'command' || prop === 'exec') {
        const fn = Reflect.get(target, prop, receiver) as (p: object) => unknown;
        return (p: { clickhouse_settings?: Record<string, unknown> }) => fn.call(target, withZone(p));
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}
