/**
 * Evaluating parsed expressions against an item: document paths, operands, conditions (a
 * missing attribute makes a comparison false, as in DynamoDB) and projections (list elements a
 * projection picks close up into a shorter list, in index order).
 */
import { beginsWith, compareScalars, sizeOf, typeOf, valuesEqual, type AttributeMap, type AttributeValue } from '../values.js';
import type { Condition, Operand, Path } from './ast.js';

export function resolvePath(item: AttributeMap, path: Path): AttributeValue | undefined {
  let current: AttributeValue | undefined = { M: item };
  for (const p of path) {
    if (current === undefined) return undefined;
    if (typeof p === 'number') current = current.L?.[p];
    else current = current.M !== undefined && Object.hasOwn(current.M, p) ? current.M[p] : undefined;
  }
  return current;
}

/** An operand's value in a condition (size() included), or undefined when it does not exist. */
export function operandValue(item: AttributeMap, op: Operand): AttributeValue | undefined {
  switch (op.kind) {
    case 'path':
      return resolvePath(item, op.path);
    case 'value':
      return op.value;
    case 'call': {
      if (op.name !== 'size' || !op.args[0]) return undefined;
      const v = operandValue(item, op.args[0]);
      const n = v === undefined ? undefined : sizeOf(v);
      return n === undefined ? undefined : { N: String(n) };
    }
    case 'arith':
      return undefined;
  }
}

export function evaluateCondition(item: AttributeMap, c: Condition): boolean {
  switch (c.kind) {
    case 'and':
      return evaluateCondition(item, c.left) && evaluateCondition(item, c.right);
    case 'or':
      return evaluateCondition(item, c.left) || evaluateCondition(item, c.right);
    case 'not':
      return !evaluateCondition(item, c.cond);
    case 'compare': {
      const a = operandValue(item, c.left);
      const b = operandValue(item, c.right);
      if (c.op === '<>') return a === undefined || b === undefined || !valuesEqual(a, b);
      if (a === undefined || b === undefined) return false;
      if (c.op === '=') return valuesEqual(a, b);
      const order = compareScalars(a, b);
      if (order === undefined) return false;
      return c.op === '<' ? order < 0 : c.op === '<=' ? order <= 0 : c.op === '>' ? order > 0 : order >= 0;
    }
    case 'between': {
      const v = operandValue(item, c.subject);
      const low = operandValue(item, c.low);
      const high = operandValue(item, c.high);
      if (v === undefined || low === undefined || high === undefined) return false;
      const a = compareScalars(v, low);
      const b = compareScalars(v, high);
      return a !== undefined && b !== undefined && a >= 0 && b <= 0;
    }
    case 'in': {
      const v = operandValue(item, c.subject);
      if (v === undefined) return false;
      return c.list.some((op) => {
        const x = operandValue(item, op);
        return x !== undefined && valuesEqual(v, x);
      });
    }
    case 'call':
      return evaluateFunction(item, c.name, c.args);
  }
}

function evaluateFunction(item: AttributeMap, name: string, args: readonly Operand[]): boolean {
  const [first, second] = args.map((a) => operandValue(item, a));
  switch (name) {
    case 'attribute_exists':
      return first !== undefined;
    case 'attribute_not_exists':
      return first === undefined;
    case 'attribute_type':
      return first !== undefined && second?.S === typeOf(first);
    case 'begins_with':
      return first !== undefined && second !== undefined && beginsWith(first, second);
    case 'contains':
      return first !== undefined && second !== undefined && contains(first, second);
    default:
      return false;
  }
}

function contains(haystack: AttributeValue, needle: AttributeValue): boolean {
  switch (typeOf(haystack)) {
    case 'S':
      return needle.S !== undefined && (haystack.S as string).includes(needle.S);
    case 'B':
      return needle.B !== undefined && Buffer.from(haystack.B as string, 'base64').includes(Buffer.from(needle.B, 'base64'));
    case 'SS':
      return needle.S !== undefined && (haystack.SS as string[]).includes(needle.S);
    case 'NS':
      return needle.N !== undefined && (haystack.NS as string[]).some((n) => valuesEqual({ N: n }, needle));
    case 'BS':
      return needle.B !== undefined && (haystack.BS as string[]).includes(needle.B);
    case 'L':
      return (haystack.L as AttributeValue[]).some((e) => valuesEqual(e, needle));
    default:
      return false;
  }
}

/** The parts of `item` that `paths` name. */
export function project(item: AttributeMap, paths: readonly Path[]): AttributeMap {
  const root: AttributeValue = { M: {} };
  const sparse = new Set<AttributeValue[]>();
  for (const path of paths) {
    const v = resolvePath(item, path);
    if (v === undefined) continue;
    let node = root;
    path.forEach((p, i) => {
      const last = i === path.length - 1;
      const next = path[i + 1];
      const fresh = (): AttributeValue => (typeof next === 'number' ? { L: [] } : { M: {} });
      if (typeof p === 'number') {
        const list = (node.L ??= []);
        sparse.add(list);
        if (last) list[p] = structuredClone(v);
        else node = list[p] ??= fresh();
      } else {
        const map = (node.M ??= {});
        if (last) map[p] = structuredClone(v);
        else node = map[p] ??= fresh();
      }
    });
  }
  for (const list of sparse) {
    const dense = list.filter((e) => e !== undefined);
    list.length = 0;
    list.push(...dense);
  }
  return root.M as AttributeMap;
}
