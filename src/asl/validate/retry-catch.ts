/** Retry and Catch arrays of Task, Parallel and Map states (asl-surface.md §4.2, §4.3). */
import { isObject, type Json } from '../../lib/json.js';
import { checkFields, checkRequired, type FieldSpec } from './fields.js';
import { at, describeType, has, type QueryLanguage, type Reporter } from './report.js';
import { checkAssign, checkEnum, checkInteger, checkJsonataValue, checkNumber, checkPath, checkString, MAX_SECONDS } from './values.js';

const RETRIER_FIELDS: FieldSpec = {
  ErrorEquals: 'any', IntervalSeconds: 'any', MaxAttempts: 'any', BackoffRate: 'any',
  MaxDelaySeconds: 'any', JitterStrategy: 'any', Comment: 'any',
};

const CATCHER_FIELDS: FieldSpec = {
  ErrorEquals: 'any', Next: 'any', ResultPath: 'JSONPath', Output: 'JSONata', Assign: 'any', Comment: 'any',
};

/** The longest interval cap LocalStack accepts: one year and one second. */
const MAX_DELAY_SECONDS = 31_622_401;

export function checkRetry(r: Reporter, value: Json, location: string, ql: QueryLanguage): void {
  if (!Array.isArray(value)) {
    r.schema(`The value for the field 'Retry' must be an ARRAY but was ${describeType(value)}`, location);
    return;
  }
  value.forEach((retrier, i) => {
    const loc = at(location, i);
    if (!isObject(retrier)) {
      r.schema(`The value for the field 'Retry' must contain OBJECTS but had ${describeType(retrier)}`, loc);
      return;
    }
    checkFields(r, retrier, RETRIER_FIELDS, ql, loc);
    if (checkRequired(r, retrier, ['ErrorEquals'], loc)) checkErrorEquals(r, retrier['ErrorEquals'] as Json, at(loc, 'ErrorEquals'), i === value.length - 1);
    if (has(retrier, 'IntervalSeconds')) checkInteger(r, retrier['IntervalSeconds'] as Json, at(loc, 'IntervalSeconds'), { min: 1, max: MAX_SECONDS });
    if (has(retrier, 'MaxAttempts')) checkInteger(r, retrier['MaxAttempts'] as Json, at(loc, 'MaxAttempts'), { min: 0, max: MAX_SECONDS });
    if (has(retrier, 'BackoffRate')) checkNumber(r, retrier['BackoffRate'] as Json, at(loc, 'BackoffRate'), { min: 1 });
    if (has(retrier, 'MaxDelaySeconds')) checkInteger(r, retrier['MaxDelaySeconds'] as Json, at(loc, 'MaxDelaySeconds'), { min: 1, max: MAX_DELAY_SECONDS });
    if (has(retrier, 'JitterStrategy')) checkEnum(r, retrier['JitterStrategy'] as Json, ['FULL', 'NONE'], at(loc, 'JitterStrategy'));
    if (has(retrier, 'Comment')) checkString(r, retrier['Comment'] as Json, at(loc, 'Comment'));
  });
}

export function checkCatch(r: Reporter, value: Json, location: string, ql: QueryLanguage): void {
  if (!Array.isArray(value)) {
    r.schema(`The value for the field 'Catch' must be an ARRAY but was ${describeType(value)}`, location);
    return;
  }
  value.forEach((catcher, i) => {
    const loc = at(location, i);
    if (!isObject(catcher)) {
      r.schema(`The value for the field 'Catch' must contain OBJECTS but had ${describeType(catcher)}`, loc);
      return;
    }
    checkFields(r, catcher, CATCHER_FIELDS, ql, loc);
    checkRequired(r, catcher, ['ErrorEquals', 'Next'], loc);
    if (has(catcher, 'ErrorEquals')) checkErrorEquals(r, catcher['ErrorEquals'] as Json, at(loc, 'ErrorEquals'), i === value.length - 1);
    if (has(catcher, 'Next')) checkString(r, catcher['Next'] as Json, at(loc, 'Next'));
    if (has(catcher, 'ResultPath') && ql === 'JSONPath') {
      checkPath(r, catcher['ResultPath'] as Json, at(loc, 'ResultPath'), { reference: true, nullable: true, inputOnly: true });
    }
    if (has(catcher, 'Output') && ql === 'JSONata') checkJsonataValue(r, catcher['Output'] as Json, at(loc, 'Output'));
    if (has(catcher, 'Assign')) checkAssign(r, catcher['Assign'] as Json, at(loc, 'Assign'), ql);
    if (has(catcher, 'Comment')) checkString(r, catcher['Comment'] as Json, at(loc, 'Comment'));
  });
}

/** A non-empty array of error names; `States.ALL` alone, and only in the last retrier/catcher. */
function checkErrorEquals(r: Reporter, value: Json, location: string, isLast: boolean): void {
  if (!Array.isArray(value)) {
    r.schema(`The value for the field 'ErrorEquals' must be an ARRAY but was ${describeType(value)}`, location);
    return;
  }
  if (value.length === 0) {
    r.schema('Value cannot be empty', location);
    return;
  }
  value.forEach((name, i) => {
    if (typeof name !== 'string') r.schema(`The value for the field 'ErrorEquals' must contain STRINGS but had ${describeType(name)}`, at(location, i));
  });
  if (value.includes('States.ALL') && (value.length > 1 || !isLast)) {
    r.schema('States.ALL must appear alone and at end of list', location);
  }
}
