/**
 * The grammar of IAM identity-based policy documents, as IAM checks one before it attaches it
 * (shared by the configuration, which refuses a bad document at its line, and the evaluator in
 * integrations/iam). A problem names where it is as a path into the document
 * (`['Statement', 0, 'Action']`) so a caller can point at it.
 *
 * Stepwise evaluates the Condition operators listed in CONDITION_OPERATORS (with their
 * `…IfExists` forms); any other operator, a set operator (`ForAnyValue:`/`ForAllValues:`) and
 * policy variables (`${aws:username}`) are refused, never ignored.
 */
export type PolicyPath = (string | number)[];

export interface PolicyProblem {
  path: PolicyPath;
  message: string;
  /** The problem is the element's name (the last step of `path`), not its value. */
  key?: true;
}

export const POLICY_VERSIONS = ['2012-10-17', '2008-10-17'] as const;

/** The condition operators Stepwise evaluates; each also as `<operator>IfExists` (except Null). */
export const CONDITION_OPERATORS = [
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'ArnEquals',
  'ArnLike',
  'ArnNotEquals',
  'ArnNotLike',
  'Bool',
  'Null',
] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

const DOCUMENT_KEYS = ['Version', 'Id', 'Statement'];
const STATEMENT_KEYS = ['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition', 'Principal', 'NotPrincipal'];
const ACTION = /^(?:\*|[A-Za-z0-9-]+:[A-Za-z0-9*?]+)$/;

