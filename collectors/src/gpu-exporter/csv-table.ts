/**
 * nvidia-smi's CSV: a header row of field names, each optionally followed by a unit in brackets
 * ("memory.used [MiB]"), then one row per device. Cells are separated by ", ". nvidia-smi never quotes
 * cells, so a plain split is what its own output format defines.
 */

export interface CsvColumn {
  /** Field name as nvidia-smi printed it, without the unit ("memory.used"). */
  readonly field: string;
  /** Unit from the header ("MiB"), or undefined when the header has none. */
  readonly unit: string | undefined;
}

export interface CsvTable {
  readonly columns: readonly CsvColumn[];
  /** Each row maps a field name to its raw, trimmed cell text. */
  readonly rows: readonly ReadonlyMap<string, string>[];
  /** Rows whose cell count did not match the header; skipped rather than guessed at. */
  readonly malformedRowCount: number;
}

const HEADER_CELL = /^(.*?)\s*(?:\[([^\]]*)\])?$/;

export function parseHeaderCell(cell: string): CsvColumn {
  const match = HEADER_CELL.exec(cell.trim());
  const field = (match?.[1] ?? cell).trim();
  const unit = match?.[2]?.trim();
  return { field, unit: unit === '' ? undefined : unit };
}

function splitLine(line: string): string[] {
  return line.split(',').map((cell) => cell.trim());
}

/** Parses CSV printed with a header (`--format=csv` or `--format=csv,nounits`). */
export function parseCsvTable(text: string): CsvTable {
  // Windows builds print CRLF; a BOM may lead when output went through a file.
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '');
  if (lines.length === 0) return { columns: [], rows: [], malformedRowCount: 0 };

  const columns = splitLine(lines[0] as string).map(parseHeaderCell);
  const rows: Map<string, string>[] = [];
  let malformedRowCount = 0;
  for (const line of lines.slice(1)) {
    const cells = splitLine(line);
    if (cells.length !== columns.length) {
      malformedRowCount += 1;
      continue;
    }
    const row = new Map<string, string>();
    columns.forEach((column, position) => row.set(column.field, cells[position] as string));
    rows.push(row);
  }
  return { columns, rows, malformedRowCount };
}

/** The header unit for a field, looked up by name. */
export function columnUnit(table: CsvTable, field: string): string | undefined {
  return table.columns.find((column) => column.field === field)?.unit;
}
