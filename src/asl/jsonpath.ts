/**
 * JSONPath as Step Functions evaluates it (Jayway's dialect): `$` input, `$$` context object,
 * `$name` a variable. Definite paths (names and indexes only) yield one value or fail with
 * "No results for path"; indefinite paths (wildcards, slices, deep scan, filters, unions)
 * yield a list. Paths are compiled once and cached.
 */
import { isObject, type Json, type JsonObject } from '../lib/json.js';

export type PathRoot = 'input' | 'context' | 'variable';

type Segment =
  | { kind: 'name'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'names'; names: string[] }
  | { kind: 'indexes'; indexes: number[] }
  | { kind: 'wildcard' }
  | { kind: 'slice'; start: number | undefined; end: number | undefined; step: number }
  | { kind: 'deep'; inner: Segment }
  | { kind: 'filter'; test: FilterExpr }
  | { kind: 'function'; name: string };

type FilterExpr =
  | { op: 'lit'; value: Json }
  | { op: 'path'; relative: boolean; path: CompiledPath }
  | { op: 'not'; arg: FilterExpr }
  | { op: 'and' | 'or'; left: FilterExpr; right: FilterExpr }
  | { op: '==' | '!=' | '<' | '<=' | '>' | '>=' | '=~'; left: FilterExpr; right: FilterExpr }
  | { op: 'regex'; re: RegExp };

export class JsonPathSyntaxError extends Error {}

/** Raised when a definite path selects nothing. `normalized` is Jayway's bracket form, e.g. `$['a'][0]`. */
export class PathNotFoundError extends Error {
  constructor(
    readonly path: string,
    readonly normalized: string,
  ) {
    super(`No results for path: ${normalized}`);
  }
}

export interface CompiledPath {
  readonly text: string;
  readonly root: PathRoot;
  /** Variable name for `$name` paths. */
  readonly variable: string | undefined;
  readonly segments: readonly Segment[];
  /** True when the path can select at most one value. */
  readonly definite: boolean;
  /** True when the path is a Reference Path (names and single indexes only). */
  readonly reference: boolean;
  /** For definite paths: the keys walked, in order. */
  readonly keys: readonly (string | number)[];
  readonly normalized: string;
}

const cache = new Map<string, CompiledPath>();

export function compilePath(text: string): CompiledPath {
  let compiled = cache.get(text);
  if (!compiled) {
    compiled = new Parser(text).parsePath();
    if (cache.size > 50_000) cache.clear();
    cache.set(text, compiled);
  }
  return compiled;
}

export function isValidPath(text: string): boolean {
  try {
    compilePath(text);
    return true;
  } catch {
    return false;
  }
}

const ID_START = /[\p{ID_Start}_]/u;
const ID_PART = /[\p{ID_Continue}_]/u;

class Parser {
  private pos = 0;
  constructor(private readonly text: string) {}

  private fail(message: string): never {
    throw new JsonPathSyntaxError(`Invalid JSONPath '${this.text}': ${message} at position ${this.pos}`);
  }

  parsePath(): CompiledPath {
    const t = this.text;
    if (t[0] !== '$') this.fail("a path must start with '$'");
    let root: PathRoot = 'input';
    let variable: string | undefined;
    this.pos = 1;
    if (t[1] === '$') {
      root = 'context';
      this.pos = 2;
    } else if (t[1] !== undefined && ID_START.test(t[1])) {
      root = 'variable';
      let end = 2;
      while (end < t.length && ID_PART.test(t[end] as string)) end++;
      variable = t.slice(1, end);
      this.pos = end;
    }
    const segments = this.parseSegments(t.length);
    return finish(t, root, variable, segments);
  }

  private parseSegments(end: number): Segment[] {
    const segments: Segment[] = [];
    const t = this.text;
    while (this.pos < end) {
      const c = t[this.pos];
      if (c === '.') {
        if (t[this.pos + 1] === '.') {
          this.pos += 2;
          let inner: Segment;
          if (t[this.pos] === '[') inner = this.parseBracket();
          else inner = this.parseDotName();
          segments.push({ kind: 'deep', inner });
        } else {
          this.pos++;
          segments.push(this.parseDotName());
        }
      } else if (c === '[') {
        segments.push(this.parseBracket());
      } else if (c === ' ' || c === '\t') {
        this.fail('unexpected whitespace');
      } else {
        this.fail(`unexpected character '${c}'`);
      }
    }
    return segments;
  }

