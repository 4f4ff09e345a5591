/**
 * Applying an UpdateExpression to an item. Every operand is read from the item as it was before
 * the update (AWS: actions do not see each other's effects); then SET, REMOVE, ADD and DELETE
 * change a copy. List elements that REMOVE takes out go last, highest index first, so that the
 * indexes of one expression all mean the original list.
 */
import { validation } from '../errors.js';
import { addDecimals, decimalProblem, formatDecimal, negate } from '../numbers.js';
import { decimalOf, typeOf, valuesEqual, type AttributeMap, type AttributeValue } from '../values.js';
import type { Operand, Path } from './ast.js';
import { resolvePath } from './evaluate.js';
import type { UpdateAction } from './update-parser.js';

const WRONG_TYPE = 'An operand in the update expression has an incorrect data type';
const BAD_PATH = 'The document path provided in the update expression is invalid for update';

export function applyUpdate(before: AttributeMap, actions: readonly UpdateAction[]): AttributeMap {
  const values = actions.map((a) => (a.kind === 'SET' ? setValue(before, a.value) : undefined));
  const item = structuredClone(before);
  const removals: { list: AttributeValue[]; index: number }[] = [];
  actions.forEach((a, i) => {
    const { container, last } = parentOf(item, a.path);
    const existing = typeof last === 'number' ? container.L?.[last] : container.M?.[last];
    switch (a.kind) {
      case 'SET':
        put(container, last, values[i] as AttributeValue);
        return;
      case 'REMOVE':
        if (typeof last === 'number') {
          if (container.L && last < container.L.length) removals.push({ list: container.L, index: last });
        } else if (container.M) delete container.M[last];
        return;
      case 'ADD':
        put(container, last, existing === undefined ? structuredClone(a.value) : added(existing, a.value));
        return;
      case 'DELETE': {
        if (existing === undefined) return;
        const remaining = without(existing, a.value);
        if (remaining === undefined) {
          if (typeof last === 'number') removals.push({ list: container.L as AttributeValue[], index: last });
          else delete container.M?.[last];
        } else put(container, last, remaining);
        return;
      }
    }
  });
  removals.sort((x, y) => y.index - x.index);
  for (const r of removals) r.list.splice(r.index, 1);
  return item;
}

/** The map or list holding the path's last element, which must exist and be of the right kind. */
function parentOf(item: AttributeMap, path: Path): { container: AttributeValue; last: string | number } {
  const last = path[path.length - 1] as string | number;
  const container = path.length === 1 ? { M: item } : resolvePath(item, path.slice(0, -1));
  if (container === undefined || (typeof last === 'number' ? container.L === undefined : container.M === undefined)) throw validation(BAD_PATH);
  return { container, last };
}

function put(container: AttributeValue, last: string | number, value: AttributeValue): void {
  if (typeof last === 'number') {
    const list = container.L as AttributeValue[];
    if (last >= list.length) list.push(value);
    else list[last] = value;
  } else (container.M as AttributeMap)[last] = value;
}

function setValue(item: AttributeMap, op: Operand): AttributeValue {
  switch (op.kind) {
    case 'value':
      return structuredClone(op.value);
    case 'path': {
      const v = resolvePath(item, op.path);
      if (v === undefined) throw validation('The provided expression refers to an attribute that does not exist in the item');
      return structuredClone(v);
    }
    case 'arith': {
      const a = setValue(item, op.left);
      const b = setValue(item, op.right);
      if (a.N === undefined || b.N === undefined) throw validation(WRONG_TYPE);
      return { N: checkedNumber(addDecimals(decimalOf(a.N), op.op === '+' ? decimalOf(b.N) : negate(decimalOf(b.N)))) };
    }
    case 'call': {
      const [first, second] = op.args as [Operand, Operand];
      if (op.name === 'if_not_exists') {
        const existing = first.kind === 'path' ? resolvePath(item, first.path) : undefined;
        return existing === undefined ? setValue(item, second) : structuredClone(existing);
      }
      const a = setValue(item, first);
      const b = setValue(item, second);
      if (a.L === undefined || b.L === undefined) throw validation(WRONG_TYPE);
      return { L: [...a.L, ...b.L] };
    }
  }
}

function checkedNumber(d: ReturnType<typeof addDecimals>): string {
  const problem = decimalProblem(d);
  if (problem) throw validation(problem);
  return formatDecimal(d);
}

/** ADD onto an existing value: a sum of numbers or a union of sets of one type. */
function added(existing: AttributeValue, value: AttributeValue): AttributeValue {
  const type = typeOf(value);
  if (typeOf(existing) !== type) throw validation(WRONG_TYPE);
  if (type === 'N') return { N: checkedNumber(addDecimals(decimalOf(existing.N as string), decimalOf(value.N as string))) };
  const set = type as 'SS' | 'NS' | 'BS';
  const union = [...(existing[set] as string[])];
  for (const e of value[set] as string[]) if (!union.some((x) => same(set, x, e))) union.push(e);
  return { [set]: union };
}

/** DELETE from a set: what remains, or undefined when nothing does. */
function without(existing: AttributeValue, value: AttributeValue): AttributeValue | undefined {
  const type = typeOf(value) as 'SS' | 'NS' | 'BS';
  if (typeOf(existing) !== type) throw validation(WRONG_TYPE);
  const remaining = (existing[type] as string[]).filter((x) => !(value[type] as string[]).some((e) => same(type, x, e)));
  return remaining.length === 0 ? undefined : { [type]: remaining };
}

function same(set: 'SS' | 'NS' | 'BS', a: string, b: string): boolean {
  return set === 'NS' ? valuesEqual({ N: a }, { N: b }) : a === b;
}
