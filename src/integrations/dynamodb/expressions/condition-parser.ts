/**
 * ConditionExpression, FilterExpression and KeyConditionExpression: DynamoDB's condition grammar
 * (comparators, BETWEEN, IN, AND/OR/NOT, parentheses, and the functions attribute_exists,
 * attribute_not_exists, attribute_type, begins_with, contains and size), parsed by recursive
 * descent with AWS's syntax and semantic errors.
 */
import { compareScalars } from '../values.js';
import {
  immediateType,
  isParenthesised,
  markParenthesised,
  parseOperand,
  pathText,
  Placeholders,
  Problems,
  samePath,
  type Comparator,
  type Condition,
  type Operand,
  type ParseContext,
} from './ast.js';
import { invalid, SyntaxFailure, TokenStream } from './tokens.js';

const KEYWORDS: ReadonlySet<string> = new Set(['AND', 'OR', 'NOT', 'BETWEEN', 'IN']);
const COMPARATORS: ReadonlySet<string> = new Set(['=', '<>', '<', '<=', '>', '>=']);
/** AWS reports the first problem found in this order of categories. */
const ORDER = ['parens', 'unknownFunction', 'misusedFunction', 'reserved', 'attrName', 'attrValue', 'operand', 'distinct', 'function'];
const ARITY: Readonly<Record<string, number>> = { attribute_exists: 1, attribute_not_exists: 1, attribute_type: 2, begins_with: 2, contains: 2, size: 1 };
const TYPE_NAMES = ['S', 'N', 'B', 'NULL', 'SS', 'BOOL', 'L', 'BS', 'NS', 'M'];

export type ConditionKind = 'ConditionExpression' | 'FilterExpression' | 'KeyConditionExpression';

export function parseCondition(kind: ConditionKind, source: string, placeholders: Placeholders): Condition {
  if (source === '') throw invalid(kind, 'The expression can not be empty;');
  const ctx: ParseContext = { ts: new TokenStream(source), placeholders, problems: new Problems(), keywords: KEYWORDS };
  let cond: Condition;
  try {
    cond = parseOr(ctx);
    if (!ctx.ts.atEnd()) throw ctx.ts.fail();
  } catch (err) {
    if (err instanceof SyntaxFailure) throw invalid(kind, err.message);
    throw err;
  }
  checkCondition(cond, ctx.problems);
  const problem = ctx.problems.first(ORDER);
  if (problem !== undefined) throw invalid(kind, problem);
  return cond;
}

function parseOr(ctx: ParseContext): Condition {
  let left = parseAnd(ctx);
  while (ctx.ts.isKeyword('OR')) {
    ctx.ts.next();
    left = { kind: 'or', left, right: parseAnd(ctx) };
  }
  return left;
}

function parseAnd(ctx: ParseContext): Condition {
  let left = parseNot(ctx);
  while (ctx.ts.isKeyword('AND')) {
    ctx.ts.next();
    left = { kind: 'and', left, right: parseNot(ctx) };
  }
  return left;
}

function parseNot(ctx: ParseContext): Condition {
  if (ctx.ts.isKeyword('NOT')) {
    ctx.ts.next();
    return { kind: 'not', cond: parseNot(ctx) };
  }
  return parsePrimary(ctx);
}

/** `( condition )` or a comparison; a `(` may also open a parenthesised operand: `(a) = :v`. */
function parsePrimary(ctx: ParseContext): Condition {
  const { ts } = ctx;
  if (!ts.isOp('(')) return parseComparison(ctx);
  const start = ts.pos;
  const grouped = ts.attempt(() => {
    ts.next();
    const inner = parseOr(ctx);
    ts.expectOp(')');
    return inner;
  });
  const after = ts.peek();
  const continuesAsOperand = grouped.ok && ((after?.kind === 'op' && COMPARATORS.has(after.text)) || ts.isKeyword('BETWEEN') || ts.isKeyword('IN'));
  if (grouped.ok && !continuesAsOperand) {
    if (isParenthesised(grouped.value)) ctx.problems.add('parens', 'The expression has redundant parentheses;');
    const wrapped = { ...grouped.value } as Condition;
    markParenthesised(wrapped);
    return wrapped;
  }
  const at = grouped.ok ? undefined : grouped.failure;
  ts.pos = start;
  const comparison = ts.attempt(() => parseComparison(ctx));
  if (comparison.ok) return comparison.value;
  throw at && at.at > comparison.failure.at ? at : comparison.failure;
}

