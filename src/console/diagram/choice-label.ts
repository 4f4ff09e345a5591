/**
 * Short, readable renderings of Choice rules for edge labels: `$.x == 3`, `$.s starts with "a"`,
 * `And($.a is present, $.b > 1)`, or a JSONata Condition's text. Labels are cut to a length that
 * keeps the diagram readable; the full text goes in the edge's tooltip.
 */
import { isObject, type Json, type JsonObject } from '../../lib/json.js';

export const LABEL_MAX = 44;

const COMPARISON = /^(String|Numeric|Boolean|Timestamp)(Equals|LessThan|GreaterThan|LessThanEquals|GreaterThanEquals)(Path)?$/;
const OPERATOR: Record<string, string> = { Equals: '==', LessThan: '<', GreaterThan: '>', LessThanEquals: '<=', GreaterThanEquals: '>=' };
const TYPE_TESTS: Record<string, [string, string]> = {
  IsNull: ['is null', 'is not null'],
  IsPresent: ['is present', 'is not present'],
  IsNumeric: ['is numeric', 'is not numeric'],
  IsString: ['is a string', 'is not a string'],
  IsBoolean: ['is a boolean', 'is not a boolean'],
  IsTimestamp: ['is a timestamp', 'is not a timestamp'],
};

/** Cut text to `max` characters, ending with an ellipsis when cut. */
export function truncate(text: string, max = LABEL_MAX): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/** The full rendering of one Choice rule (JSONPath rule or JSONata `Condition`). */
export function describeChoiceRule(rule: unknown): string {
  if (!isObject(rule)) return '?';
  const condition = rule['Condition'];
  if (typeof condition === 'string') return describeCondition(condition);
  if (typeof condition === 'boolean') return String(condition);
  return describeJsonPathRule(rule);
}

/** A JSONata Condition without its `{% %}` delimiters. */
export function describeCondition(condition: string): string {
  return condition.replace(/^\s*\{%/, '').replace(/%\}\s*$/, '').replace(/\s+/g, ' ').trim();
}

function describeJsonPathRule(rule: JsonObject): string {
  for (const op of ['And', 'Or'] as const) {
    const list = rule[op];
    if (Array.isArray(list)) return `${op}(${list.map((r) => (isObject(r) ? describeJsonPathRule(r) : '?')).join(', ')})`;
  }
  const not = rule['Not'];
  if (isObject(not)) return `Not(${describeJsonPathRule(not)})`;
  const variable = typeof rule['Variable'] === 'string' ? rule['Variable'] : '?';
  for (const [key, value] of Object.entries(rule)) {
    if (key === 'Variable' || key === 'Next' || key === 'Comment' || key === 'Assign' || key === 'Output') continue;
    const text = describeTest(key, value);
    if (text !== undefined) return `${variable} ${text}`;
  }
  return variable;
}

function describeTest(key: string, value: Json): string | undefined {
  const test = TYPE_TESTS[key];
  if (test) return value === false ? test[1] : test[0];
  if (key === 'StringMatches' && typeof value === 'string') return describeMatch(value);
  const m = COMPARISON.exec(key);
  if (!m) return undefined;
  const [, kind, op, path] = m;
  const rendered = path || kind === 'Numeric' || kind === 'Boolean' ? (typeof value === 'string' ? value : JSON.stringify(value)) : JSON.stringify(value);
  return `${OPERATOR[op ?? ''] ?? op} ${rendered}`;
}

/** `a*` reads as "starts with", `*a` as "ends with", `*a*` as "contains"; other patterns verbatim. */
function describeMatch(pattern: string): string {
  const plain = (s: string): boolean => s.length > 0 && !/[*\\]/.test(s);
  if (pattern.endsWith('*') && plain(pattern.slice(0, -1))) return `starts with ${JSON.stringify(pattern.slice(0, -1))}`;
  if (pattern.startsWith('*') && plain(pattern.slice(1))) return `ends with ${JSON.stringify(pattern.slice(1))}`;
  if (pattern.length > 2 && pattern.startsWith('*') && pattern.endsWith('*') && plain(pattern.slice(1, -1))) {
    return `contains ${JSON.stringify(pattern.slice(1, -1))}`;
  }
  return `matches ${JSON.stringify(pattern)}`;
}
