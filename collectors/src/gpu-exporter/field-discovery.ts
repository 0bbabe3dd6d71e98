/**
 * Reads the field list from `nvidia-smi --help-query-gpu`. One unknown field makes nvidia-smi refuse the
 * whole query (exit 2), so the exporter asks only for what this driver lists.
 */

/** A field entry is a line holding only quoted names: `"name"` or `"uuid" or "gpu_uuid"`. Quoted words
 * inside descriptions (`"0: Default" means ...`) are not entries. */
const FIELD_ENTRY_LINE = /^"[^"]+"(?:\s+or\s+"[^"]+")*\s*$/;

export function parseHelpQueryGpu(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (!FIELD_ENTRY_LINE.test(trimmed)) continue;
    for (const match of trimmed.matchAll(/"([^"]+)"/g)) names.add(match[1] as string);
  }
  return names;
}
