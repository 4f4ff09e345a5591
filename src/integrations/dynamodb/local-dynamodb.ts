/**
 * Local DynamoDB tables in Stepwise's store: the operations by their API names, one entry point
 * for both edges (the HTTP API and Task states). Answers the response members, or throws a
 * DynamoDbError named and worded as DynamoDB's.
 */
import type { Clock } from '../../engine/clock.js';
import type { Store } from '../../engine/store.js';
import { batchGetItem, batchWriteItem } from './batch-ops.js';
import type { DdbContext, Response } from './context.js';
import { DynamoDbError } from './errors.js';
import { deleteItem, getItem, putItem, updateItem } from './item-ops.js';
import { ItemStore } from './items.js';
import { query, scan } from './read-ops.js';
import { asBody, type Body } from './request.js';
import { createTable, deleteTable, describeTable, listTables } from './table-ops.js';
import { TableCatalog } from './tables.js';

type Operation = (ctx: DdbContext, body: Body) => Promise<Response>;

const OPERATIONS: Readonly<Record<string, Operation>> = {
  GetItem: getItem,
  PutItem: putItem,
  UpdateItem: updateItem,
  DeleteItem: deleteItem,
  Query: query,
  Scan: scan,
  BatchGetItem: batchGetItem,
  BatchWriteItem: batchWriteItem,
  CreateTable: createTable,
  DescribeTable: describeTable,
  ListTables: listTables,
  DeleteTable: deleteTable,
};

export const DYNAMODB_OPERATIONS: readonly string[] = Object.keys(OPERATIONS);

export interface LocalDynamoDbOptions {
  region?: string;
  account?: string;
}

export class LocalDynamoDb {
  private readonly ctx: DdbContext;

  constructor(store: Store, clock: Clock, opts: LocalDynamoDbOptions = {}) {
    this.ctx = { tables: new TableCatalog(store, clock, opts.region ?? 'us-east-1', opts.account ?? '123456789012'), items: new ItemStore(store, clock), clock };
  }

  has(operation: string): boolean {
    return Object.hasOwn(OPERATIONS, operation);
  }

  /** Run an operation on a request body (which it may normalise in place: pass a copy). */
  call(operation: string, body: unknown): Promise<Response> {
    const op = Object.hasOwn(OPERATIONS, operation) ? OPERATIONS[operation] : undefined;
    if (!op) {
      return Promise.reject(new DynamoDbError('UnknownOperationException', `Stepwise does not implement the DynamoDB operation ${operation}; it implements ${DYNAMODB_OPERATIONS.join(', ')}`));
    }
    return Promise.resolve().then(() => op(this.ctx, asBody(body)));
  }
}
