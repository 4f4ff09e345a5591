/**
 * The `rules` section: EventBridge schedule rules by name, each with its schedule expression, its
 * state and the state machines it starts. What PutRule and PutTargets would refuse in their shape
 * (a bad name, an unknown state, too many targets, input that is not JSON) is refused at its line;
 * the expression itself is checked fully when the server starts (src/scheduler), naming the rule
 * and this place.
 */
import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { Json } from '../lib/json.js';
import { RULE_STATES, type RuleConfig, type RuleState, type RuleTargetConfig } from './types.js';
import { entries, fail, int, list, locate, str, type Source, type YamlNode } from './yaml-nodes.js';

const RULE_KEYS = ['scheduleExpression', 'eventPattern', 'state', 'description', 'targets', 'timeZone', 'startDate', 'endDate', 'flexibleWindow', 'catchUp', 'overlap'] as const;
const CATCH_UP_KEYS = ['policy', 'window'] as const;
const CATCH_UP = ['skip', 'latest', 'all'] as const;
const OVERLAP = ['allow', 'skip'] as const;
/** Claims are kept seven days: catch-up cannot reach further back. */
const MAX_WINDOW_MS = 7 * 86_400_000;
const DURATION = /^(\d{1,6})(m|h|d)$/;
const DURATION_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const TARGET_KEYS = ['id', 'stateMachine', 'input', 'inputPath', 'inputTransformer'] as const;
/** EventBridge's rule names and target ids. */
const NAME = /^[.\-_A-Za-z0-9]{1,64}$/;
/** A state machine name (Step Functions' length; its character rules are checked when it is started) or ARN. */
const MACHINE = /^(?:arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[^:\s]{1,80}(?::[^:\s]+)?|[^:\s]{1,80})$/;
/** PutTargets: at most five targets a rule; Input at most 8192 characters; a rule's description at most 512. */
const MAX_TARGETS = 5;
const MAX_INPUT = 8192;
const MAX_DESCRIPTION = 512;

export function readRules(src: Source, node: YamlNode): RuleConfig[] {
  const out: RuleConfig[] = [];
  for (const [name, { key, value }] of entries(src, node, 'rules')) {
    const path = `rules.${name}`;
    if (!NAME.test(name)) fail(src, key, `rule name '${name}' must be 1 to 64 letters, digits, '.', '-' or '_' (as EventBridge's)`);
    const fields = entries(src, value, path, RULE_KEYS);
    const expr = fields.get('scheduleExpression');
    const patternField = fields.get('eventPattern');
    if (!expr && !patternField) fail(src, value ?? key, `${path} needs a scheduleExpression (rate(...) or cron(...)) or an eventPattern`);
    const scheduleExpression = expr ? str(src, expr.value, `${path}.scheduleExpression`) : undefined;
    if (expr && scheduleExpression !== undefined && !/^(?:rate|cron|at)\(.*\)$/s.test(scheduleExpression)) fail(src, expr.value, `${path}.scheduleExpression must be rate(value unit), cron(minutes hours day-of-month month day-of-week year) or at(yyyy-mm-ddThh:mm:ss)`);
    let eventPattern: string | undefined;
    if (patternField) {
      const v = patternField.value;
      eventPattern = isScalar(v) && typeof v.value === 'string' ? v.value : JSON.stringify(yamlJson(src, v, `${path}.eventPattern`));
    }
    const stateField = fields.get('state');
    const state = stateField ? str(src, stateField.value, `${path}.state`) : 'ENABLED';
    if (stateField && !(RULE_STATES as readonly string[]).includes(state)) fail(src, stateField.value, `${path}.state must be ENABLED or DISABLED`);
    const rule: RuleConfig = { name, ...(scheduleExpression !== undefined && { scheduleExpression }), ...(eventPattern !== undefined && { eventPattern }), state: state as RuleState, targets: [], where: locate(src, (expr ?? patternField)?.value?.range?.[0]) };
    const description = fields.get('description');
    if (description) {
      rule.description = str(src, description.value, `${path}.description`);
      if (rule.description.length > MAX_DESCRIPTION) fail(src, description.value, `${path}.description must be at most ${MAX_DESCRIPTION} characters`);
    }
    readScheduleOptions(src, fields, path, rule);
    const targets = fields.get('targets');
    const items = targets ? list(src, targets.value, `${path}.targets`) : [];
    if (items.length > MAX_TARGETS) fail(src, targets?.value, `${path}.targets: at most ${MAX_TARGETS} targets a rule (as EventBridge's)`);
    for (const [i, item] of items.entries()) {
      const target = readTarget(src, item, `${path}.targets[${i}]`);
      if (rule.targets.some((t) => t.id === target.id)) fail(src, item, `${path}.targets[${i}] repeats the id '${target.id}'`);
      rule.targets.push(target);
    }
    out.push(rule);
  }
  return out;
}

type Fields = ReturnType<typeof entries>;

