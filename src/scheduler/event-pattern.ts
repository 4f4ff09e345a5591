/**
 * EventBridge event patterns (PutRule's EventPattern, TestEventPattern): compile the JSON text
 * once, then match whole events (source, detail-type, detail, resources, …) against it.
 *
 * The rules follow AWS's "Event patterns", "Content filtering" and "Arrays in event patterns"
 * pages; where they are silent we follow aws/event-ruler, the open-source matcher behind
 * EventBridge, and the cases localstack recorded against AWS. Refusals carry event-ruler's
 * reasons, which AWS returns verbatim after "Event pattern is not valid. Reason: " (AWS then
 * appends Jackson's "at [Source: …; line: L, column: C]", which we do not reproduce).
 *
 * Matching is structural: a pattern object must meet an event object at the same path, an
 * array in the event matches when any element does, and a pattern nested over an array of
 * objects must be met by one element (so `{"a": {"b": [1], "c": [2]}}` needs b and c together).
 */
import { ServiceError } from '../service/errors.js';

/** A pattern AWS refuses (`InvalidEventPatternException`). `reason` is event-ruler's text. */
export class InvalidEventPatternError extends ServiceError {
  constructor(readonly reason: string) {
    super('InvalidEventPatternException', `Event pattern is not valid. Reason: ${reason}`);
  }
}

type Scalar = string | number | boolean | null;
type Ip = { readonly bytes: 4 | 16; readonly value: bigint };
type Bound = { readonly value: number; readonly open: boolean };
/** A wildcard value split at its unescaped `*`: the pieces between stars, in order. */
type Glob = readonly string[];

type Matcher =
  | { readonly op: 'equals'; readonly value: Scalar; readonly ip?: Ip }
  | { readonly op: 'prefix' | 'suffix'; readonly value: string; readonly ignoreCase: boolean }
  | { readonly op: 'equals-ignore-case'; readonly value: string }
  | { readonly op: 'wildcard'; readonly glob: Glob }
  | { readonly op: 'numeric'; readonly lower?: Bound; readonly upper?: Bound }
  | { readonly op: 'exists'; readonly present: boolean }
  | { readonly op: 'cidr'; readonly bytes: 4 | 16; readonly low: bigint; readonly high: bigint }
  | { readonly op: 'anything-but'; readonly strings: readonly string[]; readonly numbers: readonly number[] }
  | { readonly op: 'anything-but-prefix' | 'anything-but-suffix' | 'anything-but-ignore-case'; readonly values: readonly string[] }
  | { readonly op: 'anything-but-wildcard'; readonly globs: readonly Glob[] };

type FieldPattern = { readonly kind: 'leaf'; readonly matchers: readonly Matcher[] } | { readonly kind: 'node'; readonly node: PatternNode };

interface PatternNode {
  readonly fields: readonly (readonly [string, FieldPattern])[];
  /** Each `$or` at this level: one of its alternatives must match the same object. */
  readonly ors: readonly (readonly PatternNode[])[];
}

/** A compiled, valid event pattern. */
export interface EventPattern {
  readonly text: string;
  readonly root: PatternNode;
}

/** AWS's numeric range ("between -5.0e9 and +5.0e9 inclusive … six digits to the right of the decimal point"). */
const NUMERIC_LIMIT = 5e9;
const MAX_DECIMALS = 6;
const OR = '$or';

/** Names event-ruler reserves inside `$or` (its operators, plus words kept for later use). */
const RESERVED_IN_OR = new Set([
  'exactly', 'equals-ignore-case', 'prefix', 'suffix', 'anything-but', 'exists', 'wildcard', 'numeric', 'cidr', 'html',
  '=', '<', '<=', '>', '>=', 'regex', 'not-wildcard', 'not-equals-ignore-case', 'date-after', 'date-on-or-after',
  'date-before', 'date-on-or-before', 'in-date-range', 'ip-address-in-range', 'ip-address-not-in-range',
]);

const fail = (reason: string): never => {
  throw new InvalidEventPatternError(reason);
};

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What Jackson's getText() shows for the token at this place (`]` when the array already ended). */
function tokenText(v: unknown): string {
  if (v === undefined) return ']';
  if (Array.isArray(v)) return '[';
  if (isPlainObject(v)) return '{';
  return String(v);
}

// ---------------------------------------------------------------- compiling

/**
 * Validate and compile an event pattern given as JSON text. Throws InvalidEventPatternError
 * with AWS's reason for anything EventBridge refuses.
 */