  private parseDotName(): Segment {
    const t = this.text;
    if (t[this.pos] === '*') {
      this.pos++;
      return { kind: 'wildcard' };
    }
    const start = this.pos;
    while (this.pos < t.length && t[this.pos] !== '.' && t[this.pos] !== '[') {
      if (t[this.pos] === '(' && t[this.pos + 1] === ')') break;
      this.pos++;
    }
    const name = t.slice(start, this.pos);
    if (!name) this.fail('empty property name');
    if (t[this.pos] === '(' && t[this.pos + 1] === ')') {
      this.pos += 2;
      if (!PATH_FUNCTIONS.has(name)) this.fail(`unknown function ${name}()`);
      return { kind: 'function', name };
    }
    if (/\s/.test(name)) this.fail('whitespace in a property name');
    return { kind: 'name', name };
  }

  private skipSpaces(): void {
    while (this.text[this.pos] === ' ') this.pos++;
  }

  private parseBracket(): Segment {
    const t = this.text;
    this.pos++; // [
    this.skipSpaces();
    let seg: Segment;
    const c = t[this.pos];
    if (c === '*') {
      this.pos++;
      seg = { kind: 'wildcard' };
    } else if (c === '?') {
      this.pos++;
      this.skipSpaces();
      if (t[this.pos] !== '(') this.fail("expected '(' after '?'");
      this.pos++;
      const test = this.parseFilterOr();
      this.skipSpaces();
      if (t[this.pos] !== ')') this.fail("expected ')' to close the filter");
      this.pos++;
      seg = { kind: 'filter', test };
    } else if (c === "'" || c === '"') {
      const names = [this.parseQuoted()];
      this.skipSpaces();
      while (t[this.pos] === ',') {
        this.pos++;
        this.skipSpaces();
        names.push(this.parseQuoted());
        this.skipSpaces();
      }
      seg = names.length === 1 ? { kind: 'name', name: names[0] as string } : { kind: 'names', names };
    } else {
      seg = this.parseIndexOrSlice();
    }
    this.skipSpaces();
    if (t[this.pos] !== ']') this.fail("expected ']'");
    this.pos++;
    return seg;
  }

  private parseQuoted(): string {
    const t = this.text;
    const quote = t[this.pos];
    if (quote !== "'" && quote !== '"') this.fail('expected a quoted name');
    this.pos++;
    let out = '';
    while (this.pos < t.length && t[this.pos] !== quote) {
      // Only an escaped quote is an escape; any other backslash is literal (Jayway).
      if (t[this.pos] === '\\' && t[this.pos + 1] === quote) {
        this.pos++;
      }
      out += t[this.pos];
      this.pos++;
    }
    if (t[this.pos] !== quote) this.fail('unterminated quoted name');
    this.pos++;
    return out;
  }

  private parseInt(): number | undefined {
    const t = this.text;
    const m = /^-?\d+/.exec(t.slice(this.pos));
    if (!m) return undefined;
    this.pos += m[0].length;
    return Number(m[0]);
  }

  private parseIndexOrSlice(): Segment {
    const t = this.text;
    const first = this.parseInt();
    this.skipSpaces();
    if (t[this.pos] === ':') {
      this.pos++;
      this.skipSpaces();
      const end = this.parseInt();
      let step = 1;
      this.skipSpaces();
      if (t[this.pos] === ':') {
        this.pos++;
        step = this.parseInt() ?? 1;
        if (step === 0) this.fail('slice step cannot be 0');
      }
      return { kind: 'slice', start: first, end, step };
    }
    if (first === undefined) this.fail('expected an index, a slice, a quoted name, * or a filter');
    const indexes = [first];
    while (t[this.pos] === ',') {
      this.pos++;
      this.skipSpaces();
      const next = this.parseInt();
      if (next === undefined) this.fail('expected an index');
      indexes.push(next);
      this.skipSpaces();
    }
    return indexes.length === 1 ? { kind: 'index', index: first } : { kind: 'indexes', indexes };
  }

