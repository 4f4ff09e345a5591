/**
 * A Query's KeyConditionExpression, checked against the table's key schema with AWS's messages:
 * equality on the partition key and at most one condition (=, <, <=, >, >=, BETWEEN,
 * begins_with) on the sort key.
 */
import { validation } from '../errors.js';
import type { TableKeys } from '../tables.js';
import type { AttributeValue } from '../values.js';
import type { Condition, Operand } from './ast.js';

export type RangeOp = '=' | '<' | '<=' | '>' | '>=' | 'BETWEEN' | 'begins_with';

export interface KeyRange {
  hash: AttributeValue;
  range?: { op: RangeOp; values: AttributeValue[] };
}

interface KeyTerm {
  attr: string;
  op: RangeOp;
  values: AttributeValue[];
}

const FLIPPED: Readonly<Record<string, RangeOp>> = { '=': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

export function keyRangeOf(cond: Condition, keys: TableKeys): KeyRange {
  const terms = new Map<string, KeyTerm>();
  for (const term of leaves(cond).map(termOf)) {
    if (terms.has(term.attr)) throw validation('KeyConditionExpressions must only contain one condition per key');
    terms.set(term.attr, term);
  }
  if (!keys.range && terms.size > 1) throw validation('Query key condition not supported');
  const hash = terms.get(keys.hash.name);
  if (!hash) throw validation(`Query condition missed key schema element: ${keys.hash.name}`);
  const range = keys.range ? terms.get(keys.range.name) : undefined;
  if (terms.size > 1 && !range) throw validation(`Query condition missed key schema element: ${keys.range?.name ?? keys.hash.name}`);
  const mismatch = validation('One or more parameter values were invalid: Condition parameter type does not match schema type');
  if (hash.values.some((v) => v[keys.hash.type] === undefined)) throw mismatch;
  if (hash.op !== '=') throw validation('Query key condition not supported');
  if (!range || !keys.range) return { hash: hash.values[0] as AttributeValue };
  const rangeType = keys.range.type;
  if (range.values.some((v) => v[rangeType] === undefined)) throw mismatch;
  if (range.op === 'begins_with' && rangeType === 'N') throw validation('Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N');
  return { hash: hash.values[0] as AttributeValue, range: { op: range.op, values: range.values } };
}

function leaves(c: Condition): Condition[] {
  if (c.kind === 'and') return [...leaves(c.left), ...leaves(c.right)];
  if (c.kind === 'or' || c.kind === 'not' || c.kind === 'in') throw validation(`Invalid operator used in KeyConditionExpression: ${c.kind.toUpperCase()}`);
  if (c.kind === 'compare' && c.op === '<>') throw validation('Invalid operator used in KeyConditionExpression: <>');
  if (c.kind === 'call' && c.name !== 'begins_with') throw validation(`Invalid operator used in KeyConditionExpression: ${c.name}`);
  return [c];
}

function termOf(c: Condition): KeyTerm {
  const operands: readonly Operand[] = c.kind === 'compare' ? [c.left, c.right] : c.kind === 'between' ? [c.subject, c.low, c.high] : c.kind === 'call' ? c.args : [];
  if (operands.some((o) => o.kind === 'call')) throw validation('KeyConditionExpressions cannot contain nested operations');
  if (c.kind === 'between' && c.subject.kind !== 'path') {
    throw validation('Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand');
  }
  if (c.kind === 'call' && c.args[0]?.kind !== 'path') {
    throw validation('Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand');
  }
  const paths = operands.filter((o) => o.kind === 'path');
  if (paths.length > 1) throw validation('Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition');
  const path = paths[0];
  if (!path) throw validation('Invalid condition in KeyConditionExpression: No key attribute specified');
  if (path.path.length > 1) throw validation('KeyConditionExpressions cannot have conditions on nested attributes');
  const attr = String(path.path[0]);
  const values = operands.filter((o) => o.kind === 'value').map((o) => o.value);
  if (c.kind === 'between') return { attr, op: 'BETWEEN', values };
  if (c.kind === 'call') return { attr, op: 'begins_with', values };
  const op = c.kind === 'compare' ? c.op : '=';
  return { attr, op: c.kind === 'compare' && c.left.kind !== 'path' ? (FLIPPED[op] as RangeOp) : (op as RangeOp), values };
}
