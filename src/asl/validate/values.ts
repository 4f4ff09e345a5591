/**
 * Checks of single field values: integers and ranges, enumerations, timestamps, JSONPath paths,
 * JSONata strings, intrinsic calls, payload templates and Assign blocks. Each reports through
 * the Reporter and returns nothing: the caller keeps going so that every problem is reported.
 */
import { isObject, type Json, type JsonObject } from '../../lib/json.js';
import { compileIntrinsic } from '../intrinsics.js';
import { compileJsonata } from '../jsonata.js';
import { compilePath } from '../jsonpath.js';
import { at, describeType, has, type QueryLanguage, type Reporter } from './report.js';

/** AWS's ceiling for timeouts, intervals and attempt counts. */
export const MAX_SECONDS = 99_999_999;

const RFC3339 = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

const VARIABLE_NAME = /^[\p{ID_Start}_][\p{ID_Continue}_]*$/u;

export function isJsonataString(value: Json | undefined): value is `{%${string}%}` {
  return typeof value === 'string' && value.startsWith('{%') && value.endsWith('%}') && value.length >= 4;
}

export function fieldName(location: string): string {
  const last = location.slice(location.lastIndexOf('/') + 1);
  return last.replace(/\[\d+\]$/, '');
}

export function checkString(r: Reporter, value: Json, location: string, opts: { nonEmpty?: boolean; maxLength?: number } = {}): value is string {
  if (typeof value !== 'string') {
    r.schema(`The value for the field '${fieldName(location)}' must be a STRING but was ${describeType(value)}`, location);
    return false;
  }
  if (opts.nonEmpty && value.length === 0) r.schema('Value cannot be empty', location);
  if (opts.maxLength !== undefined && [...value].length > opts.maxLength) {
    r.schema(`The value for the field '${fieldName(location)}' must not be longer than ${opts.maxLength} characters`, location);
  }
  return true;
}

export function checkBoolean(r: Reporter, value: Json, location: string): void {
  if (typeof value !== 'boolean') r.schema(`The value for the field '${fieldName(location)}' must be a BOOLEAN but was ${describeType(value)}`, location);
}

export function checkEnum(r: Reporter, value: Json, allowed: readonly string[], location: string): void {
  if (typeof value !== 'string' || !allowed.includes(value)) r.schema(`Value should be one of the following: [${allowed.join(', ')}]`, location);
}

export interface IntegerRange {
  min: number;
  max?: number;
}

/** An integer within range; in a JSONata state a `{% %}` string is accepted as well. */
export function checkInteger(r: Reporter, value: Json, location: string, range: IntegerRange, ql: QueryLanguage = 'JSONPath'): void {
  if (ql === 'JSONata' && typeof value === 'string') {
    checkJsonataField(r, value, location);
    return;
  }
  const ok = typeof value === 'number' && Number.isInteger(value) && value >= range.min && (range.max === undefined || value <= range.max);
  if (!ok) r.schema(`The value for the field '${fieldName(location)}' must be ${describeRange('an integer', range)}`, location);
}

/** A number (not necessarily an integer) within range, or JSONata in a JSONata state. */
export function checkNumber(r: Reporter, value: Json, location: string, range: IntegerRange, ql: QueryLanguage = 'JSONPath'): void {
  if (ql === 'JSONata' && typeof value === 'string') {
    checkJsonataField(r, value, location);
    return;
  }
  const ok = typeof value === 'number' && value >= range.min && (range.max === undefined || value <= range.max);
  if (!ok) r.schema(`The value for the field '${fieldName(location)}' must be ${describeRange('a number', range)}`, location);
}

function describeRange(kind: string, range: IntegerRange): string {
  return range.max === undefined ? `${kind} greater than or equal to ${range.min}` : `${kind} between ${range.min} and ${range.max}`;
}

export function isTimestamp(text: string): boolean {
  return RFC3339.test(text);
}

export function checkTimestamp(r: Reporter, value: Json, location: string, ql: QueryLanguage = 'JSONPath'): void {
  if (ql === 'JSONata' && isJsonataString(value)) {
    checkJsonataField(r, value, location);
    return;
  }
  if (typeof value !== 'string' || !isTimestamp(value)) {
    r.schema(`The value for the field '${fieldName(location)}' must be a valid RFC3339 timestamp`, location);
  }
}

export interface PathRules {
  /** Reference Path: names and single indexes only. */
  reference?: boolean;
  nullable?: boolean;
  /** ResultPath: no `$$` and no variables. */
  inputOnly?: boolean;
  /** ErrorPath/CausePath: an intrinsic call is accepted too. */
  intrinsic?: boolean;
}

export function checkPath(r: Reporter, value: Json, location: string, rules: PathRules = {}): void {
  if (value === null && rules.nullable) return;
  const field = fieldName(location);
  if (typeof value !== 'string') {
    r.schema(`The value for the field '${field}' must be a STRING but was ${describeType(value)}`, location);
    return;
  }
  if (rules.intrinsic && !value.startsWith('$')) {
    checkIntrinsic(r, value, location);
    return;
  }
  let compiled;
  try {
    compiled = compilePath(value);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    r.schema(rules.reference ? `Value is not a Reference Path: ${reason}` : `The value for the field '${field}' must be a valid JSONPath: ${reason}`, location);
    return;
  }
  if (rules.reference && !compiled.reference) {
    r.schema(`Value is not a Reference Path: '${value}' selects more than one value`, location);
    return;
  }
  if (rules.inputOnly && compiled.root !== 'input') {
    r.schema(`Value is not a Reference Path: '${field}' must refer to the state input ('$'), not to the context object or a variable`, location);
  }
}