  // Filter expressions: || and && with comparisons of @-paths, $-paths and literals.
  private parseFilterOr(): FilterExpr {
    let left = this.parseFilterAnd();
    for (;;) {
      this.skipSpaces();
      if (this.text.startsWith('||', this.pos)) {
        this.pos += 2;
        left = { op: 'or', left, right: this.parseFilterAnd() };
      } else return left;
    }
  }

  private parseFilterAnd(): FilterExpr {
    let left = this.parseFilterUnary();
    for (;;) {
      this.skipSpaces();
      if (this.text.startsWith('&&', this.pos)) {
        this.pos += 2;
        left = { op: 'and', left, right: this.parseFilterUnary() };
      } else return left;
    }
  }

  private parseFilterUnary(): FilterExpr {
    this.skipSpaces();
    if (this.text[this.pos] === '!') {
      this.pos++;
      return { op: 'not', arg: this.parseFilterUnary() };
    }
    if (this.text[this.pos] === '(') {
      this.pos++;
      const inner = this.parseFilterOr();
      this.skipSpaces();
      if (this.text[this.pos] !== ')') this.fail("expected ')'");
      this.pos++;
      return inner;
    }
    const left = this.parseOperand();
    this.skipSpaces();
    const m = /^(==|!=|<=|>=|<|>|=~)/.exec(this.text.slice(this.pos));
    if (!m) return left;
    const op = m[1] as '==' | '!=' | '<' | '<=' | '>' | '>=' | '=~';
    this.pos += op.length;
    this.skipSpaces();
    const right = op === '=~' ? this.parseRegex() : this.parseOperand();
    return { op, left, right };
  }

  private parseRegex(): FilterExpr {
    const t = this.text;
    if (t[this.pos] !== '/') this.fail('expected a /regex/');
    const close = t.indexOf('/', this.pos + 1);
    if (close < 0) this.fail('unterminated regex');
    const body = t.slice(this.pos + 1, close);
    this.pos = close + 1;
    const flags = /^[i]*/.exec(t.slice(this.pos))?.[0] ?? '';
    this.pos += flags.length;
    return { op: 'regex', re: new RegExp(body, flags) };
  }

  private parseOperand(): FilterExpr {
    const t = this.text;
    const c = t[this.pos];
    if (c === '@' || c === '$') {
      const start = this.pos;
      this.pos++;
      if (c === '$' && t[this.pos] === '$') this.pos++;
      // a path continues through names, brackets and dots
      let depth = 0;
      while (this.pos < t.length) {
        const ch = t[this.pos] as string;
        if (ch === '[') depth++;
        else if (ch === ']') {
          if (depth === 0) break;
          depth--;
        } else if (depth === 0 && /[\s)=!<>&|]/.test(ch)) break;
        this.pos++;
      }
      const text = t.slice(start, this.pos);
      const path = compilePath(c === '@' ? '$' + text.slice(1) : text);
      return { op: 'path', relative: c === '@', path };
    }
    if (c === "'" || c === '"') return { op: 'lit', value: this.parseQuoted() };
    const m = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(t.slice(this.pos));
    if (!m) this.fail('expected a value in the filter');
    this.pos += m[0].length;
    return { op: 'lit', value: JSON.parse(m[0]) as Json };
  }
}

const PATH_FUNCTIONS = new Set(['length', 'size', 'min', 'max', 'avg', 'sum', 'keys']);

function finish(text: string, root: PathRoot, variable: string | undefined, segments: Segment[]): CompiledPath {
  let definite = true;
  let reference = true;
  const keys: (string | number)[] = [];
  let normalized = root === 'context' ? '$$' : root === 'variable' ? `$${variable}` : '$';
  for (const s of segments) {
    if (s.kind === 'name') {
      keys.push(s.name);
      normalized += `['${s.name}']`;
    } else if (s.kind === 'index') {
      keys.push(s.index);
      normalized += `[${s.index}]`;
    } else {
      reference = false;
      if (s.kind !== 'function') definite = false;
    }
  }
  return { text, root, variable, segments, definite, reference, keys, normalized };
}

