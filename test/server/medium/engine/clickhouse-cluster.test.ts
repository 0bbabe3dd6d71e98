import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouseClient } from '@clickhouse/client';
import { createClickhouseClient } from '../../../../server/src/engine/clickhouse/clickhouse-client';
import { migrateClickhouse } from '../../../../server/src/engine/clickhouse/clickhouse-migrator';
import { clickhouseMigrationsDirectory } from '../../../../server/src/engine/engines';
import { temporaryDirectory } from '../../../support/test-engines';

/*
 * Against a real sharded ClickHouse cluster, when one is configured: WARDEN_TEST_CLICKHOUSE_CLUSTER_URL (any node,
 * e.g. http://default:@ch-1:8123) and WARDEN_TEST_CLICKHOUSE_CLUSTER (the cluster name in its remote_servers). This
 * machine has no ClickHouse server (only the embedded engine, which has no shards), so here the test is skipped
 * with a notice; the sharded DDL itself is checked as text in test/server/small/engine/sharded-ddl.test.ts.
 */
const url = process.env.WARDEN_TEST_CLICKHOUSE_CLUSTER_URL;
const cluster = process.env.WARDEN_TEST_CLICKHOUSE_CLUSTER;
if (!url || !cluster) {
  console.warn('\n*** SKIPPING THE SHARDED-CLUSTER TEST: set WARDEN_TEST_CLICKHOUSE_CLUSTER_URL and WARDEN_TEST_CLICKHOUSE_CLUSTER to run it ***\n');
}

describe.skipIf(!url || !cluster)('migrations and ingest on a real sharded cluster', () => {
  const database = `warden_cluster_test_${process.pid}`;
  let client: ClickHouseClient;
  beforeAll(() => {
    client = createClickhouseClient({ url, dataDir: temporaryDirectory('cluster'), database });
  });
  afterAll(async () => {
    await client?.command({ query: `DROP DATABASE IF EXISTS ${database} ON CLUSTER '${cluster}' SYNC` }).catch(() => undefined);
    await client?.close();
  });

  it('creates local and Distributed tables on every node, and a request sent twice is stored and counted once', async () => {
    await migrateClickhouse(client, clickhouseMigrationsDirectory, { database, cluster, replicated: true, sharded: true });
    const row = { id: 'req-1', timestamp: '2026-11-29 10:00:00.000', team: 'search', model: 'gpt-4o', cost_nano_usd: '1000', cost_source: 'event', retention_days: 3650, ingested_at: '2026-11-29 10:00:01.000' };
    // Sent twice with one token, as the writer retries: the second copy is recognised on its shard.
    for (let attempt = 0; attempt < 2; attempt += 1) {
      await client.insert({ table: `${database}.requests`, values: [row], format: 'JSONEachRow', clickhouse_settings: { insert_deduplication_token: 'cluster-test', distributed_foreground_insert: 1 } });
    }
    const result = await client.query({ query: `SELECT sum(requests) AS requests FROM ${database}.requests_hourly`, format: 'JSONEachRow' });
    expect(await result.json()).toEqual([{ requests: '1' }]);
  });
});