export function parseEventPattern(text: string): EventPattern {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    // Jackson's own wording cannot be reproduced; say what is wrong in JavaScript's words.
    return fail(`Malformed JSON: ${(err as Error).message}`);
  }
  if (!isPlainObject(value)) return fail('Filter is not an object');
  return { text, root: compileObject(value, false) };
}

function compileObject(obj: Record<string, unknown>, insideOr: boolean): PatternNode {
  const fields: (readonly [string, FieldPattern])[] = [];
  const ors: PatternNode[][] = [];
  for (const [key, value] of Object.entries(obj)) {
    if (key === OR) {
      ors.push(compileOr(value));
      continue;
    }
    if (insideOr && RESERVED_IN_OR.has(key)) fail(`${key} is Ruler reserved fieldName which cannot be used inside ${OR}.`);
    if (isPlainObject(value)) fields.push([key, { kind: 'node', node: compileObject(value, insideOr) }]);
    else if (Array.isArray(value)) fields.push([key, { kind: 'leaf', matchers: compileValues(value) }]);
    else fail(`"${key}" must be an object or an array`);
  }
  if (fields.length === 0 && ors.length === 0) fail('Empty objects are not allowed');
  return { fields, ors };
}

function compileOr(value: unknown): PatternNode[] {
  if (!Array.isArray(value)) return fail(`It must be an Array followed with ${OR}.`);
  const alternatives = value.map((alt) => (isPlainObject(alt) ? compileObject(alt, true) : fail(`Only JSON object is allowed in array of ${OR} relationship.`)));
  if (alternatives.length < 2) fail(`There must have at least 2 Objects in ${OR} relationship.`);
  return alternatives;
}

function compileValues(values: readonly unknown[]): Matcher[] {
  const out = values.map((v): Matcher => {
    if (isPlainObject(v)) return compileExpression(v);
    if (typeof v === 'string') {
      // event-ruler turns an exact value that is an IP address into a one-address range, so
      // "::1" also matches "0:0:0:0:0:0:0:1".
      const ip = parseIp(v);
      return typeof ip === 'object' ? { op: 'equals', value: v, ip } : { op: 'equals', value: v };
    }
    if (v === null || typeof v === 'number' || typeof v === 'boolean') return { op: 'equals', value: v };
    return fail('Match value must be String, number, true, false, or null');
  });
  if (out.length === 0) fail('Empty arrays are not allowed');
  return out;
}

/** The one key of a match expression and its value; extra keys are refused with `tooMany`. */
function single(expr: Record<string, unknown>, missing: string): [string, unknown, boolean] {
  const keys = Object.keys(expr);
  if (keys.length === 0) fail(missing);
  const key = keys[0] as string;
  return [key, expr[key], keys.length > 1];
}

const ONE_KEY = 'Only one key allowed in match expression';
const TOO_MANY = 'Too many elements in numeric expression';

function compileExpression(expr: Record<string, unknown>): Matcher {
  const [op, value, extra] = single(expr, 'Match expression name not found');
  const done = <M extends Matcher>(m: M, tooMany = ONE_KEY): M => (extra ? fail(tooMany) : m);
  switch (op) {
    case 'prefix':
    case 'suffix': {
      if (isPlainObject(value)) return done(affixIgnoreCase(op, value));
      if (typeof value !== 'string') return fail(`${op} match pattern must be a string`);
      return done({ op, value, ignoreCase: false });
    }
    case 'equals-ignore-case':
      if (typeof value !== 'string') return fail('equals-ignore-case match pattern must be a string');
      return done({ op, value: value.toLowerCase() });
    case 'wildcard':
      if (typeof value !== 'string') return fail('wildcard match pattern must be a string');
      return done({ op, glob: parseWildcard(value) });
    case 'numeric':
      if (!Array.isArray(value)) return fail('Value of numeric must be an array.');
      return done(compileNumeric(value), TOO_MANY);
    case 'anything-but':
      return done(compileAnythingBut(value), TOO_MANY);
    case 'exists':
      if (typeof value !== 'boolean') return fail('exists match pattern must be either true or false.');
      return done({ op, present: value });
    case 'cidr':
      // event-ruler's wording, copied from its prefix branch; AWS answers it as is.
      if (typeof value !== 'string') return fail('prefix match pattern must be a string');
      return done(parseCidr(value));
    default:
      return fail(`Unrecognized match type ${op}`);
  }
}

