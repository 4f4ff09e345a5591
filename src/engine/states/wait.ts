/** Wait: a durable timer (never an in-process sleep) for Seconds or until a Timestamp. */
import type { Json } from '../../lib/json.js';
import { StatesError } from '../../asl/errors.js';
import { compilePath, PathNotFoundError } from '../../asl/jsonpath.js';
import { resolvePath } from '../../asl/path-context.js';
import { timestampMillis as parseTimestamp } from '../../asl/timestamp.js';
import type { StateHandler, Stepper } from '../stepper.js';
import type { Frame } from '../types.js';
import type { StateNode } from '../../asl/graph.js';
import { applyInputPath, applyOutputPath, assignJsonPath, jsonataValue, pathContext } from '../dataflow.js';
import { exprText, jsonType } from './choice.js';
import { exitJsonataWithInput } from './complete.js';

export const waitState: StateHandler = {
  run(s, frame, node) {
    if (node.ql === 'JSONata') return jsonataDue(s, frame, node).then((dueAt) => waitUntil(s, frame, node, dueAt));
    return waitUntil(s, frame, node, jsonPathDue(s, frame, node));
  },
  async onTimer(s, frame, node, purpose) {
    if (purpose !== 'wait' || frame.waiting !== 'timer') return;
    frame.waiting = undefined;
    await finishWait(s, frame, node);
  },
};

function waitUntil(s: Stepper, frame: Frame, node: StateNode, dueAt: number): void | Promise<void> {
  if (dueAt <= s.now) return finishWait(s, frame, node);
  frame.token++;
  frame.waiting = 'timer';
  s.commands.push({ kind: 'startTimer', frameId: frame.id, token: frame.token, purpose: 'wait', dueAt });
}

function finishWait(s: Stepper, frame: Frame, node: StateNode): void | Promise<void> {
  const d = node.def;
  if (node.ql === 'JSONata') return exitJsonataWithInput(s, frame, node);
  const effective = applyInputPath(s, frame, node, frame.input);
  const assigned = assignJsonPath(s, frame, node, d['Assign'], 'state', effective);
  s.exitState(frame, node, applyOutputPath(s, frame, node, effective), assigned);
}

function jsonPathDue(s: Stepper, frame: Frame, node: StateNode): number {
  const d = node.def;
  const base = frame.enteredAt;
  if (typeof d['Seconds'] === 'number') return base + d['Seconds'] * 1000;
  if (typeof d['Timestamp'] === 'string') {
    const t = parseTimestamp(d['Timestamp']);
    if (t === undefined) throw new StatesError('States.Runtime', `${s.errorPrefix(frame)}The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${d['Timestamp']}`);
    return t;
  }
  const effective = applyInputPath(s, frame, node, frame.input);
  if (typeof d['SecondsPath'] === 'string') {
    const v = readPath(s, frame, node, 'SecondsPath', d['SecondsPath'], effective);
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      throw new StatesError('States.Runtime', `${s.errorPrefix(frame)}The SecondsPath parameter cannot be parsed as a long value: ${d['SecondsPath']} == ${show(v)}`);
    }
    if (v < 0) {
      throw new StatesError('States.Runtime', `${s.errorPrefix(frame)}The SecondsPath parameter references a negative value: ${d['SecondsPath']} == ${v}`);
    }
    return base + v * 1000;
  }
  if (typeof d['TimestampPath'] === 'string') {
    const v = readPath(s, frame, node, 'TimestampPath', d['TimestampPath'], effective);
    const t = typeof v === 'string' ? parseTimestamp(v) : undefined;
    if (t === undefined) {
      throw new StatesError(
        'States.Runtime',
        `${s.errorPrefix(frame)}The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: ${d['TimestampPath']} == ${show(v)}`,
      );
    }
    return t;
  }
  throw new StatesError('States.Runtime', `${s.errorPrefix(frame)}A Wait state needs one of Seconds, SecondsPath, Timestamp or TimestampPath.`);
}

function show(v: Json): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function readPath(s: Stepper, frame: Frame, node: StateNode, field: string, text: string, input: Json): Json {
  try {
    return resolvePath(compilePath(text), pathContext(s, frame, node, input));
  } catch (err) {
    if (err instanceof PathNotFoundError) {
      throw new StatesError('States.Runtime', `${s.errorPrefix(frame)}The ${field} parameter does not reference an input value: ${text}`);
    }
    throw err;
  }
}

async function jsonataDue(s: Stepper, frame: Frame, node: StateNode): Promise<number> {
  const d = node.def;
  const b = { input: frame.input };
  if ('Seconds' in d) {
    const v = await jsonataValue(s, frame, node, 'Seconds', d['Seconds'] as Json, b);
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      throw new StatesError(
        'States.QueryEvaluationError',
        `${s.errorPrefix(frame)}The JSONata expression '${exprText(d['Seconds'])}' specified for the field 'Seconds' returned an unexpected result type. Expected 'integer', but was '${jsonType(v)}' for value: ${JSON.stringify(v)}`,
      );
    }
    return frame.enteredAt + v * 1000;
  }
  const v = await jsonataValue(s, frame, node, 'Timestamp', d['Timestamp'] as Json, b);
  const t = typeof v === 'string' ? parseTimestamp(v) : undefined;
  if (t === undefined) {
    throw new StatesError('States.QueryEvaluationError', `${s.errorPrefix(frame)}The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${show(v)}`);
  }
  return t;
}