/** Select with a compiled path from `root`. Definite paths return the value; others an array. */
export function selectPath(path: CompiledPath, root: Json): Json {
  if (path.definite && path.segments.length === path.keys.length) {
    let cur: Json | undefined = root;
    const keys = path.keys;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as string | number;
      if (typeof k === 'number') {
        if (!Array.isArray(cur)) throw new PathNotFoundError(path.text, path.normalized);
        cur = cur[k < 0 ? cur.length + k : k];
      } else {
        if (!isObject(cur) || !Object.prototype.hasOwnProperty.call(cur, k)) {
          throw new PathNotFoundError(path.text, path.normalized);
        }
        cur = cur[k];
      }
      if (cur === undefined) throw new PathNotFoundError(path.text, path.normalized);
    }
    return cur;
  }
  let nodes: Json[] = [root];
  for (const seg of path.segments) {
    if (seg.kind === 'function') {
      if (nodes.length !== 1 && !path.definite) nodes = [nodes as Json];
      const value = applyFunction(seg.name, path.definite ? (nodes[0] as Json) : (nodes as Json), path);
      return value;
    }
    nodes = applySegment(seg, nodes, root);
    if (path.definite && nodes.length === 0) throw new PathNotFoundError(path.text, path.normalized);
  }
  return path.definite ? (nodes[0] as Json) : nodes;
}

function applyFunction(name: string, value: Json, path: CompiledPath): Json {
  const nums = (): number[] => {
    if (!Array.isArray(value)) throw new PathNotFoundError(path.text, path.normalized);
    return value.filter((v): v is number => typeof v === 'number');
  };
  switch (name) {
    case 'length':
    case 'size':
      if (Array.isArray(value) || typeof value === 'string') return value.length;
      if (isObject(value)) return Object.keys(value).length;
      throw new PathNotFoundError(path.text, path.normalized);
    case 'keys':
      if (isObject(value)) return Object.keys(value);
      throw new PathNotFoundError(path.text, path.normalized);
    case 'min':
      return Math.min(...nums());
    case 'max':
      return Math.max(...nums());
    case 'sum':
      return nums().reduce((a, b) => a + b, 0);
    case 'avg': {
      const n = nums();
      return n.length ? n.reduce((a, b) => a + b, 0) / n.length : 0;
    }
    default:
      throw new PathNotFoundError(path.text, path.normalized);
  }
}

function applySegment(seg: Segment, nodes: Json[], root: Json): Json[] {
  const out: Json[] = [];
  for (const node of nodes) {
    switch (seg.kind) {
      case 'name':
        if (isObject(node) && Object.prototype.hasOwnProperty.call(node, seg.name)) out.push(node[seg.name] as Json);
        break;
      case 'names':
        if (isObject(node)) for (const n of seg.names) if (Object.prototype.hasOwnProperty.call(node, n)) out.push(node[n] as Json);
        break;
      case 'index':
        if (Array.isArray(node)) {
          const v = node[seg.index < 0 ? node.length + seg.index : seg.index];
          if (v !== undefined) out.push(v);
        }
        break;
      case 'indexes':
        if (Array.isArray(node))
          for (const i of seg.indexes) {
            const v = node[i < 0 ? node.length + i : i];
            if (v !== undefined) out.push(v);
          }
        break;
      case 'wildcard':
        if (Array.isArray(node)) out.push(...node);
        else if (isObject(node)) out.push(...Object.values(node));
        break;
      case 'slice':
        if (Array.isArray(node)) out.push(...slice(node, seg.start, seg.end, seg.step));
        break;
      case 'deep':
        deepScan(node, seg.inner, root, out);
        break;
      case 'filter': {
        const items = Array.isArray(node) ? node : isObject(node) ? [node] : [];
        for (const item of items) if (truthy(evalFilter(seg.test, item, root))) out.push(item);
        break;
      }
      case 'function':
        break;
    }
  }
  return out;
}

function deepScan(node: Json, inner: Segment, root: Json, out: Json[]): void {
  out.push(...applySegment(inner, [node], root));
  if (Array.isArray(node)) for (const v of node) deepScan(v, inner, root, out);
  else if (isObject(node)) for (const v of Object.values(node)) deepScan(v, inner, root, out);
}

