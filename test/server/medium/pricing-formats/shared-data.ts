import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/** The reference files in /work/shared/data (repository at /work/main): read, never copied into the tree. */
export const SHARED_DATA_DIRECTORY = path.resolve(__dirname, '../../../../../shared/data');

export function readSharedJson(fileName: string): unknown {
  return JSON.parse(readFileSync(path.join(SHARED_DATA_DIRECTORY, fileName), 'utf8'));
}

export const LITELLM_FILE = 'model_prices_and_context_window.json';
export const LANGFUSE_FILE = 'default-model-prices.json';
