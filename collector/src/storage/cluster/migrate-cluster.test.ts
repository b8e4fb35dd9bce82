/**
 * What a collector with SIGHTLINE_CLICKHOUSE_CLUSTER does to a database that is not a cluster
 * database: it refuses, with the reason, and creates nothing. The embedded engine has no cluster,
 * so the creation itself (ON CLUSTER) is not run here; its text is checked in cluster-schema.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, tempDataDir } from '../../test-support/temp-storage.js';
import { openStorage, type Storage } from '../client.js';
import { migrate } from '../migrate.js';
import { MIGRATIONS } from '../migrations/index.js';
import { alterTargetOf } from './alter-target.js';
import { ClusterSchemaError } from './migrate-cluster.js';

const tmp = tempDataDir('sightline-migrate-cluster-');
let storage: Storage;
const cluster = (database: string) => ({ cluster: { cluster: 'sightline', database } });
const use = async (database: string) => {
  await storage.client.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` });
  await storage.client.command({ query: `USE ${database}` });
};
const tablesIn = (database: string) => count(storage, 'SELECT count() FROM system.tables WHERE database = {database:String}', { database });

beforeAll(async () => {
  storage = await openStorage({ clickhouse: { kind: 'embedded', database: 'sightline' }, dataDir: tmp.dir });
});
afterAll(async () => {
  await storage.close();
  tmp.remove();
});

describe('migrations on a cluster', () => {
  it('refuse a database made for a single server, and leave it as it was', async () => {
    await use('single');
    await migrate(storage.client);
    const before = await tablesIn('single');
    const attempt = migrate(storage.client, MIGRATIONS, cluster('single'));
    await expect(attempt).rejects.toThrow(ClusterSchemaError);
    await expect(migrate(storage.client, MIGRATIONS, cluster('single'))).rejects.toThrow(
      /created for a single server.*needs a new database/,
    );
    expect(await tablesIn('single')).toBe(before);
  });

  it('refuse a database that holds tables but no migration ledger', async () => {
    await use('stray');
    await storage.client.command({ query: 'CREATE TABLE notes (id String) ENGINE = MergeTree ORDER BY id' });
    await expect(migrate(storage.client, MIGRATIONS, cluster('stray'))).rejects.toThrow(/holds tables \(notes\) but no schema_migrations/);
  });

  it('refuse a migration newer than the cluster schema', async () => {
    await use('newer');
    const next = { version: 19, name: 'next', statements: ['SELECT 1'] };
    await expect(migrate(storage.client, [...MIGRATIONS, next], cluster('newer'))).rejects.toThrow(
      /migrations 19 have no cluster form yet/,
    );
    expect(await tablesIn('newer')).toBe(0);
  });

  it('create an empty database ON CLUSTER only, never with single-server statements', async () => {
    await use('empty');
    // No cluster in the embedded engine: the first ON CLUSTER statement fails and nothing is created.
    await expect(migrate(storage.client, MIGRATIONS, cluster('empty'))).rejects.toThrow();
    expect(await tablesIn('empty')).toBe(0);
  });
});

describe('the target of an ALTER of a data table', () => {
  it('is the table itself on one server, and the local table on every shard behind a Distributed table', () => {
    expect(alterTargetOf('spans', 'ReplacingMergeTree', 'ReplacingMergeTree(ingested_at) ORDER BY x')).toBe('spans');
    expect(alterTargetOf('drift_checks', 'ReplicatedReplacingMergeTree', "ReplicatedReplacingMergeTree('/p', '{replica}')")).toBe(
      'drift_checks',
    );
    expect(alterTargetOf('spans', 'Distributed', "Distributed('sightline', 'sightline', 'spans_local', cityHash64(trace_id))")).toBe(
      "spans_local ON CLUSTER 'sightline'",
    );
    expect(() => alterTargetOf('spans', 'Distributed', "Distributed('a b', 'db', 'x')")).toThrow(/cannot tell/);
    expect(() => alterTargetOf('spans; DROP', 'MergeTree', '')).toThrow(/not a table name/);
  });
});
