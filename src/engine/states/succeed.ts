/** Succeed: ends the execution, branch or iteration successfully. */
import type { Json } from '../../lib/json.js';
import type { StateHandler } from '../stepper.js';
import { applyInputPath, applyOutputPath, jsonataValue } from '../dataflow.js';

export const succeedState: StateHandler = {
  run(s, frame, node) {
    if (node.ql === 'JSONata') {
      const d = node.def;
      if (!('Output' in d)) return s.exitState(frame, node, frame.input, undefined);
      return jsonataValue(s, frame, node, 'Output', d['Output'] as Json, { input: frame.input }).then((output) => s.exitState(frame, node, output, undefined));
    }
    s.exitState(frame, node, applyOutputPath(s, frame, node, applyInputPath(s, frame, node, frame.input)), undefined);
  },
};
