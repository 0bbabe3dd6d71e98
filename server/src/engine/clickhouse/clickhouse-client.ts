import * as fs from 'node:fs';
import * as path from 'node:path';
import { createClient, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';

// The same settings for both engines, so the embedded one answers exactly as a server does.
// 64-bit integers come back quoted: nano-USD sums exceed 2^53 and must never pass through a float.
export const clickhouseSettings: ClickHouseSettings = {
  output_format_json_quote_64bit_integers: 1,
  date_time_output_format: 'iso',
  date_time_input_format: 'best_effort',
};

type ClientConnection = NonNullable<Parameters<typeof createClient>[0]>['connection'];

export interface ClickhouseConnectionOptions {
  url?: string;
  dataDir: string;
  database: string;
}

/** `@clickhouse/client` everywhere: over HTTP to a server, or in-process through chDB's connection hook. */
export function createClickhouseClient(options: ClickhouseConnectionOptions): ClickHouseClient {
  if (options.url) {
    return createClient({
      url: options.url,
      clickhouse_settings: clickhouseSettings,
      request_timeout: 60_000,
      compression: { request: true, response: true },
      // Deduplication lookups bind thousands of ids: past 4 KiB the parameters travel in the body, not the URL.
      use_multipart_params_auto: true,
    });
  }
  const directory = path.join(options.dataDir, 'clickhouse');
  fs.mkdirSync(directory, { recursive: true });
  // chDB implements client-common's Connection; @clickhouse/client bundles its own copy of the same types.
  const connection = createChdbConnection({ path: directory }) as unknown as ClientConnection;
  return createClient({
    connection,
    clickhouse_settings: clickhouseSettings,
  });
}
