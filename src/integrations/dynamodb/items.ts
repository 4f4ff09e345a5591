/**
 * Items, kept in the store as resource records of kind `ddb-item` (the item, in DynamoDB JSON,
 * is the document) at `<tableId>/<partition key code>/<sort key code>` (key-codec.ts), so that
 * a partition is one ARN prefix walked in sort key order.
 *
 * Writes are read-modify-write: read the record, decide (conditions, update expressions), then
 * write with the store's revision compare-and-set, retrying from the read when another writer
 * got in between; in one process, writes of one item also queue behind each other. The Store
 * port has no conditional delete, so across processes a delete lands unconditionally once its
 * condition held when read: a write of the same item by another node in that window is lost.
 */
import type { Clock } from '../../engine/clock.js';
import type { Json } from '../../lib/json.js';
import type { ResourceRecord, Store } from '../../engine/store.js';
import { DynamoDbError } from './errors.js';
import { encodeKeyValue } from './key-codec.js';
import type { TableDoc, TableKeys } from './tables.js';
import type { AttributeMap, AttributeValue } from './values.js';

export const ITEM_KIND = 'ddb-item';

/** What a write decided: the new item, null to delete it, or 'keep' to leave it unchanged. */
export interface Decision<T> {
  write: AttributeMap | null | 'keep';
  result: T;
}

const MAX_ATTEMPTS = 50;

export class ItemStore {
  /** The tail of the queue of writes per item ARN, in this process. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  tablePrefix(table: TableDoc): string {
    return `${table.TableId}/`;
  }

  partitionPrefix(table: TableDoc, keys: TableKeys, hash: AttributeValue): string {
    return `${table.TableId}/${encodeKeyValue(keys.hash.type, hash)}/`;
  }

  arnOf(table: TableDoc, keys: TableKeys, key: AttributeMap): string {
    const prefix = this.partitionPrefix(table, keys, key[keys.hash.name] as AttributeValue);
    return keys.range ? prefix + encodeKeyValue(keys.range.type, key[keys.range.name] as AttributeValue) : prefix;
  }

  async get(arn: string): Promise<AttributeMap | undefined> {
    const rec = await this.store.getResource(ITEM_KIND, arn);
    return rec ? (rec.doc as unknown as AttributeMap) : undefined;
  }

  /** Decide on the item's current value and write the decision, atomically per item. */
  modify<T>(table: TableDoc, arn: string, decide: (current: AttributeMap | undefined) => Decision<T>): Promise<T> {
    return this.queued(arn, async () => {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const rec = await this.store.getResource(ITEM_KIND, arn);
        const { write, result } = decide(rec ? (rec.doc as unknown as AttributeMap) : undefined);
        if (write === 'keep') return result;
        if (write === null) {
          if (rec) await this.store.deleteResource(ITEM_KIND, arn);
          return result;
        }
        const doc = write as unknown as Json;
        const now = this.clock.now();
        const done = rec ? await this.store.updateResource(ITEM_KIND, arn, doc, rec.revision, now) : await this.store.createResource(ITEM_KIND, arn, table.TableName, doc, now);
        if (done) return result;
      }
      throw new DynamoDbError('InternalServerError', 'Internal server error: the item kept changing under concurrent writes', {}, 500);
    });
  }

  list(prefix: string, after: string | undefined, limit: number): Promise<ResourceRecord[]> {
    return this.store.listResources(ITEM_KIND, { arnPrefix: prefix, ...(after === undefined ? {} : { afterArn: after }), limit });
  }

  count(table: TableDoc): Promise<number> {
    return this.store.countResources(ITEM_KIND, { arnPrefix: this.tablePrefix(table), limit: Number.MAX_SAFE_INTEGER });
  }

  /** Delete every item of a table, page by page. */
  async deleteAll(table: TableDoc): Promise<void> {
    for (;;) {
      const page = await this.list(this.tablePrefix(table), undefined, 500);
      if (page.length === 0) return;
      for (const rec of page) await this.store.deleteResource(ITEM_KIND, rec.arn);
    }
  }

  private queued<T>(arn: string, run: () => Promise<T>): Promise<T> {
    const before = this.queues.get(arn) ?? Promise.resolve();
    const mine = before.then(run, run);
    const tail = mine.catch(() => undefined);
    this.queues.set(arn, tail);
    void tail.then(() => {
      if (this.queues.get(arn) === tail) this.queues.delete(arn);
    });
    return mine;
  }
}
