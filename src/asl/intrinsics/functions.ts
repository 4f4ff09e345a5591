/**
 * The 18 JSONPath-mode intrinsic functions, applied to already evaluated arguments.
 *
 * What AWS does, as observed rather than as the spec reads:
 * - a bad argument (type, count, range) fails at run time with `States.Runtime` and the cause
 *   `Invalid arguments in States.X`; definitions with a wrong argument count are accepted;
 * - integer arguments are truncated towards zero the way a JVM `(int)` cast does (ArrayRange,
 *   ArrayPartition, ArrayGetItem, MathRandom), except MathAdd which rounds half up (`Math.round`)
 *   and fails outside the 32-bit range;
 * - States.Format renders objects and arrays the way Java's `Map`/`List` `toString` does.
 */
import { createHash, randomInt, randomUUID } from 'node:crypto';
import { isObject, jsonEquals, type Json, type JsonObject } from '../../lib/json.js';
import { StatesError, StatesErrors } from '../errors.js';
import { javaNextInt } from './java-random.js';

/** The error AWS reports for an intrinsic that rejects its arguments (it never uses States.IntrinsicFailure). */
export const INTRINSIC_ERROR_NAME = StatesErrors.Runtime;

/** Evaluated argument; `raw` is the escaped source of a string literal (States.Format needs it). */
export interface ArgValue {
  readonly value: Json;
  readonly raw?: string | undefined;
}

type IntrinsicImpl = (args: readonly ArgValue[], name: string) => Json;