/** The base operator of a condition operator (`StringLikeIfExists` → `StringLike`), or undefined if Stepwise does not evaluate it. */
export function conditionOperator(name: string): { operator: ConditionOperator; ifExists: boolean } | undefined {
  const ifExists = name.endsWith('IfExists');
  const base = ifExists ? name.slice(0, -'IfExists'.length) : name;
  if (!(CONDITION_OPERATORS as readonly string[]).includes(base) || (ifExists && base === 'Null')) return undefined;
  return { operator: base as ConditionOperator, ifExists };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const problem = (path: PolicyPath, message: string): PolicyProblem => ({ path, message });
const keyProblem = (path: PolicyPath, message: string): PolicyProblem => ({ path, message, key: true });

/** The first thing IAM (or Stepwise) would refuse in `doc`, or undefined when it is a valid identity-based policy. */
export function policyProblem(doc: unknown): PolicyProblem | undefined {
  if (!isPlainObject(doc)) return problem([], 'a policy document must be a JSON object with a Statement');
  for (const key of Object.keys(doc)) {
    if (!DOCUMENT_KEYS.includes(key)) return keyProblem([key], `unknown policy element '${key}' (expected ${DOCUMENT_KEYS.join(', ')})`);
  }
  const version = doc['Version'];
  if (version !== undefined && !(POLICY_VERSIONS as readonly unknown[]).includes(version)) {
    return problem(['Version'], `Version must be "2012-10-17" (or the older "2008-10-17")`);
  }
  if (doc['Id'] !== undefined && typeof doc['Id'] !== 'string') return problem(['Id'], 'Id must be a string');
  const statements = doc['Statement'];
  if (statements === undefined) return problem([], 'a policy document needs a Statement');
  if (Array.isArray(statements)) {
    if (statements.length === 0) return problem(['Statement'], 'Statement must not be empty');
    for (const [i, s] of statements.entries()) {
      const p = statementProblem(s, ['Statement', i]);
      if (p) return p;
    }
    return undefined;
  }
  return statementProblem(statements, ['Statement']);
}

function statementProblem(s: unknown, path: PolicyPath): PolicyProblem | undefined {
  if (!isPlainObject(s)) return problem(path, 'a statement must be a JSON object');
  for (const key of Object.keys(s)) {
    if (!STATEMENT_KEYS.includes(key)) return keyProblem([...path, key], `unknown statement element '${key}' (expected ${STATEMENT_KEYS.filter((k) => !k.includes('Principal')).join(', ')})`);
  }
  for (const key of ['Principal', 'NotPrincipal']) {
    if (key in s) return keyProblem([...path, key], `${key} is not allowed in an identity-based policy (a role's policies apply to the role itself)`);
  }
  if (s['Sid'] !== undefined && (typeof s['Sid'] !== 'string' || !/^[A-Za-z0-9]*$/.test(s['Sid']))) {
    return problem([...path, 'Sid'], 'Sid must be a string of letters and digits');
  }
  if (s['Effect'] !== 'Allow' && s['Effect'] !== 'Deny') return problem('Effect' in s ? [...path, 'Effect'] : path, 'Effect must be "Allow" or "Deny"');
  const actions = exactlyOne(s, path, 'Action', 'NotAction');
  if ('message' in actions) return actions;
  const ap = valuesProblem(s[actions.key], [...path, actions.key], (v) => (ACTION.test(v) ? undefined : `'${v}' is not an action: write service:Action (wildcards * and ? allowed), or *`));
  if (ap) return ap;
  const resources = exactlyOne(s, path, 'Resource', 'NotResource');
  if ('message' in resources) return resources;
  const rp = valuesProblem(s[resources.key], [...path, resources.key], (v) => {
    if (v.includes('${')) return 'policy variables (${…}) are not supported by Stepwise: write the resource out';
    return v === '*' || v.startsWith('arn:') ? undefined : `resource '${v}' must be an ARN (arn:…) or *`;
  });
  if (rp) return rp;
  if (s['Condition'] !== undefined) return conditionProblem(s['Condition'], [...path, 'Condition']);
  return undefined;
}

function exactlyOne(s: Record<string, unknown>, path: PolicyPath, a: string, notA: string): { key: string } | PolicyProblem {
  if (a in s && notA in s) return keyProblem([...path, notA], `a statement has either ${a} or ${notA}, not both`);
  if (a in s) return { key: a };
  if (notA in s) return { key: notA };
  return problem(path, `a statement needs ${a} (or ${notA})`);
}

function valuesProblem(v: unknown, path: PolicyPath, check: (value: string) => string | undefined): PolicyProblem | undefined {
  const list = Array.isArray(v) ? v : [v];
  if (list.length === 0) return problem(path, `${String(path.at(-1))} must not be empty`);
  for (const [i, item] of list.entries()) {
    const at = Array.isArray(v) ? [...path, i] : path;
    if (typeof item !== 'string' || item === '') return problem(at, `${String(path.at(-1))} must be a string or a list of strings`);
    const why = check(item);
    if (why) return problem(at, why);
  }
  return undefined;
}

function conditionProblem(c: unknown, path: PolicyPath): PolicyProblem | undefined {
  if (!isPlainObject(c)) return problem(path, 'Condition must be a map of condition operators');
  for (const [name, block] of Object.entries(c)) {
    const at = [...path, name];
    if (name.startsWith('ForAnyValue:') || name.startsWith('ForAllValues:')) {
      return keyProblem(at, `set operators (${name.split(':')[0]}:) are not supported by Stepwise, whose requests have no multivalued context keys`);
    }
    if (!conditionOperator(name)) {
      return keyProblem(at, `condition operator '${name}' is not supported by Stepwise (it evaluates ${CONDITION_OPERATORS.join(', ')}, and their …IfExists forms)`);
    }
    if (!isPlainObject(block) || Object.keys(block).length === 0) return problem(at, `${name} must map condition keys to values`);
    for (const [key, values] of Object.entries(block)) {
      const list = Array.isArray(values) ? values : [values];
      if (list.length === 0) return problem([...at, key], `${name} ${key} must have at least one value`);
      for (const v of list) {
        if (typeof v !== 'string' && typeof v !== 'boolean' && typeof v !== 'number') return problem([...at, key], `${name} ${key}: values must be strings (or booleans, numbers)`);
        if (typeof v === 'string' && v.includes('${')) return problem([...at, key], 'policy variables (${…}) are not supported by Stepwise: write the value out');
      }
    }
  }
  return undefined;
}
