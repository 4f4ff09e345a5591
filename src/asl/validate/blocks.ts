/**
 * The machine and its blocks (top level, Parallel branches, Map processors): StartAt, state
 * names (unique in the whole machine, at most 80 characters), transitions that stay inside their
 * block, reachability and the presence of a terminal state. Each state is handed to `checkState`
 * with its effective query language.
 */
import { isObject, type Json, type JsonObject } from '../../lib/json.js';
import { checkFields, checkRequired, type FieldSpec } from './fields.js';
import { at, Codes, describeType, has, type Ctx, type MachineType, type QueryLanguage, type Reporter } from './report.js';
import { checkState } from './states.js';
import { checkEnum, checkInteger, checkString } from './values.js';

const MAX_STATE_NAME = 80;
const QUERY_LANGUAGES = ['JSONPath', 'JSONata'];
const ROOT_FIELDS: FieldSpec = { StartAt: 'any', States: 'any', Comment: 'any', Version: 'any', TimeoutSeconds: 'any', QueryLanguage: 'any' };

export function validateMachine(definition: Json, r: Reporter, machineType: MachineType): void {
  if (!isObject(definition)) {
    r.schema(`The state machine definition must be a JSON object but was ${describeType(definition)}`, '');
    return;
  }
  let machineQl: QueryLanguage = 'JSONPath';
  if (has(definition, 'QueryLanguage')) {
    checkEnum(r, definition['QueryLanguage'] as Json, QUERY_LANGUAGES, '/QueryLanguage');
    if (definition['QueryLanguage'] === 'JSONata') machineQl = 'JSONata';
  }
  // 1.0 is the only version of the language there is.
  if (has(definition, 'Version')) checkEnum(r, definition['Version'] as Json, ['1.0'], '/Version');
  if (has(definition, 'TimeoutSeconds')) checkInteger(r, definition['TimeoutSeconds'] as Json, '/TimeoutSeconds', { min: 0 });
  const names = new Map<string, string>();
  const ctx: Ctx = {
    r,
    machineType,
    machineQl,
    validateBlock: (raw, location, extra) => walkBlock(ctx, names, raw, location, nestedFields(extra)),
  };
  walkBlock(ctx, names, definition, '', ROOT_FIELDS);
}

function nestedFields(extra: readonly string[]): FieldSpec {
  const spec: Record<string, 'any'> = { StartAt: 'any', States: 'any', Comment: 'any' };
  for (const f of extra) spec[f] = 'any';
  return spec;
}

function walkBlock(ctx: Ctx, names: Map<string, string>, raw: Json, location: string, fields: FieldSpec): void {
  const { r } = ctx;
  if (!isObject(raw)) {
    r.schema(`The value must be an OBJECT with StartAt and States but was ${describeType(raw)}`, location);
    return;
  }
  checkFields(r, raw, fields, ctx.machineQl, location);
  if (has(raw, 'Comment')) checkString(r, raw['Comment'] as Json, at(location, 'Comment'));
  checkRequired(r, raw, ['StartAt', 'States'], location);
  const states = raw['States'];
  const statesLoc = at(location, 'States');
  if (states !== undefined && !isObject(states)) {
    r.schema(`The value for the field 'States' must be an OBJECT but was ${describeType(states)}`, statesLoc);
  }
  const block = isObject(states) ? states : {};
  if (isObject(states) && Object.keys(states).length === 0) r.schema("The field 'States' should be non-empty", statesLoc);

  for (const [name, state] of Object.entries(block)) {
    const loc = at(statesLoc, name);
    checkName(r, names, name, loc);
    checkState(ctx, state, loc, stateQueryLanguage(ctx, state, loc));
  }

  const startAt = raw['StartAt'];
  if (has(raw, 'StartAt') && checkString(r, startAt as Json, at(location, 'StartAt')) && isObject(states)) {
    if (!has(block, startAt as string)) {
      r.error(Codes.MissingTransitionTarget, `Missing 'StartAt' target: ${startAt as string}`, at(location, 'StartAt'));
    } else {
      checkGraph(r, block, startAt as string, statesLoc);
    }
  }
}

