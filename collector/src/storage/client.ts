/**
 * One ClickHouse client for both back ends: the embedded chDB engine (default) or a server.
 * Everything above this file uses the @clickhouse/client API only, so the same queries run on both.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createClient, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';
import type { Config } from '../config.js';

type ChdbCompatibleConnection = NonNullable<Parameters<typeof createClient>[0]>['connection'];

export interface Storage {
  client: ClickHouseClient;
  kind: 'embedded' | 'server';
  /** The ClickHouse cluster the schema lives on (SIGHTLINE_CLICKHOUSE_CLUSTER), if any. */
  cluster?: string | undefined;
  /**
   * Inserts rows already encoded in `format` (with `columns`, or all columns): the write path's bulk
   * insert. On chDB text goes to the engine's parser without a copy (its raw insert, about 1.5×
   * faster than a SQL statement carrying the rows) and binary is read from a file (`file`, or the
   * body written to one); on a server the bytes are the HTTP body.
   */
  insertRaw(insert: RawInsert): Promise<void>;
  close(): Promise<void>;
}

export interface RawInsert {
  table: string;
  format: 'JSONEachRow' | 'JSONCompactEachRow' | 'RowBinaryWithNamesAndTypes';
  columns?: readonly string[] | undefined;
  /** The encoded rows: one buffer, or several that follow each other. */
  body: Buffer | readonly Buffer[];
  /** A file holding exactly the bytes of `body`: the embedded engine reads it instead of a copy. */
  file?: string | undefined;
  settings?: Readonly<Record<string, string | number>> | undefined;
}

/** The same insert through the client API, for a ClickHouse server (or any client). */
async function execRawInsert(client: ClickHouseClient, r: RawInsert): Promise<void> {
  // Table and column names come from our own constants, never from a request.
  const columns = r.columns ? ` (${r.columns.join(', ')})` : '';
  const result = await client.exec({
    query: `INSERT INTO ${r.table}${columns} FORMAT ${r.format}`,
    values: Readable.from(Buffer.isBuffer(r.body) ? [r.body] : r.body, { objectMode: false }),
    clickhouse_settings: (r.settings ?? {}) as ClickHouseSettings,
  });
  result.stream.resume();
}

function bodyBytes(body: RawInsert['body']): Buffer {
  if (Buffer.isBuffer(body)) return body;
  return body.length === 1 ? body[0]! : Buffer.concat(body);
}

/** A ClickHouse string literal. */
function quoted(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * `INSERT … FROM INFILE` on the embedded engine: the way to hand it binary rows. Its raw insert
 * takes text formats only, and a binary body inlined into a statement is cut at the first empty
 * line (`\n\n`, which clickhouse-local takes for the end of inline data), so binary goes through
 * a file. Settings are written into the statement (keys are our constants; values quoted).
 */
function fileInsertSql(r: RawInsert, file: string): string {
  const columns = r.columns ? ` (${r.columns.join(', ')})` : '';
  const settings = Object.entries(r.settings ?? {}).map(([k, v]) => `${k} = ${typeof v === 'number' ? v : quoted(v)}`);
  return `INSERT INTO ${r.table}${columns} FROM INFILE ${quoted(file)}${settings.length ? ` SETTINGS ${settings.join(', ')}` : ''} FORMAT ${r.format}`;
}

// 64-bit integers come back as strings on both back ends (chDB defaults to numbers).
const SETTINGS: ClickHouseSettings = {
  output_format_json_quote_64bit_integers: 1,
  date_time_output_format: 'simple',
};

/**
 * On a cluster: an insert into a Distributed table returns once every shard has stored its rows
 * (not when they are queued on the node that took it), so a 2xx still means "in ClickHouse" and a
 * failed shard fails the insert, which the write path retries with the same deduplication token.
 * A subquery over a Distributed table inside a query over another one runs once, on the node that
 * took the query, and its result is sent to the shards (GLOBAL IN / JOIN): exact whatever the
 * sharding, where the default refuses such queries.
 */
export const CLUSTER_SETTINGS: ClickHouseSettings = {
  distributed_foreground_insert: 1,
  distributed_product_mode: 'global',
};

export async function openStorage(config: Pick<Config, 'clickhouse' | 'dataDir'>): Promise<Storage> {
  const ch = config.clickhouse;
  if (ch.kind === 'server') {
    // The database may not exist yet: create it through a client bound to `default`.
    const bootstrap = createClient({ url: ch.url, username: ch.user, password: ch.password });
    try {
      // On a cluster, on every node: the ON CLUSTER tables are created in this database on each.
      const onCluster = ch.cluster ? ` ON CLUSTER '${ch.cluster}'` : '';
      await bootstrap.command({ query: `CREATE DATABASE IF NOT EXISTS ${ch.database}${onCluster}` });
    } finally {
      await bootstrap.close();
    }
    const client = createClient({
      url: ch.url,
      username: ch.user,
      password: ch.password,
      database: ch.database,
      clickhouse_settings: ch.cluster ? { ...SETTINGS, ...CLUSTER_SETTINGS } : SETTINGS,
      request_timeout: 60_000,
    });
    return {
      client,
      kind: 'server',
      cluster: ch.cluster,
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
  // Binary bodies that are not already in a file are written to one here for the engine to read:
  // a folder per open storage; those of earlier processes (a crash mid-insert) are removed.
  const insertFilesRoot = join(config.dataDir, 'insert-files');
  mkdirSync(insertFilesRoot, { recursive: true });
  for (const d of readdirSync(insertFilesRoot)) {
    if (!d.startsWith(`${process.pid}-`)) rmSync(join(insertFilesRoot, d), { recursive: true, force: true });
  }
  const insertFiles = mkdtempSync(join(insertFilesRoot, `${process.pid}-`));
  let insertSeq = 0;
  return {
    client,
    kind: 'embedded',
    insertRaw: async (r) => {
      if (r.format !== 'RowBinaryWithNamesAndTypes') {
        await chdb.chdb.rawInsert({
          table: r.table,
          values: bodyBytes(r.body),
          format: r.format,
          settings: { ...r.settings },
          ...(r.columns ? { columns: [...r.columns] } : {}),
        });
        return;
      }
      if (r.file) {
        await chdb.chdb.queryAsync(fileInsertSql(r, r.file));
        return;
      }
      // Not durable and not meant to be: the rows are safe elsewhere (log, or unacknowledged).
      const file = join(insertFiles, `${insertSeq++}.bin`);
      try {
        await writeFile(file, Buffer.isBuffer(r.body) ? [r.body] : r.body);
        await chdb.chdb.queryAsync(fileInsertSql(r, file));
      } finally {
        await rm(file, { force: true });
      }
    },
    close: async () => {
      await client.close();
      rmSync(insertFiles, { recursive: true, force: true });
    },
  };
}
