/**
 * JSONPath-mode Choice rules: `And` / `Or` / `Not` over data tests (`Variable` + one of the 39
 * comparison operators). A rule is compiled once per state into a predicate over a PathContext.
 *
 * AWS semantics reproduced here:
 * - a value of the wrong type never matches (no error): `NumericEquals` on "1" is false;
 * - a `Variable` (or `…Path` operand) that selects nothing is a `States.Runtime` error, except
 *   for `IsPresent`, whose whole point is to test that;
 * - strings compare by UTF-16 code unit, numbers by value (1 equals 1.0), timestamps by instant.
 */
import type { Json } from '../lib/json.js';
import { compileStringMatches } from './choice/string-matches.js';
import { compareInstants, parseTimestamp, type Instant } from './timestamp.js';
import { StatesError } from './errors.js';
import { compilePath, PathNotFoundError, type CompiledPath } from './jsonpath.js';
import { resolvePath, type PathContext } from './path-context.js';

export type CompiledRule = (ctx: PathContext) => boolean;

/** A rule that AWS would reject when the state machine is created (bad shape or operand type). */
export class ChoiceRuleError extends Error {
  override readonly name = 'ChoiceRuleError';
}

const RELATIONS = ['Equals', 'LessThan', 'GreaterThan', 'LessThanEquals', 'GreaterThanEquals'] as const;
type Relation = (typeof RELATIONS)[number];

const TYPE_TESTS = ['IsNull', 'IsPresent', 'IsNumeric', 'IsString', 'IsBoolean', 'IsTimestamp'] as const;
type TypeTest = (typeof TYPE_TESTS)[number];

/** How one family of comparisons reads its operands: undefined means "not of this type". */
interface Family<T> {
  readonly relations: readonly Relation[];
  readonly read: (value: Json) => T | undefined;
  readonly compare: (a: T, b: T) => number;
  readonly expects: string;
}

const order = <T extends string | number>(a: T, b: T): number => (a < b ? -1 : a > b ? 1 : 0);

const FAMILIES = {
  String: {
    relations: RELATIONS,
    read: (v) => (typeof v === 'string' ? v : undefined),
    compare: order,
    expects: 'a string',
  } satisfies Family<string>,
  Numeric: {
    relations: RELATIONS,
    read: (v) => (typeof v === 'number' ? v : undefined),
    compare: order,
    expects: 'a number',
  } satisfies Family<number>,
  Boolean: {
    relations: ['Equals'],
    read: (v) => (typeof v === 'boolean' ? v : undefined),
    compare: (a, b) => (a === b ? 0 : 1),
    expects: 'a boolean',
  } satisfies Family<boolean>,
  Timestamp: {
    relations: RELATIONS,
    read: (v) => (typeof v === 'string' ? parseTimestamp(v) : undefined),
    compare: compareInstants,
    expects: 'an ISO-8601 timestamp string',
  } satisfies Family<Instant>,
} as const;
type FamilyName = keyof typeof FAMILIES;

const HOLDS: Record<Relation, (c: number) => boolean> = {
  Equals: (c) => c === 0,
  LessThan: (c) => c < 0,
  GreaterThan: (c) => c > 0,
  LessThanEquals: (c) => c <= 0,
  GreaterThanEquals: (c) => c >= 0,
};

interface ComparisonSpec {
  readonly family: FamilyName;
  readonly relation: Relation;
  readonly viaPath: boolean;
}

const COMPARISONS = new Map<string, ComparisonSpec>();
for (const family of Object.keys(FAMILIES) as FamilyName[]) {
  for (const relation of FAMILIES[family].relations) {
    COMPARISONS.set(`${family}${relation}`, { family, relation, viaPath: false });
    COMPARISONS.set(`${family}${relation}Path`, { family, relation, viaPath: true });
  }
}

/** The 39 comparison operators of a JSONPath data-test rule. */
export const CHOICE_OPERATORS: readonly string[] = Object.freeze([...COMPARISONS.keys(), 'StringMatches', ...TYPE_TESTS]);
const OPERATOR_SET = new Set(CHOICE_OPERATORS);

/** Fields a top-level rule may carry besides its condition (Output is JSONata-only but harmless here). */
const TOP_LEVEL_EXTRAS = new Set(['Next', 'Comment', 'Assign', 'Output']);
const NESTED_EXTRAS = new Set(['Comment']);
const COMBINATORS: ReadonlySet<string> = new Set(['And', 'Or', 'Not']);

/** Compile a top-level JSONPath Choice rule (the `Next`, `Comment` and `Assign` fields are ignored). */
export function compileChoiceRule(rule: Record<string, unknown>): CompiledRule {
  return compileRule(rule, TOP_LEVEL_EXTRAS, 'Choices');
}

function compileRule(rule: unknown, extras: ReadonlySet<string>, where: string): CompiledRule {
  if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) {
    throw new ChoiceRuleError(`${where}: a Choice rule must be an object`);
  }
  const r = rule as Record<string, unknown>;
  const keys = Object.keys(r).filter((k) => !extras.has(k));
  const combinators = keys.filter((k) => COMBINATORS.has(k));
  const operators = keys.filter((k) => OPERATOR_SET.has(k));
  const unknown = keys.filter((k) => k !== 'Variable' && !COMBINATORS.has(k) && !OPERATOR_SET.has(k));
  if (unknown.length > 0) throw new ChoiceRuleError(`${where}: unexpected field(s) ${unknown.map((k) => `'${k}'`).join(', ')}`);
  if (combinators.length > 1 || (combinators.length === 1 && keys.length > 1)) {
    throw new ChoiceRuleError(`${where}: '${combinators[0] as string}' cannot be combined with other conditions in one rule`);
  }
  const combinator = combinators[0];
  if (combinator === 'Not') return compileNot(r.Not, `${where}.Not`);
  if (combinator === 'And' || combinator === 'Or') return compileJunction(combinator, r[combinator], `${where}.${combinator}`);
  if (operators.length !== 1) {
    throw new ChoiceRuleError(
      operators.length === 0 ? `${where}: a rule needs a comparison operator or And/Or/Not` : `${where}: a rule takes exactly one comparison operator, got ${operators.join(', ')}`,
    );
  }
  return compileDataTest(r, operators[0] as string, where);
}

