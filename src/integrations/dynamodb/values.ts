/**
 * DynamoDB JSON attribute values (`{"S": ...}`, `N`, `B`, `BOOL`, `NULL`, `M`, `L`, `SS`, `NS`,
 * `BS`): AWS's validation of request values (with its messages), number normalisation, equality,
 * ordering (strings and binaries by their bytes, numbers by value) and the item size that the
 * 400 KB limit counts.
 */
import { compareDecimals, decimalProblem, formatDecimal, parseDecimal, type Decimal } from './numbers.js';

export interface AttributeValue {
  S?: string;
  N?: string;
  B?: string;
  BOOL?: boolean;
  NULL?: boolean;
  M?: AttributeMap;
  L?: AttributeValue[];
  SS?: string[];
  NS?: string[];
  BS?: string[];
}
export type AttributeMap = { [name: string]: AttributeValue };

export const TYPES = ['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS'] as const;
export type TypeName = (typeof TYPES)[number];

/** The one data type a (validated) value holds. */
export function typeOf(v: AttributeValue): TypeName {
  for (const t of TYPES) if (v[t] !== undefined) return t;
  return 'NULL';
}

/** DynamoDB's limit on one item (400 KB). */
export const MAX_ITEM_BYTES = 400 * 1024;

/**
 * Validate a value from a request, normalising its numbers in place (DynamoDB keeps and returns
 * the normal form). Returns AWS's message when the value is refused.
 */
export function checkValue(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes';
  const v = value as Record<string, unknown>;
  const types = Object.keys(v).filter((k) => v[k] !== null && v[k] !== undefined);
  if (types.length === 0) return 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes';
  for (const type of types) {
    const problem = checkTyped(type, v);
    if (problem) return problem;
  }
  if (types.length > 1) return 'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes';
  return undefined;
}

function checkTyped(type: string, v: Record<string, unknown>): string | undefined {
  const x = v[type];
  switch (type) {
    case 'S':
    case 'B':
      return typeof x === 'string' ? undefined : `Unexpected value type for ${type}`;
    case 'BOOL':
      return typeof x === 'boolean' ? undefined : 'Unexpected value type for BOOL';
    case 'NULL':
      // AWS now accepts NULL: false and stores it as NULL: true.
      if (typeof x !== 'boolean') return 'Unexpected value type for NULL';
      v[type] = true;
      return undefined;
    case 'N': {
      if (typeof x !== 'string') return 'The parameter cannot be converted to a numeric value';
      const { text, problem } = normaliseNumber(x);
      if (problem) return problem;
      v[type] = text;
      return undefined;
    }
    case 'SS':
    case 'NS':
    case 'BS':
      return checkSet(type, v);
    case 'M': {
      if (typeof x !== 'object' || x === null || Array.isArray(x)) return 'Unexpected value type for M';
      for (const child of Object.values(x)) {
        const problem = checkValue(child);
        if (problem) return problem;
      }
      return undefined;
    }
    case 'L': {
      if (!Array.isArray(x)) return 'Unexpected value type for L';
      for (const child of x) {
        const problem = checkValue(child);
        if (problem) return problem;
      }
      return undefined;
    }
    default:
      return `Supplied AttributeValue has an unknown datatype: ${type}`;
  }
}

function checkSet(type: 'SS' | 'NS' | 'BS', v: Record<string, unknown>): string | undefined {
  const x = v[type];
  if (!Array.isArray(x) || x.some((e) => typeof e !== 'string')) return `Unexpected value type for ${type}`;
  const list = x as string[];
  if (list.length === 0) {
    if (type === 'SS') return 'One or more parameter values were invalid: An string set  may not be empty';
    if (type === 'NS') return 'One or more parameter values were invalid: An number set  may not be empty';
    return 'One or more parameter values were invalid: Binary sets should not be empty';
  }
  if (type === 'NS') {
    for (let i = 0; i < list.length; i++) {
      const { text, problem } = normaliseNumber(list[i] as string);
      if (problem) return problem;
      list[i] = text;
    }
  }
  if (new Set(list).size !== list.length) {
    if (type === 'NS') return 'Input collection contains duplicates';
    if (type === 'SS') return `One or more parameter values were invalid: Input collection [${list.join(', ')}] contains duplicates.`;
    return `One or more parameter values were invalid: Input collection [${list.join(', ')}]of type BS contains duplicates.`;
  }
  return undefined;
}

function normaliseNumber(text: string): { text: string; problem?: string } {
  if (text === '') return { text, problem: 'The parameter cannot be converted to a numeric value' };
  const d = parseDecimal(text);
  if (!d) return { text, problem: `The parameter cannot be converted to a numeric value: ${text}` };
  const problem = decimalProblem(d);
  return problem ? { text, problem } : { text: formatDecimal(d) };
}