function slice(arr: Json[], start: number | undefined, end: number | undefined, step: number): Json[] {
  const len = arr.length;
  const norm = (i: number) => (i < 0 ? Math.max(0, len + i) : Math.min(i, len));
  const out: Json[] = [];
  if (step > 0) {
    for (let i = norm(start ?? 0); i < norm(end ?? len); i += step) out.push(arr[i] as Json);
  } else {
    const s = start === undefined ? len - 1 : Math.min(norm(start), len - 1);
    const e = end === undefined ? -1 : norm(end);
    for (let i = s; i > e; i += step) out.push(arr[i] as Json);
  }
  return out;
}

const MISSING = Symbol('missing');
type FilterValue = Json | typeof MISSING | boolean;

function evalFilter(expr: FilterExpr, item: Json, root: Json): FilterValue {
  switch (expr.op) {
    case 'lit':
      return expr.value;
    case 'regex':
      return MISSING;
    case 'path':
      try {
        const v = selectPath(expr.path, expr.relative ? item : root);
        return v;
      } catch {
        return MISSING;
      }
    case 'not':
      return !truthy(evalFilter(expr.arg, item, root));
    case 'and':
      return truthy(evalFilter(expr.left, item, root)) && truthy(evalFilter(expr.right, item, root));
    case 'or':
      return truthy(evalFilter(expr.left, item, root)) || truthy(evalFilter(expr.right, item, root));
    case '=~': {
      const l = evalFilter(expr.left, item, root);
      return typeof l === 'string' && expr.right.op === 'regex' && expr.right.re.test(l);
    }
    default: {
      const l = evalFilter(expr.left, item, root);
      const r = evalFilter(expr.right, item, root);
      if (l === MISSING || r === MISSING) return expr.op === '!=';
      return compare(expr.op, l, r);
    }
  }
}

function compare(op: '==' | '!=' | '<' | '<=' | '>' | '>=', l: Json, r: Json): boolean {
  if (op === '==') return JSON.stringify(l) === JSON.stringify(r);
  if (op === '!=') return JSON.stringify(l) !== JSON.stringify(r);
  if (!((typeof l === 'number' && typeof r === 'number') || (typeof l === 'string' && typeof r === 'string'))) return false;
  switch (op) {
    case '<':
      return l < r;
    case '<=':
      return l <= r;
    case '>':
      return l > r;
    default:
      return l >= r;
  }
}

function truthy(v: FilterValue): boolean {
  if (v === MISSING) return false;
  if (v === false || v === null) return v === null;
  return true;
}

/** Apply a Reference Path for ResultPath: returns a new root with `value` placed at the path. */
export function setPath(path: CompiledPath, root: Json, value: Json): Json {
  if (path.keys.length === 0) return value;
  const keys = path.keys;
  const out: Json = isObject(root) ? { ...root } : Array.isArray(root) ? [...root] : root;
  if (!isObject(out) && !Array.isArray(out)) throw new PathNotFoundError(path.text, path.normalized);
  let cur: JsonObject | Json[] = out;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string | number;
    const last = i === keys.length - 1;
    if (typeof k === 'number') {
      if (!Array.isArray(cur)) throw new PathNotFoundError(path.text, path.normalized);
      const idx = k < 0 ? cur.length + k : k;
      if (idx < 0 || idx >= cur.length) throw new PathNotFoundError(path.text, path.normalized);
      if (last) cur[idx] = value;
      else {
        const next: Json = cur[idx] as Json;
        const copy = copyContainer(next, keys[i + 1] as string | number, path);
        cur[idx] = copy;
        cur = copy;
      }
    } else {
      if (!isObject(cur)) throw new PathNotFoundError(path.text, path.normalized);
      if (last) cur[k] = value;
      else {
        const next = Object.prototype.hasOwnProperty.call(cur, k) ? (cur[k] as Json) : undefined;
        const copy = next === undefined ? (typeof keys[i + 1] === 'number' ? [] : {}) : copyContainer(next, keys[i + 1] as string | number, path);
        cur[k] = copy;
        cur = copy;
      }
    }
  }
  return out;
}

function copyContainer(value: Json, nextKey: string | number, path: CompiledPath): JsonObject | Json[] {
  if (typeof nextKey === 'number') {
    if (!Array.isArray(value)) throw new PathNotFoundError(path.text, path.normalized);
    return [...value];
  }
  if (!isObject(value)) throw new PathNotFoundError(path.text, path.normalized);
  return { ...value };
}