function compileNot(inner: unknown, where: string): CompiledRule {
  const rule = compileRule(inner, NESTED_EXTRAS, where);
  return (ctx) => !rule(ctx);
}

function compileJunction(kind: 'And' | 'Or', list: unknown, where: string): CompiledRule {
  if (!Array.isArray(list) || list.length === 0) throw new ChoiceRuleError(`${where}: must be a non-empty array of rules`);
  const rules = list.map((inner, i) => compileRule(inner, NESTED_EXTRAS, `${where}[${i}]`));
  // Short-circuit: a later rule is not evaluated, so its missing path cannot fail the execution.
  if (kind === 'And') {
    return (ctx) => {
      for (const rule of rules) if (!rule(ctx)) return false;
      return true;
    };
  }
  return (ctx) => {
    for (const rule of rules) if (rule(ctx)) return true;
    return false;
  };
}

function compileDataTest(r: Record<string, unknown>, operator: string, where: string): CompiledRule {
  const variable = compileRulePath(r.Variable, `${where}.Variable`);
  const operand = r[operator];
  const at = `${where}.${operator}`;
  if (operator === 'IsPresent') {
    const expected = booleanOperand(operand, at);
    return (ctx) => (lookup(variable, ctx) !== undefined) === expected;
  }
  if ((TYPE_TESTS as readonly string[]).includes(operator)) {
    const test = TYPE_TEST_FNS[operator as Exclude<TypeTest, 'IsPresent'>];
    const expected = booleanOperand(operand, at);
    return (ctx) => test(resolveOrFail(variable, ctx)) === expected;
  }
  if (operator === 'StringMatches') return compileStringMatchesTest(variable, operand, at);
  return compileComparison(variable, COMPARISONS.get(operator) as ComparisonSpec, operand, at);
}

const TYPE_TEST_FNS: Record<Exclude<TypeTest, 'IsPresent'>, (value: Json) => boolean> = {
  IsNull: (v) => v === null,
  IsNumeric: (v) => typeof v === 'number',
  IsString: (v) => typeof v === 'string',
  IsBoolean: (v) => typeof v === 'boolean',
  IsTimestamp: (v) => typeof v === 'string' && parseTimestamp(v) !== undefined,
};

function compileComparison(variable: CompiledPath, spec: ComparisonSpec, operand: unknown, at: string): CompiledRule {
  const family = FAMILIES[spec.family] as Family<unknown>;
  const holds = HOLDS[spec.relation];
  if (spec.viaPath) {
    const operandPath = compileRulePath(operand, at);
    return (ctx) => {
      const left = family.read(resolveOrFail(variable, ctx));
      const right = family.read(resolveOrFail(operandPath, ctx));
      return left !== undefined && right !== undefined && holds(family.compare(left, right));
    };
  }
  const right = family.read(operand as Json);
  if (right === undefined) throw new ChoiceRuleError(`${at}: the value must be ${family.expects}`);
  return (ctx) => {
    const left = family.read(resolveOrFail(variable, ctx));
    return left !== undefined && holds(family.compare(left, right));
  };
}

function compileStringMatchesTest(variable: CompiledPath, pattern: unknown, at: string): CompiledRule {
  if (typeof pattern !== 'string') throw new ChoiceRuleError(`${at}: the value must be a string`);
  const matches = compileStringMatches(pattern);
  return (ctx) => {
    const value = resolveOrFail(variable, ctx);
    if (!matches) throw new StatesError('States.Runtime', `The StringMatches pattern '${pattern}' ends with an open escape '\\'.`);
    return typeof value === 'string' && matches(value);
  };
}

function booleanOperand(value: unknown, at: string): boolean {
  if (typeof value !== 'boolean') throw new ChoiceRuleError(`${at}: the value must be a boolean`);
  return value;
}

function compileRulePath(text: unknown, at: string): CompiledPath {
  if (typeof text !== 'string') throw new ChoiceRuleError(`${at}: must be a JSONPath string`);
  try {
    return compilePath(text);
  } catch (err) {
    throw new ChoiceRuleError(`${at}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** The selected value, or undefined when the path selects nothing (or names an unassigned variable). */
function lookup(path: CompiledPath, ctx: PathContext): Json | undefined {
  try {
    return resolvePath(path, ctx);
  } catch (err) {
    if (err instanceof PathNotFoundError) return undefined;
    if (err instanceof StatesError && path.root === 'variable' && ctx.lookupVariable(path.variable as string) === undefined) {
      return undefined;
    }
    throw err;
  }
}

function resolveOrFail(path: CompiledPath, ctx: PathContext): Json {
  const value = lookup(path, ctx);
  if (value === undefined) {
    throw new StatesError('States.Runtime', `Invalid path '${path.text}': The choice state's condition path references an invalid value.`);
  }
  return value;
}
