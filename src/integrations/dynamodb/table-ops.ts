/**
 * CreateTable, DescribeTable, ListTables and DeleteTable. Tables are ACTIVE as soon as they are
 * created (a local table has nothing to provision) and gone as soon as DeleteTable answers
 * DELETING. ItemCount and TableSizeBytes are exact (AWS refreshes them about every six hours).
 * Secondary indexes and streams are refused, not ignored.
 */
import { randomUUID } from 'node:crypto';
import { resourceInUse, tableNotFound, validation } from './errors.js';
import type { DdbContext, Response } from './context.js';
import type { AttributeDefinition, KeySchemaElement, TableDoc } from './tables.js';
import { asBody, Constraints, optBoolean, optInteger, optList, optObject, optString, type Body } from './request.js';
import { itemBytes, type AttributeMap } from './values.js';

export async function createTable(ctx: DdbContext, body: Body): Promise<Response> {
  const c = new Constraints(body);
  const name = c.tableName();
  c.notNull('KeySchema', 'keySchema');
  c.notNull('AttributeDefinitions', 'attributeDefinitions');
  const billing = c.oneOf('BillingMode', 'billingMode', ['PROVISIONED', 'PAY_PER_REQUEST'] as const) ?? 'PROVISIONED';
  c.check();
  for (const member of ['GlobalSecondaryIndexes', 'LocalSecondaryIndexes']) {
    if (optList(body, member) !== undefined) throw validation(`Stepwise does not support secondary indexes yet: ${member} cannot be created on local tables`);
  }
  if (optBoolean(optObject(body, 'StreamSpecification') ?? {}, 'StreamEnabled')) throw validation('Stepwise does not support DynamoDB Streams on local tables');
  const keySchema = (optList(body, 'KeySchema') ?? []).map((e) => asBody(e) as unknown as KeySchemaElement);
  const definitions = (optList(body, 'AttributeDefinitions') ?? []).map((e) => asBody(e) as unknown as AttributeDefinition);
  checkSchema(keySchema, definitions);
  const throughput = optObject(body, 'ProvisionedThroughput');
  const read = throughput ? optInteger(throughput, 'ReadCapacityUnits') : undefined;
  const write = throughput ? optInteger(throughput, 'WriteCapacityUnits') : undefined;
  if (billing === 'PAY_PER_REQUEST' && throughput) {
    throw validation('One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST');
  }
  if (billing === 'PROVISIONED' && (read === undefined || write === undefined)) {
    throw validation('One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED');
  }
  const doc: TableDoc = {
    TableName: name,
    TableId: randomUUID(),
    TableArn: ctx.tables.arnOf(name),
    KeySchema: keySchema.map((k) => ({ AttributeName: k.AttributeName, KeyType: k.KeyType })),
    AttributeDefinitions: definitions.map((d) => ({ AttributeName: d.AttributeName, AttributeType: d.AttributeType })),
    BillingMode: billing,
    ProvisionedThroughput: { ReadCapacityUnits: read ?? 0, WriteCapacityUnits: write ?? 0 },
    CreationDateTime: ctx.clock.now(),
    DeletionProtectionEnabled: optBoolean(body, 'DeletionProtectionEnabled') ?? false,
  };
  if (!(await ctx.tables.create(doc))) throw resourceInUse(`Table already exists: ${name}`);
  return { TableDescription: describe(doc, 'ACTIVE', 0, 0) };
}