function affixIgnoreCase(op: 'prefix' | 'suffix', inner: Record<string, unknown>): Matcher {
  const name = op === 'prefix' ? 'Prefix' : 'Suffix';
  const [key, value, extra] = single(inner, `${name} expression name not found`);
  if (key !== 'equals-ignore-case') fail(`Unsupported ${op} pattern: ${key}`);
  if (typeof value !== 'string') fail('equals-ignore-case match pattern must be a string');
  if (extra) fail(ONE_KEY);
  return { op, value: (value as string).toLowerCase(), ignoreCase: true };
}

function compileAnythingBut(value: unknown): Matcher {
  if (isPlainObject(value)) {
    const [kind, inner, extra] = single(value, 'Anything-But expression name not found');
    if (kind !== 'equals-ignore-case' && kind !== 'prefix' && kind !== 'suffix' && kind !== 'wildcard') fail(`Unsupported anything-but pattern: ${kind}`);
    if (!Array.isArray(inner) && typeof inner !== 'string' && typeof inner !== 'number') fail('Value of anything-but must be an array or single string/number value.');
    const values = (Array.isArray(inner) ? inner : [inner]).map((v) => anythingButString(kind, v));
    if (extra) fail(TOO_MANY);
    if (kind === 'wildcard') return { op: 'anything-but-wildcard', globs: values.map(parseWildcard) };
    if (kind === 'equals-ignore-case') return { op: 'anything-but-ignore-case', values: values.map((v) => v.toLowerCase()) };
    return { op: kind === 'prefix' ? 'anything-but-prefix' : 'anything-but-suffix', values };
  }
  if (typeof value === 'string') return { op: 'anything-but', strings: [value], numbers: [] };
  if (typeof value === 'number') return { op: 'anything-but', strings: [], numbers: [comparable(value)] };
  if (!Array.isArray(value)) return fail('Value of anything-but must be an array or single string/number value.');
  const strings: string[] = [];
  const numbers: number[] = [];
  for (const v of value) {
    if (typeof v === 'string') strings.push(v);
    else if (typeof v === 'number') numbers.push(comparable(v));
    else fail('Inside anything but list, start|null|boolean is not supported.');
  }
  // An empty list is refused with the same words as a mixed one (event-ruler checks "exactly one type").
  if ((strings.length > 0) === (numbers.length > 0)) fail('Inside anything but list, either all values are number or string, mixed type is not supported');
  return { op: 'anything-but', strings, numbers };
}

function anythingButString(kind: string, v: unknown): string {
  if (typeof v !== 'string') {
    if (kind === 'equals-ignore-case') return fail('Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.');
    if (kind === 'wildcard') return fail('wildcard match pattern must be a string');
    return fail('prefix/suffix match pattern must be a string');
  }
  if ((kind === 'prefix' || kind === 'suffix') && v === '') fail('Null prefix/suffix not allowed');
  return v;
}

function compileNumeric(terms: readonly unknown[]): Matcher {
  const [op, first] = terms;
  if (typeof op !== 'string') return fail(`Invalid member in numeric match: ${tokenText(op)}`);
  const num = (v: unknown, name: string): number => (typeof v === 'number' ? v : fail(`Value of ${name} must be numeric`));
  switch (op) {
    case '=': {
      const value = num(first, 'equals');
      if (terms.length > 2) fail(TOO_MANY);
      const b = { value: comparable(value), open: false };
      return { op: 'numeric', lower: b, upper: b };
    }
    case '<':
    case '<=': {
      const value = num(first, op);
      if (terms.length > 2) fail(TOO_MANY);
      return { op: 'numeric', upper: { value: comparable(value), open: op === '<' } };
    }
    case '>':
    case '>=': {
      const bottom = num(first, op);
      if (terms.length === 2) return { op: 'numeric', lower: { value: comparable(bottom), open: op === '>' } };
      const op2 = terms[2];
      if (typeof op2 !== 'string') return fail(`Bad value in numeric range: ${tokenText(op2)}`);
      if (op2 !== '<' && op2 !== '<=') return fail(`Bad numeric range operator: ${op2}`);
      const top = num(terms[3], op2);
      if (terms.length > 4) fail('Too many terms in numeric range expression');
      if (!(comparable(bottom) < comparable(top))) fail('Bottom must be less than top');
      return { op: 'numeric', lower: { value: bottom, open: op === '>' }, upper: { value: top, open: op2 === '<' } };
    }
    default:
      return fail(`Unrecognized numeric range operator: ${op}`);
  }
}

/** Digits to the right of the decimal point in the number's shortest form (1.5e-7 has 8). */
function decimals(n: number): number {
  const [mantissa = '', exponent = '0'] = String(n).split('e');
  const fraction = mantissa.split('.')[1]?.length ?? 0;
  return Math.max(0, fraction - Number(exponent));
}

