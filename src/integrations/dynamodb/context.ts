/** What the operations share: the table catalog, the item store, the clock, and capacity accounting. */
import type { Clock } from '../../engine/clock.js';
import { tableNotFound } from './errors.js';
import type { ItemStore } from './items.js';
import type { TableCatalog, TableDoc } from './tables.js';
import { itemBytes, type AttributeMap } from './values.js';

export interface DdbContext {
  readonly tables: TableCatalog;
  readonly items: ItemStore;
  readonly clock: Clock;
}

export type Response = Record<string, unknown>;

export async function existingTable(ctx: DdbContext, name: string): Promise<TableDoc> {
  const table = await ctx.tables.get(name);
  if (!table) throw tableNotFound();
  return table;
}

/** ConsumedCapacity as DynamoDB reports it when asked (TOTAL or INDEXES): 1 write unit per KB, 1 read unit per 4 KB. */
export function consumed(mode: string | undefined, tableName: string, units: number): Response {
  if (mode !== 'TOTAL' && mode !== 'INDEXES') return {};
  const capacity: Response = { TableName: tableName, CapacityUnits: units };
  if (mode === 'INDEXES') capacity['Table'] = { CapacityUnits: units };
  return { ConsumedCapacity: capacity };
}

export function writeUnits(...items: (AttributeMap | undefined)[]): number {
  return Math.max(1, ...items.map((i) => (i ? Math.ceil(itemBytes(i) / 1024) : 1)));
}

export function readUnits(bytes: number, consistent: boolean): number {
  const units = Math.max(1, Math.ceil(bytes / 4096));
  return consistent ? units : units / 2;
}
