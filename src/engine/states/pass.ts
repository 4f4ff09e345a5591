/** Pass: passes its input (or `Result`, or its Parameters) to its output. */
import type { Json } from '../../lib/json.js';
import type { StateHandler, Stepper } from '../stepper.js';
import type { Frame } from '../types.js';
import type { StateNode } from '../../asl/graph.js';
import {
  applyInputPath,
  applyOutputPath,
  applyResultPath,
  applyTemplate,
  assignJsonata,
  assignJsonPath,
  jsonataValue,
} from '../dataflow.js';

export const passState: StateHandler = {
  run(s, frame, node) {
    const d = node.def;
    if (node.ql === 'JSONata') return runJsonata(s, frame, node);
    const effective = applyInputPath(s, frame, node, frame.input);
    let result: Json;
    if ('Result' in d) result = d['Result'] as Json;
    else if ('Parameters' in d) result = applyTemplate(s, frame, node, 'Parameters', effective);
    else result = effective;
    const assigned = assignJsonPath(s, frame, node, d['Assign'], 'state', result);
    const output = applyOutputPath(s, frame, node, applyResultPath(s, frame, node, frame.input, result));
    s.exitState(frame, node, output, assigned);
  },
};

async function runJsonata(s: Stepper, frame: Frame, node: StateNode): Promise<void> {
  const d = node.def;
  const b = { input: frame.input };
  const assigned = await assignJsonata(s, frame, node, d['Assign'], b);
  const output = 'Output' in d ? await jsonataValue(s, frame, node, 'Output', d['Output'] as Json, b) : frame.input;
  s.exitState(frame, node, output, assigned);
}
