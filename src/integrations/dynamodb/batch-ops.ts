/**
 * BatchGetItem (up to 100 keys) and BatchWriteItem (up to 25 puts and deletes). Every request is
 * checked before any is carried out; each write is atomic on its own item, the batch is not (as
 * in DynamoDB). Nothing is ever left unprocessed.
 */
import { constraintErrors, validation } from './errors.js';
import { compileExpressions } from './expressions/compile.js';
import { project } from './expressions/evaluate.js';
import { consumed, existingTable, readUnits, writeUnits, type DdbContext, type Response } from './context.js';
import { checkItemKey, checkKey } from './keys.js';
import { keysOf, type TableDoc } from './tables.js';
import { asBody, attributeMap, Constraints, optBoolean, optList, optObject, optString, placeholders, refuseLegacy, RETURN_CONSUMED_CAPACITY, type Body } from './request.js';
import { itemBytes, MAX_ITEM_BYTES, type AttributeMap } from './values.js';

function requestItems(body: Body): Body {
  const items = optObject(body, 'RequestItems');
  if (items === undefined) throw constraintErrors(["Value null at 'requestItems' failed to satisfy constraint: Member must not be null"]);
  if (Object.keys(items).length === 0) throw constraintErrors(["Value '{}' at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1"]);
  for (const name of Object.keys(items)) {
    const c = new Constraints({ TableName: name });
    c.tableName('TableName', 'requestItems.member.key');
    c.check();
  }
  return items;
}

export async function batchGetItem(ctx: DdbContext, body: Body): Promise<Response> {
  const c = new Constraints(body);
  const capacity = c.oneOf('ReturnConsumedCapacity', 'returnConsumedCapacity', RETURN_CONSUMED_CAPACITY);
  c.check();
  const requests = requestItems(body);
  const plan: { table: TableDoc; keys: AttributeMap[]; projection: ReturnType<typeof compileExpressions>['projection']; consistent: boolean }[] = [];
  let total = 0;
  for (const [name, value] of Object.entries(requests)) {
    const req = asBody(value);
    refuseLegacy(req, ['AttributesToGet']);
    const keyList = (optList(req, 'Keys') ?? []).map((k) => attributeMap({ k }, 'k') as AttributeMap);
    total += keyList.length;
    if (total > 100) throw validation('Too many items requested for the BatchGetItem call');
    const { projection } = compileExpressions({ ProjectionExpression: optString(req, 'ProjectionExpression'), ...placeholders(req) }, ['ProjectionExpression']);
    const table = await existingTable(ctx, name);
    const keys = keysOf(table);
    const seen = new Set<string>();
    for (const key of keyList) {
      checkKey(keys, key);
      const arn = ctx.items.arnOf(table, keys, key);
      if (seen.has(arn)) throw validation('Provided list of item keys contains duplicates');
      seen.add(arn);
    }
    plan.push({ table, keys: keyList, projection, consistent: optBoolean(req, 'ConsistentRead') ?? false });
  }
  const responses: Record<string, AttributeMap[]> = {};
  const capacities: Response[] = [];
  for (const p of plan) {
    const keys = keysOf(p.table);
    const found: AttributeMap[] = [];
    let bytes = 0;
    for (const key of p.keys) {
      const item = await ctx.items.get(ctx.items.arnOf(p.table, keys, key));
      if (!item) continue;
      bytes += itemBytes(item);
      found.push(p.projection ? project(item, p.projection) : item);
    }
    responses[p.table.TableName] = found;
    const cap = consumed(capacity, p.table.TableName, readUnits(bytes, p.consistent))['ConsumedCapacity'];
    if (cap) capacities.push(cap as Response);
  }
  return { Responses: responses, UnprocessedKeys: {}, ...(capacities.length ? { ConsumedCapacity: capacities } : {}) };
}

type Write = { table: TableDoc; arn: string } & ({ put: AttributeMap } | { delete: AttributeMap });

export async function batchWriteItem(ctx: DdbContext, body: Body): Promise<Response> {
  const c = new Constraints(body);
  const capacity = c.oneOf('ReturnConsumedCapacity', 'returnConsumedCapacity', RETURN_CONSUMED_CAPACITY);
  c.check();
  const requests = requestItems(body);
  const writes: Write[] = [];
  for (const [name, value] of Object.entries(requests)) {
    const list = Array.isArray(value) ? value : [];
    if (writes.length + list.length > 25) throw validation('Too many items requested for the BatchWriteItem call');
    const table = await existingTable(ctx, name);
    const keys = keysOf(table);
    const seen = new Set<string>();
    for (const entry of list) {
      const req = asBody(entry);
      const put = optObject(req, 'PutRequest');
      const del = optObject(req, 'DeleteRequest');
      if ((put === undefined) === (del === undefined)) {
        throw validation('Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes');
      }
      let write: Write;
      if (put) {
        const item = attributeMap(put, 'Item');
        if (!item) throw constraintErrors(["Value null at 'requestItems.member.value.member.putRequest.item' failed to satisfy constraint: Member must not be null"]);
        if (itemBytes(item) > MAX_ITEM_BYTES) throw validation('Item size has exceeded the maximum allowed size');
        checkItemKey(keys, item);
        write = { table, arn: ctx.items.arnOf(table, keys, item), put: item };
      } else {
        const key = attributeMap(del as Body, 'Key');
        if (!key) throw constraintErrors(["Value null at 'requestItems.member.value.member.deleteRequest.key' failed to satisfy constraint: Member must not be null"]);
        checkKey(keys, key);
        write = { table, arn: ctx.items.arnOf(table, keys, key), delete: key };
      }
      if (seen.has(write.arn)) throw validation('Provided list of item keys contains duplicates');
      seen.add(write.arn);
      writes.push(write);
    }
  }
  const units = new Map<string, number>();
  for (const w of writes) {
    const old = await ctx.items.modify(w.table, w.arn, (current) => ({ write: 'put' in w ? w.put : current ? null : 'keep', result: current }));
    const name = w.table.TableName;
    units.set(name, (units.get(name) ?? 0) + writeUnits('put' in w ? w.put : undefined, old));
  }
  const capacities = [...units].map(([name, n]) => consumed(capacity, name, n)['ConsumedCapacity']).filter((x) => x !== undefined);
  return { UnprocessedItems: {}, ...(capacities.length ? { ConsumedCapacity: capacities } : {}) };
}