/** A number numeric matching can hold, or AWS's refusal (event-ruler's ComparableNumber). */
function comparable(n: number): number {
  if (!(Math.abs(n) <= NUMERIC_LIMIT)) fail('Value must be between -5.0E9 and 5.0E9, inclusive');
  if (decimals(n) > MAX_DECIMALS) fail('Only values upto 6 decimals are supported');
  return n;
}

/**
 * A wildcard value: `*` is any run of characters, `\*` and `\\` are literal, any other
 * backslash is refused, and so are two stars in a row. Positions are event-ruler's: UTF-8
 * bytes into the value with its opening quote.
 */
function parseWildcard(value: string): Glob {
  const pieces: string[] = [];
  let piece = '';
  const pos = (i: number) => Buffer.byteLength(value.slice(0, i), 'utf8') + 1;
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (c === '*') {
      if (value[i + 1] === '*') fail(`Consecutive wildcard characters at pos ${pos(i)}`);
      pieces.push(piece);
      piece = '';
    } else if (c === '\\') {
      const next = value[i + 1];
      if (next !== '*' && next !== '\\') fail(`Invalid escape character at pos ${pos(i)}`);
      piece += next;
      i++;
    } else {
      piece += c;
    }
  }
  pieces.push(piece);
  return pieces;
}

/** Whether `s` matches the glob: first piece at the start, last at the end, the others in order between. */
function globMatches(glob: Glob, s: string): boolean {
  const first = glob[0] as string;
  if (glob.length === 1) return s === first;
  const last = glob[glob.length - 1] as string;
  if (s.length < first.length + last.length || !s.startsWith(first) || !s.endsWith(last)) return false;
  let at = first.length;
  const end = s.length - last.length;
  for (let i = 1; i < glob.length - 1; i++) {
    const piece = glob[i] as string;
    const found = s.indexOf(piece, at);
    if (found < 0 || found + piece.length > end) return false;
    at = found + piece.length;
  }
  return true;
}

// ---------------------------------------------------------------- IP addresses

const IPV4_SHAPE = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const IPV6_SHAPE = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;

/** An IP address literal, or why not: 'nonstandard' (not shaped like one) or 'invalid'. */
function parseIp(s: string): Ip | 'nonstandard' | 'invalid' {
  if (IPV4_SHAPE.test(s)) {
    const parts = s.split('.').map(Number);
    if (parts.some((p) => p > 255)) return 'invalid';
    return { bytes: 4, value: parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n) };
  }
  if (!IPV6_SHAPE.test(s)) return 'nonstandard';
  const halves = s.split('::');
  if (halves.length > 2) return 'invalid';
  const groups = (h: string | undefined) => (h ? h.split(':') : []);
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return 'invalid';
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (all.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return 'invalid';
  const value = all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
  // Java's InetAddress reads an IPv4-mapped address (::ffff:a.b.c.d written in hex) as IPv4.
  if (value >> 32n === 0xffffn) return { bytes: 4, value: value & 0xffffffffn };
  return { bytes: 16, value };
}

/**
 * A `cidr` value. Like event-ruler, the range starts at the address as written (host bits are
 * not cleared) and ends with every host bit set; /32 and /128 are refused.
 */
function parseCidr(text: string): Matcher {
  const parts = text.split('/');
  // Java's split drops trailing empty strings: "10.0.0.0/" has one part.
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length !== 2) return fail("Malformed CIDR, one '/' required");
  const [address, maskText] = parts as [string, string];
  if (!/^[+-]?[0-9]+$/.test(maskText) || !Number.isSafeInteger(Number(maskText))) return fail('Malformed CIDR, mask bits must be an integer');
  const mask = Number(maskText);
  if (mask < 0) return fail('Malformed CIDR, mask bits must not be negative');
  const ip = parseIp(address);
  if (ip === 'invalid') return fail(`Invalid IP address: ${address}`);
  if (ip === 'nonstandard') return fail(`Nonstandard IP address: ${address}`);
  const bits = ip.bytes * 8;
  if (mask >= bits) return fail(ip.bytes === 4 ? 'IPv4 mask bits must be < 32' : 'IPv6 mask bits must be < 128');
  const hostBits = (1n << BigInt(bits - mask)) - 1n;
  return { op: 'cidr', bytes: ip.bytes, low: ip.value, high: ip.value | hostBits };
}

// ---------------------------------------------------------------- matching

