/**
 * Table definitions, kept in the store as resource records of kind `ddb-table` addressed by the
 * table's ARN (`arn:aws:dynamodb:<region>:<account>:table/<name>`), so that every node of a
 * cluster sees the same tables and resources by ARN list in table name order (ListTables).
 * Each table has a fresh TableId; its items are addressed under that id (see items.ts), so a
 * table deleted and created again never sees the old table's items.
 */
import type { Clock } from '../../engine/clock.js';
import type { Json } from '../../lib/json.js';
import type { Store } from '../../engine/store.js';
import type { KeyType } from './key-codec.js';

export const TABLE_KIND = 'ddb-table';

export interface KeySchemaElement {
  AttributeName: string;
  KeyType: 'HASH' | 'RANGE';
}

export interface AttributeDefinition {
  AttributeName: string;
  AttributeType: KeyType;
}

/** What the store keeps of a table: its definition as CreateTable gave it, and when. */
export interface TableDoc {
  TableName: string;
  TableId: string;
  TableArn: string;
  KeySchema: KeySchemaElement[];
  AttributeDefinitions: AttributeDefinition[];
  BillingMode: 'PROVISIONED' | 'PAY_PER_REQUEST';
  ProvisionedThroughput: { ReadCapacityUnits: number; WriteCapacityUnits: number };
  /** Epoch ms. */
  CreationDateTime: number;
  DeletionProtectionEnabled: boolean;
}

export interface KeyAttribute {
  name: string;
  type: KeyType;
}

export interface TableKeys {
  hash: KeyAttribute;
  range?: KeyAttribute;
}

export function keysOf(table: TableDoc): TableKeys {
  const typeOf = (name: string): KeyType => table.AttributeDefinitions.find((d) => d.AttributeName === name)?.AttributeType ?? 'S';
  const hashName = table.KeySchema.find((k) => k.KeyType === 'HASH')?.AttributeName ?? '';
  const rangeName = table.KeySchema.find((k) => k.KeyType === 'RANGE')?.AttributeName;
  return { hash: { name: hashName, type: typeOf(hashName) }, ...(rangeName === undefined ? {} : { range: { name: rangeName, type: typeOf(rangeName) } }) };
}

export class TableCatalog {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    readonly region: string,
    readonly account: string,
  ) {}

  arnOf(name: string): string {
    return `arn:aws:dynamodb:${this.region}:${this.account}:table/${name}`;
  }

  async get(name: string): Promise<TableDoc | undefined> {
    const rec = await this.store.getResource(TABLE_KIND, this.arnOf(name));
    return rec ? (rec.doc as unknown as TableDoc) : undefined;
  }

  /** False when a table of that name exists. */
  create(doc: TableDoc): Promise<boolean> {
    return this.store.createResource(TABLE_KIND, doc.TableArn, doc.TableName, doc as unknown as Json, this.clock.now());
  }

  remove(name: string): Promise<boolean> {
    return this.store.deleteResource(TABLE_KIND, this.arnOf(name));
  }

  /** Table names in order, after `after`, at most `limit` (and whether more follow). */
  async names(after: string | undefined, limit: number): Promise<{ names: string[]; more: boolean }> {
    const prefix = this.arnOf('');
    const recs = await this.store.listResources(TABLE_KIND, { arnPrefix: prefix, ...(after === undefined ? {} : { afterArn: this.arnOf(after) }), limit: limit + 1 });
    return { names: recs.slice(0, limit).map((r) => r.name), more: recs.length > limit };
  }
}
