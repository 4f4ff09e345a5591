/**
 * What the expression parsers share: the syntax tree, the request's ExpressionAttributeNames and
 * ExpressionAttributeValues (resolved as they are used, so that unused ones are reported as AWS
 * does), the semantic problems found while parsing (reported after the parse, first by category
 * in AWS's order), and document paths and operands.
 */
import type { AttributeValue } from '../values.js';
import { isReservedWord } from './reserved-words.js';
import { TokenStream } from './tokens.js';

export type Path = (string | number)[];

export type Operand =
  | { readonly kind: 'path'; readonly path: Path }
  | { readonly kind: 'value'; readonly value: AttributeValue; readonly ref: string }
  | { readonly kind: 'call'; readonly name: string; readonly args: Operand[] }
  | { readonly kind: 'arith'; readonly op: '+' | '-'; readonly left: Operand; readonly right: Operand };

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type Condition =
  | { readonly kind: 'and' | 'or'; readonly left: Condition; readonly right: Condition }
  | { readonly kind: 'not'; readonly cond: Condition }
  | { readonly kind: 'compare'; readonly op: Comparator; readonly left: Operand; readonly right: Operand }
  | { readonly kind: 'between'; readonly subject: Operand; readonly low: Operand; readonly high: Operand }
  | { readonly kind: 'in'; readonly subject: Operand; readonly list: Operand[] }
  | { readonly kind: 'call'; readonly name: string; readonly args: Operand[] };

/** The placeholders of one request, shared by all its expressions. */
export class Placeholders {
  readonly unusedNames: Set<string>;
  readonly unusedValues: Set<string>;

  constructor(
    private readonly names: Readonly<Record<string, string>> = {},
    private readonly values: Readonly<Record<string, AttributeValue>> = {},
  ) {
    this.unusedNames = new Set(Object.keys(names));
    this.unusedValues = new Set(Object.keys(values));
  }

  name(ref: string): string | undefined {
    if (!Object.hasOwn(this.names, ref)) return undefined;
    this.unusedNames.delete(ref);
    return this.names[ref];
  }

  value(ref: string): AttributeValue | undefined {
    if (!Object.hasOwn(this.values, ref)) return undefined;
    this.unusedValues.delete(ref);
    return this.values[ref];
  }
}

/** Semantic problems of one expression: the first message of each category. */
export class Problems {
  private readonly found = new Map<string, string>();

  add(category: string, message: string): void {
    if (!this.found.has(category)) this.found.set(category, message);
  }

  has(category: string): boolean {
    return this.found.has(category);
  }

  /** The message to report: the first category of `order` that has one. */
  first(order: readonly string[]): string | undefined {
    for (const c of order) {
      const m = this.found.get(c);
      if (m !== undefined) return m;
    }
    return undefined;
  }
}

export interface ParseContext {
  readonly ts: TokenStream;
  readonly placeholders: Placeholders;
  readonly problems: Problems;
  /** Words that are the language's keywords (never attribute names). */
  readonly keywords: ReadonlySet<string>;
}

export function pathText(path: Path): string {
  return `[${path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join(', ')}]`;
}

function isKeyword(ctx: ParseContext, offset = 0): boolean {
  const t = ctx.ts.peek(offset);
  return t?.kind === 'name' && ctx.keywords.has(t.text.toUpperCase());
}

function pathName(ctx: ParseContext): string {
  const t = ctx.ts.peek();
  if (t?.kind === 'attrName') {
    ctx.ts.next();
    const name = ctx.placeholders.name(t.text);
    if (name === undefined) {
      ctx.problems.add('attrName', `An expression attribute name used in the document path is not defined; attribute name: ${t.text}`);
      return t.text;
    }
    return name;
  }
  if (t?.kind === 'name' && !isKeyword(ctx)) {
    ctx.ts.next();
    if (isReservedWord(t.text)) ctx.problems.add('reserved', `Attribute name is a reserved keyword; reserved keyword: ${t.text}`);
    return t.text;
  }
  throw ctx.ts.fail();
}

/** A document path: `a.b[0].#c`. */
export function parsePath(ctx: ParseContext): Path {
  const path: Path = [pathName(ctx)];
  for (;;) {
    if (ctx.ts.isOp('[')) {
      ctx.ts.next();
      const t = ctx.ts.peek();
      if (t?.kind !== 'number') throw ctx.ts.fail();
      ctx.ts.next();
      ctx.ts.expectOp(']');
      path.push(Number(t.text));
    } else if (ctx.ts.isOp('.')) {
      ctx.ts.next();
      path.push(pathName(ctx));
    } else {
      return path;
    }
  }
}

export function parseValueRef(ctx: ParseContext): Operand {
  const t = ctx.ts.peek();
  if (t?.kind !== 'attrValue') throw ctx.ts.fail();
  ctx.ts.next();
  const value = ctx.placeholders.value(t.text);
  if (value === undefined) {
    ctx.problems.add('attrValue', `An expression attribute value used in expression is not defined; attribute value: ${t.text}`);
    return { kind: 'value', value: { NULL: true }, ref: t.text };
  }
  return { kind: 'value', value, ref: t.text };
}

/** Operands kept in parentheses, to find `((x))`, which AWS refuses as redundant. */
const parenthesised = new WeakSet<object>();

/** `(operand)`, a function call, a value placeholder or a path. */
export function parseOperand(ctx: ParseContext): Operand {
  const { ts } = ctx;
  if (ts.isOp('(')) {
    ts.next();
    const inner = parseOperand(ctx);
    ts.expectOp(')');
    if (parenthesised.has(inner)) ctx.problems.add('parens', 'The expression has redundant parentheses;');
    const wrapped = { ...inner } as Operand;
    parenthesised.add(wrapped);
    return wrapped;
  }
  const t = ts.peek();
  if (t?.kind === 'attrValue') return parseValueRef(ctx);
  if (t?.kind === 'name' && !isKeyword(ctx) && ts.isOp('(', 1)) {
    ts.next();
    ts.next();
    const args = [parseOperand(ctx)];
    while (ts.isOp(',')) {
      ts.next();
      args.push(parseOperand(ctx));
    }
    ts.expectOp(')');
    return { kind: 'call', name: t.text, args };
  }
  return { kind: 'path', path: parsePath(ctx) };
}

export function isParenthesised(node: object): boolean {
  return parenthesised.has(node);
}

export function markParenthesised(node: object): void {
  parenthesised.add(node);
}

/** The data type of an operand when the expression itself fixes it (a value, or a typed function). */
export function immediateType(op: Operand): string | undefined {
  if (op.kind !== 'value') return undefined;
  for (const t of ['S', 'N', 'B', 'NULL', 'BOOL', 'SS', 'NS', 'BS', 'L', 'M'] as const) if (op.value[t] !== undefined) return t;
  return undefined;
}

export function samePath(a: Operand, b: Operand): boolean {
  return a.kind === 'path' && b.kind === 'path' && a.path.length === b.path.length && a.path.every((p, i) => p === b.path[i]);
}