function checkName(r: Reporter, names: Map<string, string>, name: string, location: string): void {
  if ([...name].length > MAX_STATE_NAME) {
    r.error(Codes.InvalidStateName, `State name '${name}' exceeds the maximum length of ${MAX_STATE_NAME} characters`, location);
  }
  if (names.has(name)) r.error(Codes.DuplicateStateName, `Duplicate State name: ${name}`, location);
  else names.set(name, location);
}

/** A state's own QueryLanguage, else its block's (the machine's); JSONPath may not override JSONata. */
function stateQueryLanguage(ctx: Ctx, state: Json, location: string): QueryLanguage {
  if (!isObject(state) || !has(state, 'QueryLanguage')) return ctx.machineQl;
  const value = state['QueryLanguage'] as Json;
  const loc = at(location, 'QueryLanguage');
  checkEnum(ctx.r, value, QUERY_LANGUAGES, loc);
  if (value === 'JSONPath' && ctx.machineQl === 'JSONata') {
    ctx.r.schema("'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine", loc);
  }
  return value === 'JSONata' || value === 'JSONPath' ? value : ctx.machineQl;
}

interface Edge {
  target: string;
  field: string;
  location: string;
}

/** Every transition a state can take: Next, Choice rules and Default, catchers. */
function edgesOf(state: JsonObject, location: string): Edge[] {
  const edges: Edge[] = [];
  const add = (value: Json | undefined, field: string, loc: string) => {
    if (typeof value === 'string') edges.push({ target: value, field, location: loc });
  };
  add(state['Next'], 'Next', at(location, 'Next'));
  if (state['Type'] === 'Choice') {
    add(state['Default'], 'Default', at(location, 'Default'));
    const choices = state['Choices'];
    if (Array.isArray(choices)) {
      choices.forEach((c, i) => {
        if (isObject(c)) add(c['Next'], 'Next', at(at(at(location, 'Choices'), i), 'Next'));
      });
    }
  }
  const catchers = state['Catch'];
  if (Array.isArray(catchers)) {
    catchers.forEach((c, i) => {
      if (isObject(c)) add(c['Next'], 'Next', at(at(at(location, 'Catch'), i), 'Next'));
    });
  }
  return edges;
}

function isTerminal(state: Json): boolean {
  return isObject(state) && (state['End'] === true || state['Type'] === 'Succeed' || state['Type'] === 'Fail');
}

/** Transitions stay inside the block, every state is reachable from StartAt, and one state ends it. */
function checkGraph(r: Reporter, block: JsonObject, startAt: string, statesLoc: string): void {
  const reached = new Set<string>([startAt]);
  const queue = [startAt];
  const edges = new Map<string, Edge[]>();
  for (const [name, state] of Object.entries(block)) {
    const list = isObject(state) ? edgesOf(state, at(statesLoc, name)) : [];
    edges.set(name, list);
    for (const e of list) {
      if (!has(block, e.target)) r.error(Codes.MissingTransitionTarget, `Missing '${e.field}' target: ${e.target}`, e.location);
    }
  }
  while (queue.length > 0) {
    for (const e of edges.get(queue.pop() as string) ?? []) {
      if (has(block, e.target) && !reached.has(e.target)) {
        reached.add(e.target);
        queue.push(e.target);
      }
    }
  }
  for (const name of Object.keys(block)) {
    if (!reached.has(name)) r.error(Codes.MissingTransitionTarget, `State "${name}" is not reachable.`, at(statesLoc, name));
  }
  if (!Object.values(block).some(isTerminal)) {
    r.error(Codes.MissingEndState, 'Workflow has no terminal state', statesLoc);
  }
}
