/** Choice: the first rule that matches names the next state; otherwise Default. */
import { isObject, type Json, type JsonObject } from '../../lib/json.js';
import { StatesError } from '../../asl/errors.js';
import { memo } from '../../asl/graph.js';
import { compileChoiceRule, type CompiledRule } from '../../asl/choice.js';
import type { StateHandler, Stepper } from '../stepper.js';
import type { Frame } from '../types.js';
import type { StateNode } from '../../asl/graph.js';
import { applyInputPath, applyOutputPath, assignJsonata, assignJsonPath, jsonataValue, pathContext } from '../dataflow.js';

export const choiceState: StateHandler = {
  run(s, frame, node) {
    const d = node.def;
    const rules = memo(node, 'choices', () => (Array.isArray(d['Choices']) ? d['Choices'] : []).filter(isObject) as JsonObject[]);
    if (node.ql === 'JSONata') return runJsonata(s, frame, node, rules);
    const effective = applyInputPath(s, frame, node, frame.input);
    const compiled = memo(node, 'rules', (): CompiledRule[] => rules.map((r) => compileChoiceRule(r)));
    const ctx = pathContext(s, frame, node, effective);
    for (let i = 0; i < compiled.length; i++) {
      let matched: boolean;
      try {
        matched = (compiled[i] as CompiledRule)(ctx);
      } catch (err) {
        if (err instanceof StatesError && err.cause && !err.cause.startsWith('An error occurred')) throw new StatesError(err.name, s.errorPrefix(frame) + err.cause);
        throw err;
      }
      if (!matched) continue;
      const rule = rules[i] as JsonObject;
      const assigned = assignJsonPath(s, frame, node, rule['Assign'], `rule:${i}`, effective);
      s.exitState(frame, node, applyOutputPath(s, frame, node, effective), assigned, rule['Next'] as string);
      return;
    }
    if (typeof d['Default'] !== 'string') throw noMatch(s.errorPrefix(frame));
    const assigned = assignJsonPath(s, frame, node, d['Assign'], 'state', effective);
    s.exitState(frame, node, applyOutputPath(s, frame, node, effective), assigned, d['Default']);
  },
};

async function runJsonata(s: Stepper, frame: Frame, node: StateNode, rules: JsonObject[]): Promise<void> {
  const d = node.def;
  const b = { input: frame.input };
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i] as JsonObject;
    const cond = await jsonataValue(s, frame, node, 'Condition', rule['Condition'] as Json, b);
    if (typeof cond !== 'boolean') {
      throw new StatesError(
        'States.QueryEvaluationError',
        `${s.errorPrefix(frame)}The JSONata expression '${exprText(rule['Condition'])}' specified for the field 'Condition' returned an unexpected result type. Expected 'boolean', but was '${jsonType(cond)}' for value: ${JSON.stringify(cond)}`,
      );
    }
    if (!cond) continue;
    const assigned = await assignJsonata(s, frame, node, rule['Assign'], b);
    const output = 'Output' in rule ? await jsonataValue(s, frame, node, 'Output', rule['Output'] as Json, b) : frame.input;
    s.exitState(frame, node, output, assigned, rule['Next'] as string);
    return;
  }
  if (typeof d['Default'] !== 'string') throw noMatch(s.errorPrefix(frame));
  const assigned = await assignJsonata(s, frame, node, d['Assign'], b);
  const output = 'Output' in d ? await jsonataValue(s, frame, node, 'Output', d['Output'] as Json, b) : frame.input;
  s.exitState(frame, node, output, assigned, d['Default']);
  return;
}

function noMatch(_prefix: string): StatesError {
  return new StatesError('States.NoChoiceMatched', 'No Matches!');
}

export function exprText(v: unknown): string {
  return typeof v === 'string' ? v.replace(/^\{%\s*/, '').replace(/\s*%\}$/, '') : JSON.stringify(v);
}

export function jsonType(v: Json): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}