/** EventBridge Scheduler's options and Stepwise's catch-up and overlap policies. */
function readScheduleOptions(src: Source, fields: Fields, path: string, rule: RuleConfig): void {
  const tz = fields.get('timeZone');
  if (tz) rule.timeZone = str(src, tz.value, `${path}.timeZone`);
  for (const key of ['startDate', 'endDate'] as const) {
    const f = fields.get(key);
    if (!f) continue;
    const text = str(src, f.value, `${path}.${key}`);
    const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text) ? Date.parse(text) : NaN;
    if (!Number.isFinite(ms)) fail(src, f.value, `${path}.${key} must be an ISO 8601 date and time with its offset, e.g. 2026-01-01T00:00:00Z`);
    rule[key] = ms;
  }
  const flex = fields.get('flexibleWindow');
  if (flex) rule.flexibleWindowMinutes = int(src, flex.value, `${path}.flexibleWindow (minutes)`, 1, 1440);
  const overlap = fields.get('overlap');
  if (overlap) {
    const v = str(src, overlap.value, `${path}.overlap`);
    if (!(OVERLAP as readonly string[]).includes(v)) fail(src, overlap.value, `${path}.overlap must be allow or skip`);
    rule.overlap = v as (typeof OVERLAP)[number];
  }
  const catchUp = fields.get('catchUp');
  if (catchUp) {
    let policyNode: YamlNode = catchUp.value;
    let windowNode: YamlNode | undefined;
    if (isMap(catchUp.value)) {
      const sub = entries(src, catchUp.value, `${path}.catchUp`, CATCH_UP_KEYS);
      const p = sub.get('policy');
      if (!p) fail(src, catchUp.value, `${path}.catchUp needs a policy (skip, latest or all)`);
      policyNode = p.value;
      windowNode = sub.get('window')?.value;
    }
    const policy = str(src, policyNode, `${path}.catchUp.policy`);
    if (!(CATCH_UP as readonly string[]).includes(policy)) fail(src, policyNode, `${path}.catchUp must be skip, latest or all`);
    rule.catchUp = { policy: policy as (typeof CATCH_UP)[number] };
    if (windowNode !== undefined) {
      const text = str(src, windowNode, `${path}.catchUp.window`);
      const m = DURATION.exec(text);
      const ms = m ? Number(m[1]) * DURATION_MS[m[2] as keyof typeof DURATION_MS] : NaN;
      if (!(ms > 0 && ms <= MAX_WINDOW_MS)) fail(src, windowNode, `${path}.catchUp.window must be a duration like 90m, 12h or 2d, at most 7d (tick claims are kept 7 days)`);
      rule.catchUp.windowMs = ms;
    }
  }
}

function readTarget(src: Source, node: YamlNode, path: string): RuleTargetConfig {
  const fields = entries(src, node, path, TARGET_KEYS);
  const idField = fields.get('id');
  const machineField = fields.get('stateMachine');
  if (!idField || !machineField) fail(src, node, `${path} needs an id and a stateMachine (a name or a state machine ARN)`);
  const id = str(src, idField.value, `${path}.id`);
  if (!NAME.test(id)) fail(src, idField.value, `${path}.id must be 1 to 64 letters, digits, '.', '-' or '_' (as EventBridge's)`);
  const stateMachine = str(src, machineField.value, `${path}.stateMachine`);
  if (!MACHINE.test(stateMachine)) fail(src, machineField.value, `${path}.stateMachine must be a state machine name or ARN (arn:aws:states:REGION:ACCOUNT:stateMachine:NAME)`);
  const target: RuleTargetConfig = { id, stateMachine };
  const inputField = fields.get('input');
  if (inputField) {
    const v = inputField.value;
    let text: string;
    if (isScalar(v) && typeof v.value === 'string') {
      text = v.value;
      try {
        JSON.parse(text);
      } catch {
        fail(src, v, `${path}.input must be a map or list, or a string of JSON text`);
      }
    } else {
      text = JSON.stringify(yamlJson(src, v, `${path}.input`));
    }
    if (text.length > MAX_INPUT) fail(src, v, `${path}.input must be at most ${MAX_INPUT} characters of JSON (as EventBridge's)`);
    target.input = text;
  }
  const pathField = fields.get('inputPath');
  if (pathField) target.inputPath = str(src, pathField.value, `${path}.inputPath`);
  const transformer = fields.get('inputTransformer');
  if (transformer) {
    const t = yamlJson(src, transformer.value, `${path}.inputTransformer`) as { InputPathsMap?: Record<string, string>; InputTemplate?: string };
    if (typeof t !== 'object' || t === null || Array.isArray(t) || typeof t.InputTemplate !== 'string') fail(src, transformer.value, `${path}.inputTransformer needs an InputTemplate (and optionally an InputPathsMap), as EventBridge's`);
    target.inputTransformer = { InputTemplate: t.InputTemplate, ...(t.InputPathsMap !== undefined && { InputPathsMap: t.InputPathsMap }) };
  }
  return target;
}

/** A YAML value as JSON (no aliases). */
function yamlJson(src: Source, node: YamlNode, path: string): Json {
  if (isAlias(node)) fail(src, node, `aliases (*${node.source}) are not supported in ${src.file}: write the value out`);
  if (isMap(node)) {
    const out: { [key: string]: Json } = {};
    for (const [k, { value }] of entries(src, node, path)) out[k] = yamlJson(src, value, `${path}.${k}`);
    return out;
  }
  if (isSeq(node)) return list(src, node, path).map((item, i) => yamlJson(src, item, `${path}[${i}]`));
  const v = node === null || node === undefined ? null : isScalar(node) ? node.value : undefined;
  if (v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) return v;
  fail(src, node, `${path} must be JSON: a string, a number, true, false, null, a list or a map`);
}
