import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/** The reference catalogs, copied into test/fixtures/data (see its README for their sources). */
export const FIXTURE_DATA_DIRECTORY = path.resolve(__dirname, '../../../fixtures/data');

export function readFixtureJson(fileName: string): unknown {
  return JSON.parse(readFileSync(path.join(FIXTURE_DATA_DIRECTORY, fileName), 'utf8'));
}

export const LITELLM_FILE = 'model_prices_and_context_window.json';
export const LANGFUSE_FILE = 'default-model-prices.json';
