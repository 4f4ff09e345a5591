/**
 * IAM's evaluation of identity-based policies for one request (action, resource, context keys),
 * as AWS documents it ("Policy evaluation logic", "IAM JSON policy elements"):
 * - an explicit Deny in any statement wins; otherwise an Allow allows; otherwise the request is
 *   implicitly denied;
 * - a statement applies when its Action (or NotAction), its Resource (or NotResource) and all of
 *   its Condition blocks match;
 * - actions match case-insensitively, resources case-sensitively, both with the wildcards `*`
 *   (any run of characters) and `?` (one character);
 * - conditions: every operator block must hold, every key in a block must hold, and any one value
 *   of a key satisfies it (for the negated operators, no value may match). A key missing from the
 *   request makes a condition false, except for negated operators, `…IfExists` and `Null`.
 * (Written here: the npm evaluators are either AGPL-licensed or match actions case-sensitively and
 * cannot tell an explicit deny from an implicit one, which AWS's error messages distinguish.)
 */
import { conditionOperator, policyProblem, type ConditionOperator } from '../../lib/iam-policy.js';

export type Decision = 'allow' | 'explicitDeny' | 'implicitDeny';

export interface AuthRequest {
  /** `service:Action`, e.g. `dynamodb:PutItem`. */
  action: string;
  /** The ARN (or `*`) the action is performed on. */
  resource: string;
  /** Condition keys of the request (`aws:PrincipalArn`, `states:HTTPMethod`, …); names are case-insensitive. */
  context?: Readonly<Record<string, string>>;
}

interface CompiledCondition {
  operator: ConditionOperator;
  ifExists: boolean;
  /** Lower-cased key. */
  key: string;
  values: string[];
}

interface CompiledStatement {
  deny: boolean;
  actions: RegExp[];
  notAction: boolean;
  resources: RegExp[];
  notResource: boolean;
  conditions: CompiledCondition[];
}

/** A set of policy documents (a role's), compiled once and evaluated for many requests. */
export class PolicySet {
  private readonly statements: CompiledStatement[];

  /** Throws an Error naming the first problem of the first invalid document. */
  constructor(documents: readonly unknown[]) {
    this.statements = documents.flatMap((doc, i) => {
      const p = policyProblem(doc);
      if (p) throw new Error(`policy ${i + 1}${p.path.length ? ` at ${p.path.join('.')}` : ''}: ${p.message}`);
      const raw = (doc as { Statement: unknown }).Statement;
      return (Array.isArray(raw) ? raw : [raw]).map((s) => compileStatement(s as Record<string, unknown>));
    });
  }

  evaluate(req: AuthRequest): Decision {
    const context = lowerKeys(req.context ?? {});
    let allowed = false;
    for (const s of this.statements) {
      if (!applies(s, req, context)) continue;
      if (s.deny) return 'explicitDeny';
      allowed = true;
    }
    return allowed ? 'allow' : 'implicitDeny';
  }
}

function list(v: unknown): string[] {
  return (Array.isArray(v) ? v : [v]).map((x) => String(x));
}

function compileStatement(s: Record<string, unknown>): CompiledStatement {
  const notAction = 'NotAction' in s;
  const notResource = 'NotResource' in s;
  const conditions: CompiledCondition[] = [];
  for (const [name, block] of Object.entries((s['Condition'] ?? {}) as Record<string, Record<string, unknown>>)) {
    const op = conditionOperator(name) as { operator: ConditionOperator; ifExists: boolean };
    for (const [key, values] of Object.entries(block)) conditions.push({ ...op, key: key.toLowerCase(), values: list(values) });
  }
  return {
    deny: s['Effect'] === 'Deny',
    actions: list(s[notAction ? 'NotAction' : 'Action']).map((a) => wildcard(a, true)),
    notAction,
    resources: list(s[notResource ? 'NotResource' : 'Resource']).map((r) => wildcard(r, false)),
    notResource,
    conditions,
  };
}

/** `*` and `?` as IAM reads them; everything else literal. */
export function wildcard(pattern: string, ignoreCase: boolean): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\*?]/g, (c) => (c === '*' ? '.*' : c === '?' ? '.' : `\\${c}`));
  return new RegExp(`^${body}$`, ignoreCase ? 'is' : 's');
}

function applies(s: CompiledStatement, req: AuthRequest, context: Record<string, string>): boolean {
  if (s.actions.some((re) => re.test(req.action)) === s.notAction) return false;
  if (s.resources.some((re) => re.test(req.resource)) === s.notResource) return false;
  return s.conditions.every((c) => conditionHolds(c, context));
}

const NEGATED: ReadonlySet<ConditionOperator> = new Set(['StringNotEquals', 'StringNotEqualsIgnoreCase', 'StringNotLike', 'ArnNotEquals', 'ArnNotLike']);

function conditionHolds(c: CompiledCondition, context: Record<string, string>): boolean {
  const actual = context[c.key];
  if (c.operator === 'Null') return c.values.some((v) => v.toLowerCase() === String(actual === undefined));
  if (actual === undefined) return c.ifExists || NEGATED.has(c.operator);
  const matches = c.values.some((v) => valueMatches(c.operator, v, actual));
  return NEGATED.has(c.operator) ? !matches : matches;
}

function valueMatches(op: ConditionOperator, expected: string, actual: string): boolean {
  switch (op) {
    case 'StringEquals':
    case 'StringNotEquals':
      return expected === actual;
    case 'StringEqualsIgnoreCase':
    case 'StringNotEqualsIgnoreCase':
      return expected.toLowerCase() === actual.toLowerCase();
    case 'StringLike':
    case 'StringNotLike':
      return wildcard(expected, false).test(actual);
    case 'ArnEquals':
    case 'ArnNotEquals':
    case 'ArnLike':
    case 'ArnNotLike':
      return arnMatches(expected, actual);
    case 'Bool':
      return expected.toLowerCase() === actual.toLowerCase();
    case 'Null':
      return false;
  }
}

/** ArnLike: each of the six colon-separated parts matched on its own, so a wildcard never spans a colon before the resource part. */
function arnMatches(pattern: string, arn: string): boolean {
  const p = splitArn(pattern);
  const a = splitArn(arn);
  if (!p || !a) return false;
  return p.every((part, i) => wildcard(part, false).test(a[i] as string));
}

function splitArn(arn: string): string[] | undefined {
  const parts = arn.split(':');
  if (parts.length < 6) return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

function lowerKeys(o: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) out[k.toLowerCase()] = v;
  return out;
}
