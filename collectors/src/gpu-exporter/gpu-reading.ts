/**
 * One GPU's values from one --query-gpu run, looked up by header name and converted to base units.
 * A field without a value is simply absent from the maps, which is how "omit the series" travels on.
 */
import { columnUnit, type CsvTable } from './csv-table';
import { QUERY_FIELDS, type QueryField } from './field-catalogue';
import { parseCount, parseFlag, parsePerformanceState, parseQuantity, parseText } from './value-parsing';

export interface GpuReading {
  readonly index: number;
  readonly uuid: string;
  readonly name: string;
  /** Numeric values in base units, by field key. */
  readonly numbers: ReadonlyMap<string, number>;
  /** Text facts, by field key. */
  readonly texts: ReadonlyMap<string, string>;
}

/** Which header column carries a field: the first of its names nvidia-smi printed. */
function columnFor(table: CsvTable, queryField: QueryField): string | undefined {
  return queryField.names.find((name) => table.columns.some((column) => column.field === name));
}

function parseNumber(queryField: QueryField, raw: string | undefined, headerUnit: string | undefined): number | undefined {
  switch (queryField.kind) {
    case 'quantity':
      return parseQuantity(raw, headerUnit, queryField.documentedUnit);
    case 'count':
      return parseCount(raw);
    case 'flag':
      return parseFlag(raw);
    case 'performance-state':
      return parsePerformanceState(raw);
    case 'text':
      return undefined;
  }
}

export function readGpus(table: CsvTable): GpuReading[] {
  const columns = QUERY_FIELDS.map((queryField) => ({ queryField, column: columnFor(table, queryField) })).filter(
    (entry): entry is { queryField: QueryField; column: string } => entry.column !== undefined,
  );

  return table.rows.map((row, ordinal) => {
    const numbers = new Map<string, number>();
    const texts = new Map<string, string>();
    for (const { queryField, column } of columns) {
      const raw = row.get(column);
      if (queryField.kind === 'text') {
        const text = parseText(raw);
        if (text !== undefined) texts.set(queryField.key, text);
        continue;
      }
      const value = parseNumber(queryField, raw, columnUnit(table, column));
      if (value !== undefined) numbers.set(queryField.key, value);
    }
    // nvidia-smi prints rows in index order; the ordinal only stands in when a capture lacks the column.
    const index = numbers.get('index') ?? ordinal;
    numbers.delete('index');
    return { index, uuid: texts.get('uuid') ?? '', name: texts.get('name') ?? '', numbers, texts };
  });
}
