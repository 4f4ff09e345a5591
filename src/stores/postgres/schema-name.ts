/**
 * Schema names are spliced into SQL and the connection's search_path, so only plain lower-case
 * identifiers are accepted (they mean the same quoted or not).
 */
const plainIdentifier = /^[a-z_][a-z0-9_]{0,62}$/;

export function checkSchemaName(schema: string): string {
  if (!plainIdentifier.test(schema)) {
    throw new Error(`invalid PostgreSQL schema name ${JSON.stringify(schema)}: use lower-case letters, digits and _ (at most 63), not starting with a digit`);
  }
  return schema;
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
