/**
 * One ClickHouse client for both back ends: the embedded chDB engine (default) or a server.
 * Everything above this file uses the @clickhouse/client API only, so the same queries run on both.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createClient, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';
import type { Config } from '../config.js';

type ChdbCompatibleConnection = NonNullable<Parameters<typeof createClient>[0]>['connection'];

export interface Storage {
  client: ClickHouseClient;
  kind: 'embedded' | 'server';
  /**
   * Inserts rows already encoded in `format` (with `columns`, or all columns): the write path's bulk
   * insert. On chDB the bytes go to the engine's parser without a copy (its raw insert, about 1.5×
   * faster than a SQL statement carrying the rows); on a server they are the HTTP body.
   */
  insertRaw(insert: RawInsert): Promise<void>;
  close(): Promise<void>;
}

export interface RawInsert {
  table: string;
  format: 'JSONEachRow' | 'JSONCompactEachRow';
  columns?: readonly string[];
  body: Buffer;
  settings?: Record<string, string | number>;
}

/** The same insert through the client API, for a ClickHouse server (or any client). */
export async function execRawInsert(client: ClickHouseClient, r: RawInsert): Promise<void> {
  // Table and column names come from our own constants, never from a request.
  const columns = r.columns ? ` (${r.columns.join(', ')})` : '';
  const result = await client.exec({
    query: `INSERT INTO ${r.table}${columns} FORMAT ${r.format}`,
    values: Readable.from([r.body], { objectMode: false }),
    clickhouse_settings: (r.settings ?? {}) as ClickHouseSettings,
  });
  result.stream.resume();
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
    return {
      client,
      kind: 'server',
      insertRaw: (r) => execRawInsert(client, r),
      close: () => client.close(),
    };
  }
  // chDB keeps its tables in its own folder; the write-ahead log lives beside it under dataDir.
  const path = join(config.dataDir, 'chdb');
  mkdirSync(path, { recursive: true });
  // chdb types its Connection against @clickhouse/client-common, which @clickhouse/client now bundles
  // as its own copy: the shapes are identical, the nominal types are not.
  const chdb = createChdbConnection({ path });
  const client = createClient({ connection: chdb as unknown as ChdbCompatibleConnection, clickhouse_settings: SETTINGS });
  return {
    client,
    kind: 'embedded',
    insertRaw: async (r) => {
      await chdb.chdb.rawInsert({
        table: r.table,
        values: r.body,
        format: r.format,
        settings: r.settings ?? {},
        ...(r.columns ? { columns: [...r.columns] } : {}),
      });
    },
    close: () => client.close(),
  };
}
