/**
 * One check per state type, dispatched by `Type`. Each first applies the field matrix, then the
 * rules of its own fields. Transitions between states are the block walker's business.
 */
import { isObject, type Json, type JsonObject } from '../../lib/json.js';
import { checkChoices } from './choice.js';
import { checkDataFields, checkTransition, checkValueOrPath } from './common.js';
import { checkFields, checkRequired, STATE_FIELDS, STATE_TYPES, type FieldSpec } from './fields.js';
import { checkMap, checkParallel } from './map-parallel.js';
import { at, describeType, has, type Ctx, type QueryLanguage } from './report.js';
import { checkResource } from './resource.js';
import { checkCatch, checkRetry } from './retry-catch.js';
import {
  checkDynamicValue,
  checkExclusive,
  checkInteger,
  checkJsonataField,
  checkPath,
  checkString,
  checkTimestamp,
  isJsonataString,
  MAX_SECONDS,
} from './values.js';

type StateCheck = (ctx: Ctx, state: JsonObject, location: string, ql: QueryLanguage) => void;

const CHECKS: Readonly<Record<string, StateCheck>> = {
  Task: checkTask,
  Pass: checkPass,
  Choice: checkChoice,
  Wait: checkWait,
  Succeed: () => undefined,
  Fail: checkFail,
  Parallel: checkParallel,
  Map: checkMap,
};

/** Validate one state whose effective query language is `ql`. */
export function checkState(ctx: Ctx, state: Json, location: string, ql: QueryLanguage): void {
  const { r } = ctx;
  if (!isObject(state)) {
    r.schema(`A state must be an OBJECT but was ${describeType(state)}`, location);
    return;
  }
  if (!checkRequired(r, state, ['Type'], location)) return;
  const type = state['Type'];
  const check = typeof type === 'string' ? CHECKS[type] : undefined;
  if (check === undefined || !has(STATE_FIELDS, type as string)) {
    r.schema(`The field 'Type' should have one of these values: [${STATE_TYPES.join(', ')}]`, at(location, 'Type'));
    return;
  }
  const spec = STATE_FIELDS[type as string] as FieldSpec;
  checkFields(r, state, spec, ql, location);
  checkDataFields(r, state, location, ql);
  if (has(spec as JsonObject, 'Next')) checkTransition(r, state, location);
  if (has(state, 'Retry')) checkRetry(r, state['Retry'] as Json, at(location, 'Retry'), ql);
  if (has(state, 'Catch')) checkCatch(r, state['Catch'] as Json, at(location, 'Catch'), ql);
  check(ctx, state, location, ql);
}

function checkTask(ctx: Ctx, state: JsonObject, location: string, ql: QueryLanguage): void {
  const { r } = ctx;
  if (checkRequired(r, state, ['Resource'], location)) {
    const resource = state['Resource'] as Json;
    if (checkString(r, resource, at(location, 'Resource'))) checkResource(r, resource, at(location, 'Resource'), ctx.machineType);
  }
  const seconds = (value: Json, loc: string) => checkInteger(r, value, loc, { min: 1, max: MAX_SECONDS }, ql);
  checkValueOrPath(r, state, 'TimeoutSeconds', location, ql, seconds);
  checkValueOrPath(r, state, 'HeartbeatSeconds', location, ql, seconds);
  const timeout = state['TimeoutSeconds'];
  const heartbeat = state['HeartbeatSeconds'];
  if (typeof timeout === 'number' && typeof heartbeat === 'number' && heartbeat >= timeout) {
    r.schema('The value of HeartbeatSeconds must be less than the value of TimeoutSeconds', at(location, 'HeartbeatSeconds'));
  }
  if (has(state, 'Credentials')) checkCredentials(ctx, state['Credentials'] as Json, at(location, 'Credentials'), ql);
}

function checkCredentials(ctx: Ctx, value: Json, location: string, ql: QueryLanguage): void {
  const { r } = ctx;
  if (ql === 'JSONata' && isJsonataString(value)) {
    checkJsonataField(r, value, location);
    return;
  }
  if (!isObject(value)) {
    r.schema(`The value for the field 'Credentials' must be an OBJECT but was ${describeType(value)}`, location);
    return;
  }
  checkFields(r, value, { RoleArn: 'any', 'RoleArn.$': 'JSONPath' }, ql, location);
  const present = ['RoleArn', 'RoleArn.$'].filter((f) => has(value, f));
  if (present.length === 0) r.schema('These fields are required: [RoleArn]', location);
  if (present.length > 1) r.schema('There should only be one of the following fields: [RoleArn, RoleArn.$]', location);
  if (has(value, 'RoleArn')) {
    const role = value['RoleArn'] as Json;
    if (ql === 'JSONata' && isJsonataString(role)) checkJsonataField(r, role, at(location, 'RoleArn'));
    else checkString(r, role, at(location, 'RoleArn'), { nonEmpty: true });
  }
  if (has(value, 'RoleArn.$') && ql === 'JSONPath') checkDynamicValue(r, value['RoleArn.$'] as Json, at(location, 'RoleArn.$'));
}

/** `Result` is static JSON: a `.$` key in it is kept verbatim, which AWS warns about. */
function checkPass(ctx: Ctx, state: JsonObject, location: string): void {
  const result = state['Result'];
  if (isObject(result) && Object.keys(result).some((k) => k.endsWith('.$'))) {
    ctx.r.warning('PASS_RESULT_IS_STATIC', "The 'Result' of a Pass state is static: keys ending in '.$' are not evaluated; use 'Parameters'", at(location, 'Result'));
  }
}

function checkChoice(ctx: Ctx, state: JsonObject, location: string, ql: QueryLanguage): void {
  const { r } = ctx;
  if (checkRequired(r, state, ['Choices'], location)) checkChoices(r, state['Choices'] as Json, at(location, 'Choices'), ql);
  if (has(state, 'Default')) checkString(r, state['Default'] as Json, at(location, 'Default'));
}

function checkWait(ctx: Ctx, state: JsonObject, location: string, ql: QueryLanguage): void {
  const { r } = ctx;
  const fields = ql === 'JSONata' ? ['Seconds', 'Timestamp'] : ['Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath'];
  const present = fields.filter((f) => has(state, f));
  if (present.length === 0) r.schema(`Exactly one of the following fields is required: [${fields.join(', ')}]`, location);
  else checkExclusive(r, state, fields, location);
  if (has(state, 'Seconds')) checkInteger(r, state['Seconds'] as Json, at(location, 'Seconds'), { min: 0, max: MAX_SECONDS }, ql);
  if (has(state, 'Timestamp')) checkTimestamp(r, state['Timestamp'] as Json, at(location, 'Timestamp'), ql);
  for (const f of ['SecondsPath', 'TimestampPath']) {
    if (has(state, f) && ql === 'JSONPath') checkPath(r, state[f] as Json, at(location, f), { reference: true });
  }
}

function checkFail(ctx: Ctx, state: JsonObject, location: string, ql: QueryLanguage): void {
  const { r } = ctx;
  for (const field of ['Error', 'Cause']) {
    const pathField = `${field}Path`;
    if (has(state, field) && has(state, pathField)) {
      r.schema(`There should only be one of the following fields: [${field}, ${pathField}]`, location);
    }
    if (has(state, field)) {
      const value = state[field] as Json;
      if (ql === 'JSONata' && isJsonataString(value)) checkJsonataField(r, value, at(location, field));
      else checkString(r, value, at(location, field));
    }
    if (has(state, pathField) && ql === 'JSONPath') {
      checkPath(r, state[pathField] as Json, at(location, pathField), { reference: true, intrinsic: true });
    }
  }
}
