import type { ClickHouseClient } from '@clickhouse/client';

/*
 * Rows whose identity is (team, id), ids being unique per team (requests, scores): the key the batch writer
 * deduplicates them by, and the lookup of those keys in the table of keys that the rows' own insert fills.
 */

/** The writer's key for (team, id); team names hold no NUL, so the first one splits the pair back. */
export function teamIdKey(team: string, id: string): string {
  return `${team}\u0000${id}`;
}

/** Which of these keys `keysTable` (database.table, with team and id columns) holds: a findStoredKeys for the writer. */
export async function findStoredTeamIdKeys(clickhouse: ClickHouseClient, keysTable: string, keys: string[]): Promise<Set<string>> {
  const teams = new Set<string>();
  const ids = new Set<string>();
  for (const key of keys) {
    const separator = key.indexOf('\u0000');
    teams.add(key.slice(0, separator));
    ids.add(key.slice(separator + 1));
  }
  const result = await clickhouse.query({
    query: `SELECT team, id FROM ${keysTable} WHERE team IN {teams:Array(String)} AND id IN {ids:Array(String)}`,
    query_params: { teams: [...teams], ids: [...ids] },
    format: 'JSONCompactEachRow',
  });
  const wanted = new Set(keys);
  const stored = new Set<string>();
  for (const [team, id] of await result.json<[string, string]>()) {
    const key = teamIdKey(team, id);
    if (wanted.has(key)) stored.add(key);
  }
  return stored;
}
