/** Fail: ends the execution, branch or iteration with an error and a cause. */
import type { Json } from '../../lib/json.js';
import { StatesError } from '../../asl/errors.js';
import type { StateHandler } from '../stepper.js';
import { jsonataValue, pathContext } from '../dataflow.js';
import type { Stepper } from '../stepper.js';
import type { Frame } from '../types.js';
import type { StateNode } from '../../asl/graph.js';
import { memo } from '../../asl/graph.js';
import { compileExpression, type Template } from '../../asl/payload.js';

export const failState: StateHandler = {
  async run(s, frame, node) {
    const d = node.def;
    let error: Json | undefined;
    let cause: Json | undefined;
    if (node.ql === 'JSONata') {
      const b = { input: frame.input };
      if ('Error' in d) error = await jsonataValue(s, frame, node, 'Error', d['Error'] as Json, b);
      if ('Cause' in d) cause = await jsonataValue(s, frame, node, 'Cause', d['Cause'] as Json, b);
      for (const [field, v] of [['Error', error], ['Cause', cause]] as const) {
        if (v !== undefined && typeof v !== 'string') {
          throw new StatesError(
            'States.QueryEvaluationError',
            `${s.errorPrefix(frame)}The JSONata expression '${String(d[field]).slice(2, -2).trim()}' specified for the field '${field}' returned an unexpected result type. Expected 'string', but was '${typeOfJson(v)}' for value: ${JSON.stringify(v)}`,
          );
        }
      }
    } else {
      error = 'Error' in d ? d['Error'] : fromPath(s, frame, node, 'ErrorPath');
      cause = 'Cause' in d ? d['Cause'] : fromPath(s, frame, node, 'CausePath');
    }
    s.failFrame(frame, {
      error: error === undefined || error === null ? (undefined as unknown as string) : String(error),
      cause: cause === undefined || cause === null ? undefined : typeof cause === 'string' ? cause : JSON.stringify(cause),
    });
  },
};

function fromPath(s: Stepper, frame: Frame, node: StateNode, field: string): Json | undefined {
  const text = node.def[field];
  if (typeof text !== 'string') return undefined;
  const fn = memo(node, `expr:${field}`, (): Template => compileExpression(text, field));
  try {
    return fn(pathContext(s, frame, node, frame.input));
  } catch (err) {
    if (err instanceof StatesError && err.cause && !err.cause.startsWith('An error occurred')) throw new StatesError(err.name, s.errorPrefix(frame) + err.cause);
    throw err;
  }
}

function typeOfJson(v: Json): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}
