/**
 * Opens the store a URL names: `sqlite:<file>[?synchronous=FULL]` (or `sqlite::memory:`) for the embedded store,
 * `postgres://…[?schema=name]` for PostgreSQL shared by a cluster.
 */
import type { Store } from '../engine/store.js';
import { openPostgresStore } from './postgres/index.js';
import { openSqliteStore } from './sqlite/index.js';

export function openStore(url: string): Store {
  if (url.startsWith('sqlite:')) {
    // sqlite:<file>[?synchronous=FULL]
    const [path = '', query = ''] = url.slice('sqlite:'.length).split('?');
    const synchronous = new URLSearchParams(query).get('synchronous')?.toUpperCase();
    if (synchronous !== undefined && synchronous !== 'NORMAL' && synchronous !== 'FULL') {
      throw new Error(`unsupported synchronous=${synchronous} in '${url}': use NORMAL or FULL`);
    }
    return openSqliteStore({ path, synchronous: synchronous as 'NORMAL' | 'FULL' | undefined });
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const u = new URL(url);
    const schema = u.searchParams.get('schema') ?? undefined;
    u.searchParams.delete('schema');
    return openPostgresStore({ connectionString: u.toString(), schema });
  }
  throw new Error(`unsupported store URL '${url}': use sqlite:<file> or postgres://…`);
}
