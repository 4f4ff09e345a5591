/**
 * Query and Scan. A Query walks one partition (an ARN prefix, in sort key order) from its lower
 * bound and stops past its upper bound; a Scan walks the table. Limit counts the items read
 * before the FilterExpression, a page also ends at 1 MB, and LastEvaluatedKey is the key of the
 * last item read whenever a page ended so (as DynamoDB reports it). A backward Query reads its
 * whole key range, then pages through it from the end.
 */
import { validation } from './errors.js';
import type { Condition, Operand, Path } from './expressions/ast.js';
import { compileExpressions } from './expressions/compile.js';
import { evaluateCondition, project } from './expressions/evaluate.js';
import { keyRangeOf, type KeyRange } from './expressions/key-condition.js';
import { consumed, existingTable, readUnits, type DdbContext, type Response } from './context.js';
import { encodeKeyValue } from './key-codec.js';
import { checkKey, keyOf } from './keys.js';
import { keysOf, type TableDoc, type TableKeys } from './tables.js';
import { attributeMap, Constraints, optBoolean, optInteger, optString, placeholders, refuseLegacy, RETURN_CONSUMED_CAPACITY, SELECT, type Body } from './request.js';
import { beginsWith, compareScalars, itemBytes, type AttributeMap, type AttributeValue } from './values.js';

const PAGE_BYTES = 1024 * 1024;
const BATCH = 200;
const BAD_START_KEY = 'The provided starting key is invalid: The provided key element does not match the schema';

interface ReadRequest {
  tableName: string;
  select: string | undefined;
  limit: number | undefined;
  capacity: string | undefined;
  consistent: boolean;
  startKey: AttributeMap | undefined;
  filter: Condition | undefined;
  projection: Path[] | undefined;
}

function readRequest(body: Body, c: Constraints): Omit<ReadRequest, 'filter' | 'projection'> {
  const tableName = c.tableName();
  const select = c.oneOf('Select', 'select', SELECT);
  const limit = c.limit();
  const capacity = c.oneOf('ReturnConsumedCapacity', 'returnConsumedCapacity', RETURN_CONSUMED_CAPACITY);
  c.check();
  const startKey = attributeMap(body, 'ExclusiveStartKey');
  return { tableName, select, limit, capacity, consistent: optBoolean(body, 'ConsistentRead') ?? false, startKey };
}

async function tableWithoutIndex(ctx: DdbContext, body: Body, tableName: string): Promise<TableDoc> {
  const table = await existingTable(ctx, tableName);
  const index = optString(body, 'IndexName');
  if (index !== undefined) throw validation(`The table does not have the specified index: ${index}`);
  return table;
}