function checkSchema(keySchema: KeySchemaElement[], definitions: AttributeDefinition[]): void {
  if (keySchema.length < 1 || keySchema.length > 2) {
    throw validation(`1 validation error detected: Value '${JSON.stringify(keySchema)}' at 'keySchema' failed to satisfy constraint: Member must have length ${keySchema.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 2'}`);
  }
  for (const d of definitions) {
    if (!['S', 'N', 'B'].includes(d.AttributeType)) {
      throw validation(`1 validation error detected: Value '${String(d.AttributeType)}' at 'attributeDefinitions.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]`);
    }
  }
  const defined = definitions.map((d) => d.AttributeName);
  const keys = keySchema.map((k) => k.AttributeName);
  if (keys.length > defined.length) throw validation('Invalid KeySchema: Some index key attribute have no definition');
  if (keys.some((k) => !defined.includes(k))) {
    throw validation(`One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [${keys.join(', ')}], AttributeDefinitions: [${defined.join(', ')}]`);
  }
  if (keys[0] === keys[1]) throw validation('Both the Hash Key and the Range Key element in the KeySchema have the same name');
  if (keySchema[0]?.KeyType !== 'HASH') throw validation('Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
  if (keySchema[1] && keySchema[1].KeyType !== 'RANGE') throw validation('Invalid KeySchema: The second KeySchemaElement is not a RANGE key type');
  if (keys.length !== defined.length) {
    throw validation('One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions');
  }
}

/** A TableDescription as DynamoDB answers it (dates in epoch seconds). */
export function describe(t: TableDoc, status: 'ACTIVE' | 'DELETING', itemCount: number, sizeBytes: number): Response {
  const created = t.CreationDateTime / 1000;
  return {
    AttributeDefinitions: t.AttributeDefinitions,
    TableName: t.TableName,
    KeySchema: t.KeySchema,
    TableStatus: status,
    CreationDateTime: created,
    ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: t.ProvisionedThroughput.ReadCapacityUnits, WriteCapacityUnits: t.ProvisionedThroughput.WriteCapacityUnits },
    TableSizeBytes: sizeBytes,
    ItemCount: itemCount,
    TableArn: t.TableArn,
    TableId: t.TableId,
    ...(t.BillingMode === 'PAY_PER_REQUEST' ? { BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST', LastUpdateToPayPerRequestDateTime: created } } : {}),
    DeletionProtectionEnabled: t.DeletionProtectionEnabled,
  };
}

async function namedTable(ctx: DdbContext, body: Body): Promise<TableDoc> {
  const c = new Constraints(body);
  const name = c.tableName();
  c.check();
  const table = await ctx.tables.get(name);
  if (!table) throw tableNotFound(`Table: ${name} not found`);
  return table;
}

async function sizeOfTable(ctx: DdbContext, table: TableDoc): Promise<{ count: number; bytes: number }> {
  let count = 0;
  let bytes = 0;
  let after: string | undefined;
  for (;;) {
    const page = await ctx.items.list(ctx.items.tablePrefix(table), after, 500);
    for (const r of page) {
      count++;
      bytes += itemBytes(r.doc as unknown as AttributeMap);
    }
    if (page.length < 500) return { count, bytes };
    after = page[page.length - 1]?.arn;
  }
}

export async function describeTable(ctx: DdbContext, body: Body): Promise<Response> {
  const table = await namedTable(ctx, body);
  const { count, bytes } = await sizeOfTable(ctx, table);
  return { Table: describe(table, 'ACTIVE', count, bytes) };
}

export async function deleteTable(ctx: DdbContext, body: Body): Promise<Response> {
  const table = await namedTable(ctx, body);
  if (table.DeletionProtectionEnabled) {
    throw validation('Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.');
  }
  const { count, bytes } = await sizeOfTable(ctx, table);
  if (!(await ctx.tables.remove(table.TableName))) throw tableNotFound(`Table: ${table.TableName} not found`);
  await ctx.items.deleteAll(table);
  return { TableDescription: describe(table, 'DELETING', count, bytes) };
}

export async function listTables(ctx: DdbContext, body: Body): Promise<Response> {
  const limit = optInteger(body, 'Limit') ?? 100;
  if (limit < 1 || limit > 100) {
    throw validation(`1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value ${limit < 1 ? 'greater than or equal to 1' : 'less than or equal to 100'}`);
  }
  const { names, more } = await ctx.tables.names(optString(body, 'ExclusiveStartTableName'), limit);
  return { TableNames: names, ...(more && names.length ? { LastEvaluatedTableName: names[names.length - 1] } : {}) };
}
