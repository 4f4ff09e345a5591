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
import { entries, fail, list, locate, str, type Source, type YamlNode } from './yaml-nodes.js';

const RULE_KEYS = ['scheduleExpression', 'state', 'description', 'targets'] as const;
const TARGET_KEYS = ['id', 'stateMachine', 'input'] as const;
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
    if (!expr) fail(src, value ?? key, `${path} needs a scheduleExpression (rate(...) or cron(...))`);
    const scheduleExpression = str(src, expr.value, `${path}.scheduleExpression`);
    if (!/^(?:rate|cron)\(.*\)$/s.test(scheduleExpression)) fail(src, expr.value, `${path}.scheduleExpression must be rate(value unit) or cron(minutes hours day-of-month month day-of-week year)`);
    const stateField = fields.get('state');
    const state = stateField ? str(src, stateField.value, `${path}.state`) : 'ENABLED';
    if (stateField && !(RULE_STATES as readonly string[]).includes(state)) fail(src, stateField.value, `${path}.state must be ENABLED or DISABLED`);
    const rule: RuleConfig = { name, scheduleExpression, state: state as RuleState, targets: [], where: locate(src, expr.value?.range?.[0]) };
    const description = fields.get('description');
    if (description) {
      rule.description = str(src, description.value, `${path}.description`);
      if (rule.description.length > MAX_DESCRIPTION) fail(src, description.value, `${path}.description must be at most ${MAX_DESCRIPTION} characters`);
    }
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