interface Spec {
  readonly min: number;
  readonly max: number;
  readonly impl: IntrinsicImpl;
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
/** AWS's cap on the input of Base64Encode/Base64Decode and on the stringified data of Hash. */
const MAX_TEXT_INPUT = 10_000;
const MAX_RANGE_ITEMS = 1000;

export function invalidArguments(name: string): StatesError {
  return new StatesError(INTRINSIC_ERROR_NAME, `Invalid arguments in ${name}`);
}

function fail(name: string): never {
  throw invalidArguments(name);
}

function str(arg: ArgValue | undefined, name: string): string {
  if (typeof arg?.value !== 'string') fail(name);
  return arg.value;
}

function arr(arg: ArgValue | undefined, name: string): Json[] {
  if (!Array.isArray(arg?.value)) fail(name);
  return arg.value;
}

/** JVM `(int)` of a JSON number: truncated towards zero; out-of-range values are rejected. */
function truncatedInt(arg: ArgValue | undefined, name: string): number {
  const v = arg?.value;
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(name);
  const n = Math.trunc(v) + 0;
  if (n < INT32_MIN || n > INT32_MAX) fail(name);
  return n;
}

/** Java `Math.round`: half rounds up, also for negatives (-1.5 → -1). */
function javaRound(v: number): number {
  return Math.floor(v + 0.5) + 0;
}

function format(args: readonly ArgValue[], name: string): Json {
  const template = args[0] as ArgValue;
  const parts = parseTemplate(template.raw ?? str(template, name), name);
  const values = args.slice(1);
  const holes = parts.filter((p) => p === HOLE).length;
  if (holes !== values.length) fail(name);
  let i = 0;
  return parts.map((p) => (p === HOLE ? javaString((values[i++] as ArgValue).value) : p)).join('');
}

const HOLE = Symbol('placeholder');

/** Split a Format template into literal text and `{}` holes; `\{`, `\}`, `\'`, `\\` are literal. */
function parseTemplate(template: string, name: string): (string | typeof HOLE)[] {
  const parts: (string | typeof HOLE)[] = [];
  let text = '';
  for (let i = 0; i < template.length; i++) {
    const ch = template[i] as string;
    const next = template[i + 1];
    if (ch === '\\' && next !== undefined && "{}'\\".includes(next)) {
      text += next;
      i++;
    } else if (ch === '{' && next === '}') {
      parts.push(text, HOLE);
      text = '';
      i++;
    } else if (ch === '{' || ch === '}') {
      fail(name);
    } else {
      text += ch;
    }
  }
  parts.push(text);
  return parts;
}

/** How the JVM prints a JSON value inside States.Format: strings bare, maps as `{k=v, …}`. */
function javaString(value: Json): string {
  if (typeof value === 'string') return value;
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(javaString).join(', ')}]`;
  if (isObject(value)) {
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}=${javaString(v)}`)
      .join(', ')}}`;
  }
  return String(value);
}

function stringToJson(args: readonly ArgValue[], name: string): Json {
  const text = str(args[0], name);
  // Jackson reads blank text as "no value", which AWS returns as null.
  if (text.trim() === '') return null;
  try {
    return (JSON.parse(text) as Json) ?? null;
  } catch {
    fail(name);
  }
}

function arrayPartition(args: readonly ArgValue[], name: string): Json {
  const items = arr(args[0], name);
  const size = truncatedInt(args[1], name);
  if (size <= 0) fail(name);
  const chunks: Json[] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

function arrayRange(args: readonly ArgValue[], name: string): Json {
  const start = truncatedInt(args[0], name);
  const end = truncatedInt(args[1], name);
  const step = truncatedInt(args[2], name);
  if (step === 0) fail(name);
  const count = Math.floor((end - start) / step) + 1;
  if (count > MAX_RANGE_ITEMS) fail(name);
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(start + i * step);
  return out;
}

function arrayGetItem(args: readonly ArgValue[], name: string): Json {
  const items = arr(args[0], name);
  const index = truncatedInt(args[1], name);
  if (index < 0) fail(name);
  // AWS answers null, not an error, for any index into an empty array.
  if (items.length === 0) return null;
  if (index >= items.length) fail(name);
  return items[index] as Json;
}

function arrayUnique(args: readonly ArgValue[], name: string): Json {
  const out: Json[] = [];
  for (const item of arr(args[0], name)) if (!out.some((seen) => jsonEquals(seen, item))) out.push(item);
  return out;
}

function limitedText(arg: ArgValue | undefined, name: string): string {
  const text = str(arg, name);
  if (text.length > MAX_TEXT_INPUT) fail(name);
  return text;
}

const HASH_ALGORITHMS: Readonly<Record<string, string>> = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

function hash(args: readonly ArgValue[], name: string): Json {
  const data = args[0]?.value as Json;
  // AWS hashes non-string data by its text form rather than rejecting it.
  const text = typeof data === 'string' ? data : JSON.stringify(data);
  const algorithm = HASH_ALGORITHMS[str(args[1], name)];
  if (text.length > MAX_TEXT_INPUT || algorithm === undefined) fail(name);
  return createHash(algorithm).update(text, 'utf8').digest('hex');
}

function jsonMerge(args: readonly ArgValue[], name: string): Json {
  const [left, right, deep] = args.map((a) => a.value);
  // AWS only implements the shallow merge: deep=true is rejected.
  if (!isObject(left) || !isObject(right) || deep !== false) fail(name);
  return { ...left, ...right } satisfies JsonObject;
}

function mathRandom(args: readonly ArgValue[], name: string): Json {
  const start = truncatedInt(args[0], name);
  const end = truncatedInt(args[1], name);
  if (start >= end) fail(name);
  const bound = end - start;
  if (args.length < 3) return randomInt(start, end);
  const seed = truncatedInt(args[2], name);
  if (bound > INT32_MAX) fail(name);
  return start + javaNextInt(seed, bound);
}

function mathAdd(args: readonly ArgValue[], name: string): Json {
  const operands = args.map((a) => {
    if (typeof a.value !== 'number' || !Number.isFinite(a.value)) fail(name);
    const n = javaRound(a.value);
    if (n < INT32_MIN || n > INT32_MAX) fail(name);
    return n;
  });
  const sum = (operands[0] as number) + (operands[1] as number);
  if (sum < INT32_MIN || sum > INT32_MAX) fail(name);
  return sum;
}

/** Every character of the second argument separates; empty pieces are dropped (Java StringTokenizer). */
function stringSplit(args: readonly ArgValue[], name: string): Json {
  const text = str(args[0], name);
  const delimiters = new Set(str(args[1], name));
  const out: string[] = [];
  let piece = '';
  for (const ch of text) {
    if (delimiters.has(ch)) {
      if (piece) out.push(piece);
      piece = '';
    } else piece += ch;
  }
  if (piece) out.push(piece);
  return out;
}

const UNBOUNDED = Number.POSITIVE_INFINITY;

export const INTRINSICS: ReadonlyMap<string, Spec> = new Map<string, Spec>([
  ['States.Format', { min: 1, max: UNBOUNDED, impl: format }],
  ['States.StringToJson', { min: 1, max: 1, impl: stringToJson }],
  ['States.JsonToString', { min: 1, max: 1, impl: (args) => JSON.stringify((args[0] as ArgValue).value) }],
  ['States.Array', { min: 0, max: UNBOUNDED, impl: (args) => args.map((a) => a.value) }],
  ['States.ArrayPartition', { min: 2, max: 2, impl: arrayPartition }],
  [
    'States.ArrayContains',
    { min: 2, max: 2, impl: (args, name) => arr(args[0], name).some((item) => jsonEquals(item, (args[1] as ArgValue).value)) },
  ],
  ['States.ArrayRange', { min: 3, max: 3, impl: arrayRange }],
  ['States.ArrayGetItem', { min: 2, max: 2, impl: arrayGetItem }],
  ['States.ArrayLength', { min: 1, max: 1, impl: (args, name) => arr(args[0], name).length }],
  ['States.ArrayUnique', { min: 1, max: 1, impl: arrayUnique }],
  [
    'States.Base64Encode',
    { min: 1, max: 1, impl: (args, name) => Buffer.from(limitedText(args[0], name), 'utf8').toString('base64') },
  ],
  [
    'States.Base64Decode',
    // Node's decoder skips characters outside the alphabet, which is as lenient as AWS was observed to be.
    { min: 1, max: 1, impl: (args, name) => Buffer.from(limitedText(args[0], name), 'base64').toString('utf8') },
  ],
  ['States.Hash', { min: 2, max: 2, impl: hash }],
  ['States.JsonMerge', { min: 3, max: 3, impl: jsonMerge }],
  ['States.MathRandom', { min: 2, max: 3, impl: mathRandom }],
  ['States.MathAdd', { min: 2, max: 2, impl: mathAdd }],
  ['States.StringSplit', { min: 2, max: 2, impl: stringSplit }],
  ['States.UUID', { min: 0, max: 0, impl: () => randomUUID() }],
]);

export function applyIntrinsic(name: string, args: readonly ArgValue[]): Json {
  const spec = INTRINSICS.get(name);
  if (!spec) fail(name);
  if (args.length < spec.min || args.length > spec.max) fail(name);
  return spec.impl(args, name);
}