export async function query(ctx: DdbContext, body: Body): Promise<Response> {
  const req = readRequest(body, new Constraints(body));
  refuseLegacy(body, ['KeyConditions', 'QueryFilter', 'AttributesToGet', 'ConditionalOperator']);
  const keyExpression = optString(body, 'KeyConditionExpression');
  if (keyExpression === undefined) throw validation('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
  const compiled = compileExpressions(
    { KeyConditionExpression: keyExpression, FilterExpression: optString(body, 'FilterExpression'), ProjectionExpression: optString(body, 'ProjectionExpression'), ...placeholders(body) },
    ['ProjectionExpression', 'FilterExpression', 'KeyConditionExpression'],
  );
  const table = await tableWithoutIndex(ctx, body, req.tableName);
  const keys = keysOf(table);
  const range = keyRangeOf(compiled.keyCondition as Condition, keys);
  if (compiled.filter) {
    for (const head of pathHeads(compiled.filter)) {
      if (head === keys.hash.name || head === keys.range?.name) throw validation(`Filter Expression can only contain non-primary key attributes: Primary key attribute: ${head}`);
    }
  }
  if (req.startKey) {
    checkKey(keys, req.startKey, BAD_START_KEY);
    if (compareScalars(req.startKey[keys.hash.name] as AttributeValue, range.hash) !== 0) {
      throw validation('The provided starting key is outside query boundaries based on provided conditions');
    }
  }
  const forward = optBoolean(body, 'ScanIndexForward') ?? true;
  const walk = forward ? walkForward(ctx, table, keys, range, req.startKey) : walkBackward(ctx, table, keys, range, req.startKey);
  return page(walk, keys, { ...req, filter: compiled.filter, projection: compiled.projection });
}

export async function scan(ctx: DdbContext, body: Body): Promise<Response> {
  const c = new Constraints(body);
  const req = readRequest(body, c);
  refuseLegacy(body, ['ScanFilter', 'AttributesToGet', 'ConditionalOperator']);
  const segment = optInteger(body, 'Segment');
  const total = optInteger(body, 'TotalSegments');
  if (segment !== undefined && total === undefined) throw validation('The TotalSegments parameter is required but was not present in the request when Segment parameter is present');
  if (total !== undefined && segment === undefined) throw validation('The Segment parameter is required but was not present in the request when parameter TotalSegments is present');
  if (segment !== undefined && total !== undefined && segment >= total) {
    throw validation(`The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: ${segment} is not less than TotalSegments: ${total}`);
  }
  const compiled = compileExpressions(
    { FilterExpression: optString(body, 'FilterExpression'), ProjectionExpression: optString(body, 'ProjectionExpression'), ...placeholders(body) },
    ['ProjectionExpression', 'FilterExpression'],
  );
  const table = await tableWithoutIndex(ctx, body, req.tableName);
  const keys = keysOf(table);
  if (req.startKey) checkKey(keys, req.startKey, BAD_START_KEY);
  const after = req.startKey ? ctx.items.arnOf(table, keys, req.startKey) : undefined;
  let walk = walkPrefix(ctx, ctx.items.tablePrefix(table), after);
  if (segment !== undefined && total !== undefined) walk = inSegment(walk, table, segment, total);
  return page(walk, keys, { ...req, filter: compiled.filter, projection: compiled.projection });
}

async function* walkPrefix(ctx: DdbContext, prefix: string, after: string | undefined): AsyncGenerator<AttributeMap> {
  let cursor = after;
  for (;;) {
    const recs = await ctx.items.list(prefix, cursor, BATCH);
    for (const r of recs) yield r.doc as unknown as AttributeMap;
    if (recs.length < BATCH) return;
    cursor = (recs[recs.length - 1] as { arn: string }).arn;
  }
}

/** Parallel scan: an item's segment follows from its partition key, so a partition stays in one segment. */
async function* inSegment(walk: AsyncGenerator<AttributeMap>, table: TableDoc, segment: number, total: number): AsyncGenerator<AttributeMap> {
  const keys = keysOf(table);
  for await (const item of walk) {
    const code = encodeKeyValue(keys.hash.type, item[keys.hash.name] as AttributeValue);
    let h = 0;
    for (let i = 0; i < code.length; i++) h = (h * 31 + code.charCodeAt(i)) >>> 0;
    if (h % total === segment) yield item;
  }
}

/** The greatest ARN below `arn` that an item ARN (ASCII) can have: makes an exclusive cursor inclusive. */
function justBefore(arn: string): string {
  return `${arn.slice(0, -1)}${String.fromCharCode(arn.charCodeAt(arn.length - 1) - 1)}\u{10FFFF}`;
}

function sortKeyMatches(item: AttributeMap, keys: TableKeys, range: KeyRange): { inRange: boolean; past: boolean } {
  if (!range.range || !keys.range) return { inRange: true, past: false };
  const v = item[keys.range.name] as AttributeValue;
  const [a, b] = range.range.values as [AttributeValue, AttributeValue];
  const cmp = (x: AttributeValue) => compareScalars(v, x) ?? 0;
  switch (range.range.op) {
    case '=':
      return { inRange: cmp(a) === 0, past: cmp(a) > 0 };
    case '<':
      return { inRange: cmp(a) < 0, past: cmp(a) >= 0 };
    case '<=':
      return { inRange: cmp(a) <= 0, past: cmp(a) > 0 };
    case '>':
      return { inRange: cmp(a) > 0, past: false };
    case '>=':
      return { inRange: cmp(a) >= 0, past: false };
    case 'BETWEEN':
      return { inRange: cmp(a) >= 0 && cmp(b) <= 0, past: cmp(b) > 0 };
    case 'begins_with':
      return { inRange: beginsWith(v, a), past: false };
  }
}

async function* walkForward(ctx: DdbContext, table: TableDoc, keys: TableKeys, range: KeyRange, startKey: AttributeMap | undefined): AsyncGenerator<AttributeMap> {
  let prefix = ctx.items.partitionPrefix(table, keys, range.hash);
  let after = startKey ? ctx.items.arnOf(table, keys, startKey) : undefined;
  const r = range.range;
  if (r && keys.range && !after) {
    const low = prefix + encodeKeyValue(keys.range.type, r.values[0] as AttributeValue);
    if (r.op === '>') after = low;
    else if (r.op === '>=' || r.op === '=' || r.op === 'BETWEEN') after = justBefore(low);
    else if (r.op === 'begins_with') prefix = low;
  } else if (r?.op === 'begins_with' && keys.range) prefix += encodeKeyValue(keys.range.type, r.values[0] as AttributeValue);
  for await (const item of walkPrefix(ctx, prefix, after)) {
    const { inRange, past } = sortKeyMatches(item, keys, range);
    if (past) return;
    if (inRange) yield item;
  }
}

async function* walkBackward(ctx: DdbContext, table: TableDoc, keys: TableKeys, range: KeyRange, startKey: AttributeMap | undefined): AsyncGenerator<AttributeMap> {
  const all: AttributeMap[] = [];
  for await (const item of walkForward(ctx, table, keys, range, undefined)) all.push(item);
  all.reverse();
  let i = 0;
  if (startKey && keys.range) {
    const start = startKey[keys.range.name] as AttributeValue;
    while (i < all.length && (compareScalars((all[i] as AttributeMap)[keys.range.name] as AttributeValue, start) ?? 0) >= 0) i++;
  }
  for (; i < all.length; i++) yield all[i] as AttributeMap;
}

async function page(walk: AsyncGenerator<AttributeMap>, keys: TableKeys, req: ReadRequest): Promise<Response> {
  const items: AttributeMap[] = [];
  let scanned = 0;
  let bytes = 0;
  let last: AttributeMap | undefined;
  let cut = false;
  for await (const item of walk) {
    scanned++;
    bytes += itemBytes(item);
    last = item;
    if (!req.filter || evaluateCondition(item, req.filter)) items.push(req.projection ? project(item, req.projection) : item);
    if ((req.limit !== undefined && scanned >= req.limit) || bytes >= PAGE_BYTES) {
      cut = true;
      break;
    }
  }
  await walk.return(undefined);
  return {
    ...(req.select === 'COUNT' ? {} : { Items: items }),
    Count: items.length,
    ScannedCount: scanned,
    ...(cut && last ? { LastEvaluatedKey: keyOf(keys, last) } : {}),
    ...consumed(req.capacity, req.tableName, readUnits(bytes, req.consistent)),
  };
}

function pathHeads(c: Condition): string[] {
  const heads: string[] = [];
  const visit = (o: Operand): void => {
    if (o.kind === 'path' && typeof o.path[0] === 'string') heads.push(o.path[0]);
    if (o.kind === 'call') o.args.forEach(visit);
  };
  const walk = (x: Condition): void => {
    switch (x.kind) {
      case 'and':
      case 'or':
        return [x.left, x.right].forEach(walk);
      case 'not':
        return walk(x.cond);
      case 'compare':
        return [x.left, x.right].forEach(visit);
      case 'between':
        return [x.subject, x.low, x.high].forEach(visit);
      case 'in':
        return [x.subject, ...x.list].forEach(visit);
      case 'call':
        return x.args.forEach(visit);
    }
  };
  walk(c);
  return heads;
}
