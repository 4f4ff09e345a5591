/**
 * Choice rules (asl-surface.md §1.3). JSONPath rules are a boolean tree of And/Or/Not over
 * data tests (`Variable` plus exactly one operator); JSONata rules hold a `Condition`. Only
 * top-level rules carry `Next` (and `Assign`, and in JSONata `Output`).
 */
import { isObject, type Json, type JsonObject } from '../../lib/json.js';
import { checkFields, checkRequired, type FieldSpec } from './fields.js';
import { at, describeType, has, type QueryLanguage, type Reporter } from './report.js';
import {
  checkAssign,
  checkJsonataField,
  checkJsonataValue,
  checkPath,
  checkString,
  checkTimestamp,
} from './values.js';

type OperandKind = 'string' | 'number' | 'boolean' | 'timestamp' | 'path';

const COMPARISON_KINDS: Readonly<Record<string, OperandKind>> = (() => {
  const kinds: Record<string, OperandKind> = { StringMatches: 'string' };
  const families: [string, OperandKind, string[]][] = [
    ['String', 'string', ['Equals', 'LessThan', 'GreaterThan', 'LessThanEquals', 'GreaterThanEquals']],
    ['Numeric', 'number', ['Equals', 'LessThan', 'GreaterThan', 'LessThanEquals', 'GreaterThanEquals']],
    ['Timestamp', 'timestamp', ['Equals', 'LessThan', 'GreaterThan', 'LessThanEquals', 'GreaterThanEquals']],
    ['Boolean', 'boolean', ['Equals']],
  ];
  for (const [prefix, kind, ops] of families) {
    for (const op of ops) {
      kinds[prefix + op] = kind;
      kinds[`${prefix + op}Path`] = 'path';
    }
  }
  for (const t of ['IsNull', 'IsPresent', 'IsNumeric', 'IsString', 'IsBoolean', 'IsTimestamp']) kinds[t] = 'boolean';
  return kinds;
})();

export const CHOICE_COMPARISONS = Object.keys(COMPARISON_KINDS);
const CONNECTIVES = ['And', 'Or', 'Not', 'Variable'] as const;

export function checkChoices(r: Reporter, value: Json, location: string, ql: QueryLanguage): void {
  if (!Array.isArray(value)) {
    r.schema(`The value for the field 'Choices' must be an ARRAY but was ${describeType(value)}`, location);
    return;
  }
  if (value.length === 0) {
    r.schema('Value cannot be empty', location);
    return;
  }
  value.forEach((rule, i) => {
    const loc = at(location, i);
    if (!isObject(rule)) {
      r.schema(`The value for the field 'Choices' must contain OBJECTS but had ${describeType(rule)}`, loc);
      return;
    }
    if (ql === 'JSONata') checkJsonataRule(r, rule, loc);
    else checkJsonPathRule(r, rule, loc, true);
  });
}

const JSONATA_RULE_FIELDS: FieldSpec = { Condition: 'JSONata', Next: 'any', Assign: 'any', Output: 'JSONata', Comment: 'any' };

function checkJsonataRule(r: Reporter, rule: JsonObject, location: string): void {
  for (const key of Object.keys(rule)) {
    if (key === 'Variable' || key === 'And' || key === 'Or' || key === 'Not' || has(COMPARISON_KINDS, key)) {
      r.schema(`The QueryLanguage is set to 'JSONata', but field '${key}' is only supported for the 'JSONPath' QueryLanguage`, at(location, key));
    } else if (!has(JSONATA_RULE_FIELDS, key)) {
      r.schema(`Field '${key}' is not supported`, at(location, key));
    }
  }
  checkRequired(r, rule, ['Condition', 'Next'], location);
  const condition = rule['Condition'];
  if (condition !== undefined && typeof condition !== 'boolean') {
    if (typeof condition === 'string') checkJsonataField(r, condition, at(location, 'Condition'));
    else r.schema('The value for the field \'Condition\' must be a BOOLEAN or a JSONata expression', at(location, 'Condition'));
  }
  if (has(rule, 'Next')) checkString(r, rule['Next'] as Json, at(location, 'Next'));
  if (has(rule, 'Assign')) checkAssign(r, rule['Assign'] as Json, at(location, 'Assign'), 'JSONata');
  if (has(rule, 'Output')) checkJsonataValue(r, rule['Output'] as Json, at(location, 'Output'));
  if (has(rule, 'Comment')) checkString(r, rule['Comment'] as Json, at(location, 'Comment'));
}