export function checkIntrinsic(r: Reporter, text: string, location: string): void {
  try {
    compileIntrinsic(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    r.schema(`The value for the field '${fieldName(location)}' must be a valid JSONPath or a valid intrinsic function call: ${reason}`, location);
  }
}

/** A JSONata `{% %}` string that must compile. */
export function checkJsonataField(r: Reporter, value: string, location: string): void {
  if (!isJsonataString(value)) {
    r.schema(`The value for the field '${fieldName(location)}' must be a JSONata expression enclosed in {% %}`, location);
    return;
  }
  try {
    compileJsonata(value);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    r.schema(`The JSONata expression '${value}' specified for the field '${fieldName(location)}' is invalid: ${reason}`, location);
  }
}

/** Any JSON in a JSONata state: every `{% %}` string in it, at any depth, must compile. */
export function checkJsonataValue(r: Reporter, value: Json, location: string): void {
  if (typeof value === 'string') {
    if (isJsonataString(value)) checkJsonataField(r, value, location);
    else if (value.startsWith('{%')) r.schema('JSONata string must start with {% and end with %}', location);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => checkJsonataValue(r, v, at(location, i)));
  } else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) checkJsonataValue(r, v, at(location, k));
  }
}

/**
 * A JSONPath payload template (Parameters, ResultSelector, ItemSelector, Credentials): every key
 * ending in `.$` holds a path or an intrinsic call, and no two keys collide once renamed.
 */
export function checkTemplate(r: Reporter, value: Json, location: string): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => checkTemplate(r, v, at(location, i)));
    return;
  }
  if (!isObject(value)) return;
  const renamed = new Set<string>();
  for (const [k, v] of Object.entries(value)) {
    const loc = at(location, k);
    const name = k.endsWith('.$') ? k.slice(0, -2) : k;
    if (renamed.has(name)) r.schema(`The field '${name}' is defined more than once (with and without '.$')`, loc);
    renamed.add(name);
    if (k.endsWith('.$')) checkDynamicValue(r, v, loc);
    else if (typeof v === 'string' && LOOKS_DYNAMIC.test(v)) {
      r.warning('NO_DOLLAR', `The field '${k}' holds a value that looks like a JSONPath or an intrinsic function call, but its name does not end with '.$'`, loc);
    } else checkTemplate(r, v, loc);
  }
}

/** A string that reads like a path or an intrinsic call (AWS's NO_DOLLAR warning). */
const LOOKS_DYNAMIC = /^(\$\$?(\.|\[|$)|States\.[A-Za-z]+\()/;

/** The value of a `.$` key: a path (`$…`, `$$…`, `$var…`) or an intrinsic function call. */
export function checkDynamicValue(r: Reporter, value: Json, location: string): void {
  const field = fieldName(location);
  if (typeof value !== 'string') {
    r.schema(`The value for the field '${field}' must be a valid JSONPath or a valid intrinsic function call`, location);
  } else if (value.startsWith('$')) {
    try {
      compilePath(value);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      r.schema(`The value for the field '${field}' must be a valid JSONPath or a valid intrinsic function call: ${reason}`, location);
    }
  } else {
    checkIntrinsic(r, value, location);
  }
}

/** A template field (Parameters…) that must be an object in a JSONPath state. */
export function checkTemplateObject(r: Reporter, value: Json, location: string): void {
  if (!isObject(value)) {
    r.schema(`The value for the field '${fieldName(location)}' must be an OBJECT but was ${describeType(value)}`, location);
    return;
  }
  checkTemplate(r, value, location);
}

/** `Assign`: an object whose top-level keys are variable names. */
export function checkAssign(r: Reporter, value: Json, location: string, ql: QueryLanguage): void {
  if (!isObject(value)) {
    if (ql === 'JSONata' && isJsonataString(value)) {
      checkJsonataField(r, value, location);
      return;
    }
    r.schema(`The value for the field 'Assign' must be an OBJECT but was ${describeType(value)}`, location);
    return;
  }
  const names = new Set<string>();
  for (const [k, v] of Object.entries(value)) {
    const loc = at(location, k);
    const dynamic = ql === 'JSONPath' && k.endsWith('.$');
    const name = dynamic ? k.slice(0, -2) : k;
    if (!VARIABLE_NAME.test(name) || [...name].length > 80) {
      r.schema(`The variable name '${name}' is invalid: it must start with a letter or '_', contain only letters, digits and '_', and be at most 80 characters long`, loc);
    } else if (name === 'states') {
      r.schema("The variable name 'states' is reserved", loc);
    }
    if (names.has(name)) r.schema(`The variable '${name}' is assigned more than once`, loc);
    names.add(name);
    if (ql === 'JSONata') checkJsonataValue(r, v, loc);
    else if (dynamic) checkDynamicValue(r, v, loc);
    else checkTemplate(r, v, loc);
  }
}

/** `X` and `XPath` are mutually exclusive. Returns true when at most one is present. */
export function checkExclusive(r: Reporter, obj: JsonObject, fields: readonly string[], location: string): boolean {
  const present = fields.filter((f) => has(obj, f));
  if (present.length > 1) {
    r.schema(`There should only be one of the following fields: [${fields.join(', ')}]`, location);
    return false;
  }
  return true;
}
