/** One thing wrong with one field of a submitted item, as every ingest answer reports it. */
export interface FieldProblem {
  field: string;
  message: string;
}

function camelCase(field: string): string {
  return field.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());
}

/**
 * Names every field the payload format does not have. Unknown fields are refused rather than ignored: a typo such as
 * `input_tokens` would otherwise silently store zero; the snake_case spelling gets its camelCase suggestion.
 */
export function findUnknownFields(input: Record<string, unknown>, knownFields: ReadonlySet<string>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const field of Object.keys(input)) {
    if (knownFields.has(field)) continue;
    const suggestion = knownFields.has(camelCase(field)) ? ` (did you mean "${camelCase(field)}"?)` : '';
    // A field name is the sender's text: cut so that an answer never grows with it.
    problems.push({ field: field.length > 64 ? `${field.slice(0, 64)}…` : field, message: `unknown field${suggestion}` });
    if (problems.length >= 20) break;
  }
  return problems;
}
