/** GetItem, PutItem, UpdateItem and DeleteItem: one item, with conditions and ReturnValues. */
import { conditionalCheckFailed, validation } from './errors.js';
import { compileExpressions } from './expressions/compile.js';
import { evaluateCondition, project } from './expressions/evaluate.js';
import { applyUpdate } from './expressions/apply-update.js';
import type { Condition, Path } from './expressions/ast.js';
import { consumed, existingTable, readUnits, writeUnits, type DdbContext, type Response } from './context.js';
import { checkItemKey, checkKey, isKeyAttribute } from './keys.js';
import { keysOf } from './tables.js';
import {
  attributeMap,
  Constraints,
  optBoolean,
  optString,
  placeholders,
  refuseLegacy,
  RETURN_CONSUMED_CAPACITY,
  RETURN_ON_CONDITION_FAILURE,
  RETURN_VALUES,
  type Body,
} from './request.js';
import { itemBytes, MAX_ITEM_BYTES, type AttributeMap } from './values.js';

export async function getItem(ctx: DdbContext, body: Body): Promise<Response> {
  const c = new Constraints(body);
  const tableName = c.tableName();
  c.notNull('Key', 'key');
  const capacity = c.oneOf('ReturnConsumedCapacity', 'returnConsumedCapacity', RETURN_CONSUMED_CAPACITY);
  c.check();
  refuseLegacy(body, ['AttributesToGet']);
  const key = attributeMap(body, 'Key') as AttributeMap;
  const consistent = optBoolean(body, 'ConsistentRead') ?? false;
  const { projection } = compileExpressions({ ProjectionExpression: optString(body, 'ProjectionExpression'), ...placeholders(body) }, ['ProjectionExpression']);
  const table = await existingTable(ctx, tableName);
  const keys = keysOf(table);
  checkKey(keys, key);
  const item = await ctx.items.get(ctx.items.arnOf(table, keys, key));
  return {
    ...(item ? { Item: projection ? project(item, projection) : item } : {}),
    ...consumed(capacity, tableName, readUnits(item ? itemBytes(item) : 0, consistent)),
  };
}

/** A condition's verdict on the current item; on failure, the old item when asked for. */
function checkCondition(condition: Condition | undefined, current: AttributeMap | undefined, onFailure: string | undefined): void {
  if (!condition || evaluateCondition(current ?? {}, condition)) return;
  throw conditionalCheckFailed(onFailure === 'ALL_OLD' ? current : undefined);
}

interface WriteOptions {
  tableName: string;
  returnValues: string | undefined;
  onFailure: string | undefined;
  capacity: string | undefined;
}

function writeOptions(c: Constraints): WriteOptions {
  const tableName = c.tableName();
  return {
    tableName,
    returnValues: c.oneOf('ReturnValues', 'returnValues', RETURN_VALUES),
    onFailure: c.oneOf('ReturnValuesOnConditionCheckFailure', 'returnValuesOnConditionCheckFailure', RETURN_ON_CONDITION_FAILURE),
    capacity: c.oneOf('ReturnConsumedCapacity', 'returnConsumedCapacity', RETURN_CONSUMED_CAPACITY),
  };
}

export async function putItem(ctx: DdbContext, body: Body): Promise<Response> {
  const c = new Constraints(body);
  const opts = writeOptions(c);
  c.notNull('Item', 'item');
  c.check();
  refuseLegacy(body, ['Expected', 'ConditionalOperator']);
  const item = attributeMap(body, 'Item') as AttributeMap;
  const { condition } = compileExpressions({ ConditionExpression: optString(body, 'ConditionExpression'), ...placeholders(body) }, ['ConditionExpression']);
  if (opts.returnValues !== undefined && opts.returnValues !== 'NONE' && opts.returnValues !== 'ALL_OLD') throw validation('ReturnValues can only be ALL_OLD or NONE');
  if (itemBytes(item) > MAX_ITEM_BYTES) throw validation('Item size has exceeded the maximum allowed size');
  const table = await existingTable(ctx, opts.tableName);
  const keys = keysOf(table);
  checkItemKey(keys, item);
  const old = await ctx.items.modify(table, ctx.items.arnOf(table, keys, item), (current) => {
    checkCondition(condition, current, opts.onFailure);
    return { write: item, result: current };
  });
  return {
    ...(opts.returnValues === 'ALL_OLD' && old ? { Attributes: old } : {}),
    ...consumed(opts.capacity, opts.tableName, writeUnits(item, old)),
  };
}

