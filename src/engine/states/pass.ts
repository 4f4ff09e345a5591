/** Pass: passes its input (or `Result`, or its Parameters) to its output. */
import type { Json } from '../../lib/json.js';
import type { StateHandler } from '../stepper.js';
import { exitJsonataWithInput } from './complete.js';
import {
  applyInputPath,
  applyOutputPath,
  applyResultPath,
  applyTemplate,
  assignJsonPath,
} from '../dataflow.js';

export const passState: StateHandler = {
  run(s, frame, node) {
    const d = node.def;
    if (node.ql === 'JSONata') return exitJsonataWithInput(s, frame, node);
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
