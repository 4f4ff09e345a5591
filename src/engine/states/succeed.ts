/** Succeed: ends the execution, branch or iteration successfully. */
import type { Json } from '../../lib/json.js';
import type { StateHandler } from '../stepper.js';
import { applyInputPath, applyOutputPath, jsonataValue } from '../dataflow.js';

export const succeedState: StateHandler = {
  async run(s, frame, node) {
    if (node.ql === 'JSONata') {
      const d = node.def;
      const output = 'Output' in d ? await jsonataValue(s, frame, node, 'Output', d['Output'] as Json, { input: frame.input }) : frame.input;
      s.exitState(frame, node, output, undefined);
      return;
    }
    s.exitState(frame, node, applyOutputPath(s, frame, node, applyInputPath(s, frame, node, frame.input)), undefined);
  },
};