/** Whether the event (an EventBridge event as a JSON object) matches the compiled pattern. */
export function matchesEventPattern(pattern: EventPattern, event: unknown): boolean {
  return isPlainObject(event) && matchObject(pattern.root, event);
}

const NOTHING: Record<string, unknown> = {};

const own = (obj: Record<string, unknown>, key: string): unknown => (Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined);

/** The objects a value stands for: itself, or the objects in it when it is an array (at any depth). */
function objectsOf(value: unknown, out: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(value)) for (const v of value) objectsOf(v, out);
  else if (isPlainObject(value)) out.push(value);
  return out;
}

/** The leaf values a field holds: itself when scalar, the scalars in it when an array; objects are not leaves. */
function leavesOf(value: unknown, out: Scalar[] = []): Scalar[] {
  if (Array.isArray(value)) for (const v of value) leavesOf(v, out);
  else if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out.push(value);
  return out;
}

function matchNode(node: PatternNode, value: unknown): boolean {
  const objects = objectsOf(value);
  // No object here (absent, a scalar, an empty array): every field below is absent, which
  // only `exists: false` accepts.
  if (objects.length === 0) return matchObject(node, NOTHING);
  return objects.some((obj) => matchObject(node, obj));
}

function matchObject(node: PatternNode, obj: Record<string, unknown>): boolean {
  for (const [key, field] of node.fields) {
    const value = own(obj, key);
    if (!(field.kind === 'node' ? matchNode(field.node, value) : matchLeaf(field.matchers, value))) return false;
  }
  return node.ors.every((alternatives) => alternatives.some((alt) => matchObject(alt, obj)));
}

function matchLeaf(matchers: readonly Matcher[], value: unknown): boolean {
  const leaves = leavesOf(value);
  return matchers.some((m) => (m.op === 'exists' ? leaves.length > 0 === m.present : leaves.some((leaf) => test(m, leaf))));
}

const lowered = (s: string) => s.toLowerCase();

/** An event's IP address literal, if the string is one. */
function eventIp(s: string): Ip | undefined {
  const ip = parseIp(s);
  return typeof ip === 'object' ? ip : undefined;
}

function inRange(m: { lower?: Bound; upper?: Bound }, n: number): boolean {
  // Numbers past AWS's limits are not numerically comparable, so they never match.
  if (!(Math.abs(n) <= NUMERIC_LIMIT)) return false;
  const { lower, upper } = m;
  if (lower && (lower.open ? n <= lower.value : n < lower.value)) return false;
  if (upper && (upper.open ? n >= upper.value : n > upper.value)) return false;
  return true;
}

function test(m: Matcher, leaf: Scalar): boolean {
  const s = typeof leaf === 'string' ? leaf : undefined;
  switch (m.op) {
    case 'equals': {
      if (leaf === m.value) return true;
      const ip = m.ip && s !== undefined ? eventIp(s) : undefined;
      return ip !== undefined && ip.bytes === m.ip?.bytes && ip.value === m.ip.value;
    }
    case 'prefix':
      return s !== undefined && (m.ignoreCase ? lowered(s).startsWith(m.value) : s.startsWith(m.value));
    case 'suffix':
      return s !== undefined && (m.ignoreCase ? lowered(s).endsWith(m.value) : s.endsWith(m.value));
    case 'equals-ignore-case':
      return s !== undefined && lowered(s) === m.value;
    case 'wildcard':
      return s !== undefined && globMatches(m.glob, s);
    case 'numeric':
      return typeof leaf === 'number' && inRange(m, leaf);
    case 'cidr': {
      const ip = s !== undefined ? eventIp(s) : undefined;
      return ip !== undefined && ip.bytes === m.bytes && ip.value >= m.low && ip.value <= m.high;
    }
    // The anything-but family matches every present leaf it does not exclude, including
    // numbers, booleans and null (AWS: `{"anything-but": "initializing"}` matches a null state).
    case 'anything-but':
      return typeof leaf === 'number' ? !m.numbers.includes(leaf) : s === undefined || !m.strings.includes(s);
    case 'anything-but-prefix':
      return s === undefined || !m.values.some((v) => s.startsWith(v));
    case 'anything-but-suffix':
      return s === undefined || !m.values.some((v) => s.endsWith(v));
    case 'anything-but-ignore-case':
      return s === undefined || !m.values.includes(lowered(s));
    case 'anything-but-wildcard':
      return s === undefined || !m.globs.some((g) => globMatches(g, s));
    case 'exists':
      return true; // handled by matchLeaf
  }
}
