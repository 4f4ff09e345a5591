/**
 * UpdateExpression: `SET path = value [, ...] REMOVE path [, ...] ADD path :v [, ...] DELETE path
 * :v [, ...]`, each clause at most once and in any order; SET values are operands, `a + b`,
 * `a - b`, `if_not_exists(path, value)` and `list_append(a, b)`. AWS's syntax and semantic
 * errors, including overlapping document paths.
 */
import type { AttributeValue } from '../values.js';
import { immediateType, parseOperand, parsePath, parseValueRef, pathText, Placeholders, Problems, type Operand, type ParseContext, type Path } from './ast.js';
import { invalid, SyntaxFailure, TokenStream } from './tokens.js';

export type UpdateAction =
  | { readonly kind: 'SET'; readonly path: Path; readonly value: Operand }
  | { readonly kind: 'REMOVE'; readonly path: Path }
  | { readonly kind: 'ADD' | 'DELETE'; readonly path: Path; readonly value: AttributeValue };

const KEYWORDS: ReadonlySet<string> = new Set(['SET', 'REMOVE', 'ADD', 'DELETE']);
const ORDER = ['parens', 'reserved', 'unknownFunction', 'section', 'attrName', 'attrValue', 'pathOverlap', 'pathConflict', 'operand', 'function'];
const ARITY: Readonly<Record<string, number>> = { if_not_exists: 2, list_append: 2 };
const TYPE_WORDS: Readonly<Record<string, string>> = { S: 'STRING', N: 'NUMBER', B: 'BINARY', NULL: 'NULL', BOOL: 'BOOLEAN', L: 'LIST', M: 'MAP' };

export function parseUpdate(source: string, placeholders: Placeholders): UpdateAction[] {
  if (source === '') throw invalid('UpdateExpression', 'The expression can not be empty;');
  const ctx: ParseContext = { ts: new TokenStream(source), placeholders, problems: new Problems(), keywords: KEYWORDS };
  const actions: UpdateAction[] = [];
  try {
    const seen = new Set<string>();
    do {
      const t = ctx.ts.peek();
      const clause = t?.kind === 'name' ? t.text.toUpperCase() : '';
      if (!KEYWORDS.has(clause)) throw ctx.ts.fail();
      if (seen.has(clause)) ctx.problems.add('section', `The "${clause}" section can only be used once in an update expression;`);
      seen.add(clause);
      ctx.ts.next();
      for (;;) {
        actions.push(parseAction(ctx, clause));
        if (!ctx.ts.isOp(',')) break;
        ctx.ts.next();
      }
    } while (!ctx.ts.atEnd());
  } catch (err) {
    if (err instanceof SyntaxFailure) throw invalid('UpdateExpression', err.message);
    throw err;
  }
  checkPaths(actions.map((a) => a.path), ctx.problems);
  for (const a of actions) checkAction(a, ctx.problems);
  const problem = ctx.problems.first(ORDER);
  if (problem !== undefined) throw invalid('UpdateExpression', problem);
  return actions;
}

function parseAction(ctx: ParseContext, clause: string): UpdateAction {
  const path = parsePath(ctx);
  if (clause === 'REMOVE') return { kind: 'REMOVE', path };
  if (clause === 'ADD' || clause === 'DELETE') {
    const v = parseValueRef(ctx);
    return { kind: clause, path, value: v.kind === 'value' ? v.value : { NULL: true } };
  }
  ctx.ts.expectOp('=');
  return { kind: 'SET', path, value: parseSetValue(ctx) };
}

/** `operand`, `operand + operand`, `operand - operand`, optionally in parentheses. */
function parseSetValue(ctx: ParseContext): Operand {
  const { ts } = ctx;
  const plain = ts.attempt(() => parseArithmetic(ctx));
  if (plain.ok) return plain.value;
  if (!ts.isOp('(')) throw plain.failure;
  const grouped = ts.attempt(() => {
    ts.next();
    const v = parseArithmetic(ctx);
    ts.expectOp(')');
    return v;
  });
  if (grouped.ok) return grouped.value;
  throw grouped.failure.at > plain.failure.at ? grouped.failure : plain.failure;
}

function parseArithmetic(ctx: ParseContext): Operand {
  const left = parseOperand(ctx);
  if (ctx.ts.isOp('+') || ctx.ts.isOp('-')) {
    const op = ctx.ts.next().text as '+' | '-';
    return { kind: 'arith', op, left, right: parseOperand(ctx) };
  }
  return left;
}

function checkPaths(paths: readonly Path[], problems: Problems): void {
  for (let j = 1; j < paths.length; j++) {
    for (let i = 0; i < j; i++) {
      const a = paths[i] as Path;
      const b = paths[j] as Path;
      let k = 0;
      for (; k < a.length && k < b.length; k++) {
        if (typeof a[k] !== typeof b[k]) {
          problems.add('pathConflict', `Two document paths conflict with each other; must remove or rewrite one of these paths; path one: ${pathText(a)}, path two: ${pathText(b)}`);
          break;
        }
        if (a[k] !== b[k]) break;
      }
      if (k === Math.min(a.length, b.length)) {
        problems.add('pathOverlap', `Two document paths overlap with each other; must remove or rewrite one of these paths; path one: ${pathText(a)}, path two: ${pathText(b)}`);
      }
    }
  }
}

function checkAction(a: UpdateAction, problems: Problems): void {
  if (a.kind === 'SET') return checkOperand(a.value, problems);
  if (a.kind === 'REMOVE') return;
  const type = immediateType({ kind: 'value', value: a.value, ref: '' }) ?? '';
  const allowed = a.kind === 'ADD' ? ['N', 'SS', 'NS', 'BS'] : ['SS', 'NS', 'BS'];
  if (!allowed.includes(type)) {
    problems.add('operand', `Incorrect operand type for operator or function; operator: ${a.kind}, operand type: ${TYPE_WORDS[type] ?? type}`);
  }
}

function checkOperand(op: Operand, problems: Problems): void {
  if (op.kind === 'arith') {
    for (const side of [op.left, op.right]) {
      checkOperand(side, problems);
      const t = typeOfOperand(side);
      if (t !== undefined && t !== 'N') problems.add('function', `Incorrect operand type for operator or function; operator or function: ${op.op}, operand type: ${t}`);
    }
    return;
  }
  if (op.kind !== 'call') return;
  const arity = ARITY[op.name];
  if (arity === undefined) {
    problems.add('unknownFunction', `Invalid function name; function: ${op.name}`);
    return;
  }
  for (const arg of op.args) checkOperand(arg, problems);
  if (op.args.length !== arity) {
    problems.add('function', `Incorrect number of operands for operator or function; operator or function: ${op.name}, number of operands: ${op.args.length}`);
    return;
  }
  if (op.name === 'if_not_exists' && op.args[0]?.kind !== 'path') {
    problems.add('function', `Operator or function requires a document path; operator or function: ${op.name}`);
  }
  if (op.name === 'list_append') {
    for (const arg of op.args) {
      const t = immediateType(arg);
      if (t !== undefined && t !== 'L') problems.add('function', `Incorrect operand type for operator or function; operator or function: list_append, operand type: ${t}`);
    }
  }
}

/** The type an operand is known to have before evaluation. */
function typeOfOperand(op: Operand): string | undefined {
  if (op.kind === 'arith') return 'N';
  if (op.kind === 'call' && op.name === 'list_append') return 'L';
  if (op.kind === 'call' && op.name === 'if_not_exists') return op.args[1] ? typeOfOperand(op.args[1]) : undefined;
  return immediateType(op);
}
