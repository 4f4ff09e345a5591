/**
 * The connection pool: each connection's search_path is the store's schema, and BIGINT (epoch ms)
 * is parsed to a number. The parsers are this pool's own, so pg's global parsers stay untouched.
 */
import pg from 'pg';

const INT8 = 20;
const INT8_ARRAY = 1016;

/** A one-dimensional int8[] in text form, `{1,2,NULL}`: numbers need no quoting. */
function parseInt8Array(text: string): (number | null)[] {
  if (text === '{}') return [];
  return text
    .slice(1, -1)
    .split(',')
    .map((item) => (item === 'NULL' ? null : Number(item)));
}

const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8) return (text: string) => Number(text);
    if (oid === INT8_ARRAY) return parseInt8Array;
    return pg.types.getTypeParser(oid, format ?? 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

export function createPool(connectionString: string, schema: string, max: number): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max,
    types,
    // The schema is a checked plain identifier, so it needs no escaping inside the startup options.
    options: `-c search_path=${schema}`,
  });
  // An idle connection that dies (server restart, network) must not crash the process; the next
  // query gets a fresh connection.
  pool.on('error', () => undefined);
  return pool;
}