/** The decimal of a stored (normalised) `N`. */
export function decimalOf(n: string): Decimal {
  return parseDecimal(n) ?? { sign: 0, digits: '', exp: 0 };
}

function bytesOf(v: AttributeValue, type: 'S' | 'B'): Buffer {
  return type === 'S' ? Buffer.from(v.S ?? '', 'utf8') : Buffer.from(v.B ?? '', 'base64');
}

/** Ordering of two scalars of the same type (S, N or B), as DynamoDB sorts and compares them. */
export function compareScalars(a: AttributeValue, b: AttributeValue): number | undefined {
  const type = typeOf(a);
  if (type !== typeOf(b)) return undefined;
  if (type === 'N') return compareDecimals(decimalOf(a.N as string), decimalOf(b.N as string));
  if (type === 'S' || type === 'B') return Buffer.compare(bytesOf(a, type), bytesOf(b, type));
  return undefined;
}

export function valuesEqual(a: AttributeValue, b: AttributeValue): boolean {
  const type = typeOf(a);
  if (type !== typeOf(b)) return false;
  switch (type) {
    case 'S':
    case 'N':
    case 'B':
      return compareScalars(a, b) === 0;
    case 'BOOL':
      return a.BOOL === b.BOOL;
    case 'NULL':
      return true;
    case 'SS':
    case 'NS':
    case 'BS': {
      const x = a[type] as string[];
      const y = new Set(b[type] as string[]);
      return x.length === y.size && x.every((e) => y.has(e));
    }
    case 'L': {
      const x = a.L as AttributeValue[];
      const y = b.L as AttributeValue[];
      return x.length === y.length && x.every((e, i) => valuesEqual(e, y[i] as AttributeValue));
    }
    case 'M': {
      const x = a.M as AttributeMap;
      const y = b.M as AttributeMap;
      const keys = Object.keys(x);
      return keys.length === Object.keys(y).length && keys.every((k) => y[k] !== undefined && valuesEqual(x[k] as AttributeValue, y[k] as AttributeValue));
    }
  }
}

/** Whether `b` (bytes of a string or binary) starts `a`. */
export function beginsWith(a: AttributeValue, b: AttributeValue): boolean {
  const type = typeOf(a);
  if ((type !== 'S' && type !== 'B') || typeOf(b) !== type) return false;
  const x = bytesOf(a, type);
  const y = bytesOf(b, type);
  return y.length <= x.length && x.subarray(0, y.length).equals(y);
}

/** The size DynamoDB's `size()` function reports, or undefined for types without one. */
export function sizeOf(v: AttributeValue): number | undefined {
  switch (typeOf(v)) {
    case 'S':
      return (v.S as string).length;
    case 'B':
      return Buffer.from(v.B as string, 'base64').length;
    case 'SS':
    case 'NS':
    case 'BS':
      return (v.SS ?? v.NS ?? v.BS ?? []).length;
    case 'L':
      return (v.L as AttributeValue[]).length;
    case 'M':
      return Object.keys(v.M as AttributeMap).length;
    default:
      return undefined;
  }
}

/** An item's size as DynamoDB counts it against the 400 KB limit (names plus values, UTF-8). */
export function itemBytes(item: AttributeMap): number {
  let n = 0;
  for (const [name, v] of Object.entries(item)) n += Buffer.byteLength(name, 'utf8') + valueBytes(v);
  return n;
}

function valueBytes(v: AttributeValue): number {
  switch (typeOf(v)) {
    case 'S':
      return Buffer.byteLength(v.S as string, 'utf8');
    case 'B':
      return Buffer.from(v.B as string, 'base64').length;
    case 'N':
      return numberBytes(v.N as string);
    case 'SS':
      return (v.SS as string[]).reduce((s, e) => s + Buffer.byteLength(e, 'utf8'), 0);
    case 'NS':
      return (v.NS as string[]).reduce((s, e) => s + numberBytes(e), 0);
    case 'BS':
      return (v.BS as string[]).reduce((s, e) => s + Buffer.from(e, 'base64').length, 0);
    case 'L':
      return 3 + (v.L as AttributeValue[]).reduce((s, e) => s + 1 + valueBytes(e), 0);
    case 'M':
      return 3 + Object.entries(v.M as AttributeMap).reduce((s, [k, e]) => s + 1 + Buffer.byteLength(k, 'utf8') + valueBytes(e), 0);
    default:
      return 1;
  }
}

function numberBytes(n: string): number {
  const d = decimalOf(n);
  return d.sign === 0 ? 1 : 1 + Math.ceil(d.digits.length / 2) + (d.sign < 0 ? 1 : 0);
}

export function cloneValue<T extends AttributeValue | AttributeMap>(v: T): T {
  return structuredClone(v);
}