export async function deleteItem(ctx: DdbContext, body: Body): Promise<Response> {
  const c = new Constraints(body);
  const opts = writeOptions(c);
  c.notNull('Key', 'key');
  c.check();
  refuseLegacy(body, ['Expected', 'ConditionalOperator']);
  const key = attributeMap(body, 'Key') as AttributeMap;
  const { condition } = compileExpressions({ ConditionExpression: optString(body, 'ConditionExpression'), ...placeholders(body) }, ['ConditionExpression']);
  if (opts.returnValues !== undefined && opts.returnValues !== 'NONE' && opts.returnValues !== 'ALL_OLD') throw validation('ReturnValues can only be ALL_OLD or NONE');
  const table = await existingTable(ctx, opts.tableName);
  const keys = keysOf(table);
  checkKey(keys, key);
  const old = await ctx.items.modify(table, ctx.items.arnOf(table, keys, key), (current) => {
    checkCondition(condition, current, opts.onFailure);
    return { write: current ? null : 'keep', result: current };
  });
  return {
    ...(opts.returnValues === 'ALL_OLD' && old ? { Attributes: old } : {}),
    ...consumed(opts.capacity, opts.tableName, writeUnits(old)),
  };
}

export async function updateItem(ctx: DdbContext, body: Body): Promise<Response> {
  const c = new Constraints(body);
  const opts = writeOptions(c);
  c.notNull('Key', 'key');
  c.check();
  refuseLegacy(body, ['AttributeUpdates', 'Expected', 'ConditionalOperator']);
  const key = attributeMap(body, 'Key') as AttributeMap;
  const { update, condition } = compileExpressions(
    { UpdateExpression: optString(body, 'UpdateExpression'), ConditionExpression: optString(body, 'ConditionExpression'), ...placeholders(body) },
    ['UpdateExpression', 'ConditionExpression'],
  );
  const table = await existingTable(ctx, opts.tableName);
  const keys = keysOf(table);
  checkKey(keys, key);
  const actions = update ?? [];
  for (const a of actions) {
    const head = a.path[0];
    if (typeof head !== 'string' || !isKeyAttribute(keys, head)) continue;
    if (a.path.length > 1) throw validation(`Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: ${head}`);
    throw validation(`One or more parameter values were invalid: Cannot update attribute ${head}. This attribute is part of the key`);
  }
  const paths = actions.map((a) => a.path);
  const { old, next } = await ctx.items.modify(table, ctx.items.arnOf(table, keys, key), (current) => {
    checkCondition(condition, current, opts.onFailure);
    const updated = applyUpdate(current ?? key, actions);
    if (itemBytes(updated) > MAX_ITEM_BYTES) throw validation('Item size to update has exceeded the maximum allowed size');
    return { write: updated, result: { old: current, next: updated } };
  });
  return { ...returned(opts.returnValues, old, next, paths), ...consumed(opts.capacity, opts.tableName, writeUnits(old, next)) };
}

function returned(mode: string | undefined, old: AttributeMap | undefined, next: AttributeMap, paths: Path[]): Response {
  let attributes: AttributeMap | undefined;
  if (mode === 'ALL_OLD') attributes = old;
  else if (mode === 'ALL_NEW') attributes = next;
  else if (mode === 'UPDATED_OLD') attributes = old ? project(old, paths) : undefined;
  else if (mode === 'UPDATED_NEW') attributes = project(next, paths);
  return attributes && Object.keys(attributes).length > 0 ? { Attributes: attributes } : {};
}
