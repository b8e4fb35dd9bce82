/**
 * One ClickHouse client for both back ends: the embedded chDB engine (default) or a server.
 * Everything above this file uses the @clickhouse/client API only, so the same queries run on both.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createClient, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';
import type { Config } from '../config.js';

type ChdbCompatibleConnection = NonNullable<Parameters<typeof createClient>[0]>['connection'];

export interface Storage {
  client: ClickHouseClient;
  kind: 'embedded' | 'server';
  close(): Promise<void>;
}

// 64-bit integers come back as strings on both back ends (chDB defaults to numbers).
const SETTINGS: ClickHouseSettings = {
  output_format_json_quote_64bit_integers: 1,
  date_time_output_format: 'simple',
};

export async function openStorage(config: Pick<Config, 'clickhouse' | 'dataDir'>): Promise<Storage> {
  const ch = config.clickhouse;
  if (ch.kind === 'server') {
    // The database may not exist yet: create it through a client bound to `default`.
    const bootstrap = createClient({ url: ch.url, username: ch.user, password: ch.password });
    try {
      await bootstrap.command({ query: `CREATE DATABASE IF NOT EXISTS ${ch.database}` });
    } finally {
      await bootstrap.close();
    }
    const client = createClient({
      url: ch.url,
      username: ch.user,
      password: ch.password,
      database: ch.database,
      clickhouse_settings: SETTINGS,
      request_timeout: 60_000,
    });
    return { client, kind: 'server', close: () => client.close() };
  }
  // chDB keeps its tables in its own folder; the write-ahead log lives beside it under dataDir.
  const path = join(config.dataDir, 'chdb');
  mkdirSync(path, { recursive: true });
  // chdb types its Connection against @clickhouse/client-common, which @clickhouse/client now bundles
  // as its own copy: the shapes are identical, the nominal types are not.
  const connection = createChdbConnection({ path }) as unknown as ChdbCompatibleConnection;
  const client = createClient({ connection, clickhouse_settings: SETTINGS });
  return { client, kind: 'embedded', close: () => client.close() };
}