function parseComparison(ctx: ParseContext): Condition {
  const { ts } = ctx;
  const left = parseOperand(ctx);
  const t = ts.peek();
  if (t?.kind === 'op' && COMPARATORS.has(t.text)) {
    ts.next();
    return { kind: 'compare', op: t.text as Comparator, left, right: parseOperand(ctx) };
  }
  if (ts.isKeyword('BETWEEN')) {
    ts.next();
    const low = parseOperand(ctx);
    if (!ts.isKeyword('AND')) throw ts.fail();
    ts.next();
    return { kind: 'between', subject: left, low, high: parseOperand(ctx) };
  }
  if (ts.isKeyword('IN')) {
    ts.next();
    ts.expectOp('(');
    const list = [parseOperand(ctx)];
    while (ts.isOp(',')) {
      ts.next();
      list.push(parseOperand(ctx));
    }
    ts.expectOp(')');
    return { kind: 'in', subject: left, list };
  }
  if (left.kind === 'call' && !isParenthesised(left)) return { kind: 'call', name: left.name, args: left.args };
  throw ts.fail();
}

function checkCondition(c: Condition, problems: Problems): void {
  switch (c.kind) {
    case 'and':
    case 'or':
      checkCondition(c.left, problems);
      checkCondition(c.right, problems);
      return;
    case 'not':
      checkCondition(c.cond, problems);
      return;
    case 'compare':
      checkOperands([c.left, c.right], problems);
      if (samePath(c.left, c.right)) distinct(c.op, c.left, problems);
      return;
    case 'between':
      checkOperands([c.subject, c.low, c.high], problems);
      checkBetweenBounds(c.low, c.high, problems);
      return;
    case 'in':
      checkOperands([c.subject, ...c.list], problems);
      return;
    case 'call':
      if (c.name === 'size') problems.add('misusedFunction', 'The function is not allowed to be used this way in an expression; function: size');
      checkOperands(c.args, problems);
      checkFunction(c.name, c.args, problems);
  }
}

/** Operands of a comparison or function: only `size` may be called there. */
function checkOperands(ops: readonly Operand[], problems: Problems): void {
  for (const op of ops) {
    if (op.kind !== 'call') continue;
    if (ARITY[op.name] === undefined) problems.add('unknownFunction', `Invalid function name; function: ${op.name}`);
    else if (op.name !== 'size') problems.add('misusedFunction', `The function is not allowed to be used this way in an expression; function: ${op.name}`);
    else {
      checkOperands(op.args, problems);
      checkFunction(op.name, op.args, problems);
    }
  }
}

function distinct(operator: string, first: Operand, problems: Problems): void {
  if (first.kind !== 'path') return;
  problems.add('distinct', `The first operand must be distinct from the remaining operands for this operator or function; operator: ${operator}, first operand: ${pathText(first.path)}`);
}

/** The type an operand is known to have: a value's, or N for size(). */
function knownType(op: Operand): string | undefined {
  if (op.kind === 'call' && op.name === 'size') return 'N';
  return immediateType(op);
}

function checkFunction(name: string, args: readonly Operand[], problems: Problems): void {
  const arity = ARITY[name];
  if (arity === undefined) {
    problems.add('unknownFunction', `Invalid function name; function: ${name}`);
    return;
  }
  if (args.length !== arity) {
    problems.add('operand', `Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${args.length}`);
    return;
  }
  if (args.length === 2 && samePath(args[0] as Operand, args[1] as Operand)) distinct(name, args[0] as Operand, problems);
  const badType = (type: string) => problems.add('function', `Incorrect operand type for operator or function; operator or function: ${name}, operand type: ${type}`);
  switch (name) {
    case 'attribute_exists':
    case 'attribute_not_exists':
      if (args[0]?.kind !== 'path') problems.add('function', `Operator or function requires a document path; operator or function: ${name}`);
      return;
    case 'begins_with':
      for (const a of args) {
        const t = knownType(a);
        if (t !== undefined && t !== 'S' && t !== 'B') return badType(t);
      }
      return;
    case 'attribute_type': {
      const typeArg = args[1] as Operand;
      const t = knownType(typeArg);
      if (t !== 'S') return badType(t ?? '{NS,SS,L,BS,N,M,B,BOOL,NULL,S}');
      const typeName = typeArg.kind === 'value' ? (typeArg.value.S ?? '') : '';
      if (!TYPE_NAMES.includes(typeName)) problems.add('function', `Invalid attribute type name found; type: ${typeName}, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}`);
      return;
    }
    case 'size': {
      const t = knownType(args[0] as Operand);
      if (t === 'N' || t === 'BOOL' || t === 'NULL') badType(t);
      return;
    }
  }
}

function checkBetweenBounds(low: Operand, high: Operand, problems: Problems): void {
  if (low.kind !== 'value' || high.kind !== 'value') return;
  const t1 = immediateType(low);
  const t2 = immediateType(high);
  if (t1 === undefined || t2 === undefined) return;
  const bounds = `lower bound operand: AttributeValue: {${t1}:${String(low.value[t1 as 'S'])}}, upper bound operand: AttributeValue: {${t2}:${String(high.value[t2 as 'S'])}}`;
  if (t1 !== t2) problems.add('function', `The BETWEEN operator requires same data type for lower and upper bounds; ${bounds}`);
  else if ((compareScalars(low.value, high.value) ?? 0) > 0) {
    problems.add('function', `The BETWEEN operator requires upper bound to be greater than or equal to lower bound; ${bounds}`);
  }
}
