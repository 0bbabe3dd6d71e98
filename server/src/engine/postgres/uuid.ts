const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are uuid columns: anything else matches no row, and must not reach Postgres as a type error (a 500). */
export function isUuid(text: string): boolean {
  return uuidPattern.test(text);
}
