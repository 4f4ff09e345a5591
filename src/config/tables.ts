/**
 * The `tables` section: local DynamoDB tables by name, each with its key schema (a partition key
 * and an optional sort key, with DynamoDB's attribute types S, N or B). They are created when the
 * server starts if they do not exist yet; a table that exists with another key schema is an error
 * (Stepwise never drops data to match the file).
 */
import type { TableConfig } from './types.js';
import { entries, fail, str, type Source, type YamlNode } from './yaml-nodes.js';

const TABLE_KEYS = ['partitionKey', 'sortKey'] as const;
const KEY_KEYS = ['name', 'type'] as const;
/** DynamoDB's table names. */
const NAME = /^[A-Za-z0-9_.-]{3,255}$/;

export function readTables(src: Source, node: YamlNode): TableConfig[] {
  const out: TableConfig[] = [];
  for (const [name, { key, value }] of entries(src, node, 'tables')) {
    const path = `tables.${name}`;
    if (!NAME.test(name)) fail(src, key, `table name '${name}' must be 3 to 255 letters, digits, '_', '-' or '.' (as DynamoDB's)`);
    const fields = entries(src, value, path, TABLE_KEYS);
    const pk = fields.get('partitionKey');
    if (!pk) fail(src, value ?? key, `${path} needs a partitionKey ({name, type})`);
    const table: TableConfig = { name, partitionKey: readKey(src, pk.value, `${path}.partitionKey`) };
    const sk = fields.get('sortKey');
    if (sk) {
      table.sortKey = readKey(src, sk.value, `${path}.sortKey`);
      if (table.sortKey.name === table.partitionKey.name) fail(src, sk.value, `${path}.sortKey must name another attribute than the partitionKey`);
    }
    out.push(table);
  }
  return out;
}

function readKey(src: Source, node: YamlNode, path: string): { name: string; type: 'S' | 'N' | 'B' } {
  const fields = entries(src, node, path, KEY_KEYS);
  const n = fields.get('name');
  const t = fields.get('type');
  if (!n || !t) fail(src, node, `${path} needs a name and a type (S, N or B)`);
  const type = str(src, t.value, `${path}.type`);
  if (type !== 'S' && type !== 'N' && type !== 'B') fail(src, t.value, `${path}.type must be S, N or B (DynamoDB's key attribute types)`);
  return { name: str(src, n.value, `${path}.name`), type };
}