function checkJsonPathRule(r: Reporter, rule: JsonObject, location: string, topLevel: boolean): void {
  const spec: Record<string, 'any' | QueryLanguage> = { And: 'any', Or: 'any', Not: 'any', Variable: 'any', Comment: 'any', Condition: 'JSONata' };
  for (const op of CHOICE_COMPARISONS) spec[op] = 'any';
  if (topLevel) Object.assign(spec, { Next: 'any', Assign: 'any', Output: 'JSONata' });
  checkFields(r, rule, spec, 'JSONPath', location);
  if (topLevel) {
    checkRequired(r, rule, ['Next'], location);
    if (has(rule, 'Next')) checkString(r, rule['Next'] as Json, at(location, 'Next'));
    if (has(rule, 'Assign')) checkAssign(r, rule['Assign'] as Json, at(location, 'Assign'), 'JSONPath');
  }
  if (has(rule, 'Comment')) checkString(r, rule['Comment'] as Json, at(location, 'Comment'));

  const kinds = CONNECTIVES.filter((k) => has(rule, k));
  if (kinds.length !== 1) {
    r.schema('The object must have only one of the following fields, [And, Or, Not, Variable]', location);
  }
  const operators = CHOICE_COMPARISONS.filter((op) => has(rule, op));
  if (has(rule, 'Variable')) {
    checkPath(r, rule['Variable'] as Json, at(location, 'Variable'), { reference: true });
    if (operators.length === 0) {
      r.schema('A Choice rule with \'Variable\' requires exactly one comparison operator (StringEquals, NumericLessThan, IsPresent, ...)', location);
    } else if (operators.length > 1) {
      r.schema(`There should only be one of the following fields: [${operators.join(', ')}]`, location);
    }
    for (const op of operators) checkOperand(r, op, rule[op] as Json, at(location, op));
  } else if (operators.length > 0) {
    r.schema(`Field '${operators[0] as string}' is not supported without 'Variable'`, at(location, operators[0] as string));
  }
  for (const op of ['And', 'Or'] as const) {
    if (!has(rule, op)) continue;
    const list = rule[op];
    const loc = at(location, op);
    if (!Array.isArray(list)) r.schema(`The value for the field '${op}' must be an ARRAY but was ${describeType(list)}`, loc);
    else if (list.length === 0) r.schema('Value cannot be empty', loc);
    else list.forEach((sub, i) => checkNested(r, sub, at(loc, i)));
  }
  if (has(rule, 'Not')) checkNested(r, rule['Not'] as Json, at(location, 'Not'));
}

function checkNested(r: Reporter, rule: Json, location: string): void {
  if (!isObject(rule)) {
    r.schema(`A Choice rule must be an OBJECT but was ${describeType(rule)}`, location);
    return;
  }
  checkJsonPathRule(r, rule, location, false);
}

function checkOperand(r: Reporter, op: string, value: Json, location: string): void {
  switch (COMPARISON_KINDS[op]) {
    case 'string':
      if (typeof value !== 'string') r.schema(`The value for the field '${op}' must be a STRING but was ${describeType(value)}`, location);
      break;
    case 'number':
      if (typeof value !== 'number') r.schema(`The value for the field '${op}' must be a NUMBER but was ${describeType(value)}`, location);
      break;
    case 'boolean':
      if (typeof value !== 'boolean') r.schema(`The value for the field '${op}' must be a BOOLEAN but was ${describeType(value)}`, location);
      break;
    case 'timestamp':
      checkTimestamp(r, value, location);
      break;
    case 'path':
      checkPath(r, value, location, { reference: true });
      break;
    default:
      break;
  }
}
