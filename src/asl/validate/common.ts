/** Checks shared by several state types: transitions, input/output fields, results, Assign. */
import { isObject, type Json, type JsonObject } from '../../lib/json.js';
import { at, describeType, has, type QueryLanguage, type Reporter } from './report.js';
import {
  checkAssign,
  checkBoolean,
  checkJsonataField,
  checkJsonataValue,
  checkPath,
  checkString,
  checkTemplate,
  fieldName,
  isJsonataString,
} from './values.js';

/** Exactly one of `Next` (a state name) and `End: true`. */
export function checkTransition(r: Reporter, state: JsonObject, location: string): void {
  const hasNext = has(state, 'Next');
  if (has(state, 'End')) checkBoolean(r, state['End'] as Json, at(location, 'End'));
  const ends = state['End'] === true;
  if (hasNext) checkString(r, state['Next'] as Json, at(location, 'Next'));
  if (hasNext && ends) r.schema('There should only be one of the following fields: [Next, End]', location);
  if (!hasNext && !ends) r.schema('One of the following fields is required: [Next, End]', location);
}

/**
 * The data-flow fields every state may carry, checked by their own rules; the field matrix
 * has already rejected the ones that do not belong to this type or query language.
 */
export function checkDataFields(r: Reporter, state: JsonObject, location: string, ql: QueryLanguage): void {
  if (has(state, 'Comment')) checkString(r, state['Comment'] as Json, at(location, 'Comment'));
  if (ql === 'JSONPath') {
    for (const f of ['InputPath', 'OutputPath']) {
      if (has(state, f)) checkPath(r, state[f] as Json, at(location, f), { nullable: true });
    }
    if (has(state, 'ResultPath')) {
      checkPath(r, state['ResultPath'] as Json, at(location, 'ResultPath'), { reference: true, nullable: true, inputOnly: true });
    }
    for (const f of ['Parameters', 'ResultSelector']) {
      if (has(state, f)) checkTemplateField(r, state[f] as Json, at(location, f));
    }
  } else {
    if (has(state, 'Output')) checkJsonataValue(r, state['Output'] as Json, at(location, 'Output'));
    if (has(state, 'Arguments')) checkArguments(r, state['Arguments'] as Json, at(location, 'Arguments'));
  }
  if (has(state, 'Assign')) checkAssign(r, state['Assign'] as Json, at(location, 'Assign'), ql);
}

/** Parameters / ResultSelector / ItemSelector in JSONPath: an object template. */
export function checkTemplateField(r: Reporter, value: Json, location: string): void {
  if (!isObject(value)) {
    r.schema(`The value for the field '${fieldName(location)}' must be an OBJECT but was ${describeType(value)}`, location);
    return;
  }
  checkTemplate(r, value, location);
}

/** JSONata `Arguments` (also of ItemReader/ResultWriter): an object or one JSONata expression. */
export function checkArguments(r: Reporter, value: Json, location: string): void {
  if (isJsonataString(value)) checkJsonataField(r, value, location);
  else if (isObject(value)) checkJsonataValue(r, value, location);
  else r.schema(`The value for the field '${fieldName(location)}' must be an OBJECT or a JSONata expression but was ${describeType(value)}`, location);
}

/** `X` (literal, or JSONata in a JSONata state) versus `XPath` (JSONPath reference path). */
export function checkValueOrPath(
  r: Reporter,
  obj: JsonObject,
  field: string,
  location: string,
  ql: QueryLanguage,
  checkValue: (value: Json, loc: string) => void,
): void {
  const pathField = `${field}Path`;
  if (has(obj, field) && has(obj, pathField)) {
    r.schema(`There should only be one of the following fields: [${field}, ${pathField}]`, location);
  }
  if (has(obj, field)) checkValue(obj[field] as Json, at(location, field));
  if (has(obj, pathField) && ql === 'JSONPath') checkPath(r, obj[pathField] as Json, at(location, pathField), { reference: true });
}
