// Apollo adds `__typename` to every object; react-admin records, forms and CSV exports should not carry it.
export function withoutTypenames<Value>(value: Value): Value {
  if (Array.isArray(value)) return value.map(item => withoutTypenames(item)) as Value;
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key !== '__typename') copy[key] = withoutTypenames(inner);
  }
  return copy as Value;
}
