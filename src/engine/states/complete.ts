/** The end of a Task, Parallel or Map: its result through ResultSelector/Assign/ResultPath/OutputPath, or Output. */
import type { Json } from '../../lib/json.js';
import { StatesError } from '../../asl/errors.js';
import type { StateNode } from '../../asl/graph.js';
import type { Stepper } from '../stepper.js';
import type { Frame } from '../types.js';
import { applyOutputPath, applyResultPath, applyTemplate, assignJsonata, assignJsonPath, jsonataValue } from '../dataflow.js';

export function completeWithResult(s: Stepper, frame: Frame, node: StateNode, result: Json): void | Promise<void> {
  const d = node.def;
  if (node.ql === 'JSONata') return completeJsonata(s, frame, node, result);
  const selected = 'ResultSelector' in d ? applyTemplate(s, frame, node, 'ResultSelector', result) : result;
  const assigned = assignJsonPath(s, frame, node, d['Assign'], 'state', selected);
  const output = applyOutputPath(s, frame, node, applyResultPath(s, frame, node, frame.input, selected));
  s.exitState(frame, node, output, assigned);
}


async function completeJsonata(s: Stepper, frame: Frame, node: StateNode, result: Json): Promise<void> {
  const d = node.def;
  const b = { input: frame.input, result };
  const assigned = await assignJsonata(s, frame, node, d['Assign'], b);
  const output = 'Output' in d ? await jsonataValue(s, frame, node, 'Output', d['Output'] as Json, b) : result;
  s.exitState(frame, node, output, assigned);
}

/** A JSONata Pass or Wait leaving: Assign, then Output (the state's input when absent). */
export async function exitJsonataWithInput(s: Stepper, frame: Frame, node: StateNode): Promise<void> {
  const d = node.def;
  const b = { input: frame.input };
  const assigned = await assignJsonata(s, frame, node, d['Assign'], b);
  const output = 'Output' in d ? await jsonataValue(s, frame, node, 'Output', d['Output'] as Json, b) : frame.input;
  s.exitState(frame, node, output, assigned);
}

/** A Parallel or Map whose branches or iterations all finished: its results become the state's result. */
export async function completeFanout(s: Stepper, frame: Frame, node: StateNode, results: Json[]): Promise<void> {
  frame.waiting = undefined;
  frame.fanout = undefined;
  try {
    await completeWithResult(s, frame, node, results);
  } catch (err) {
    if (!(err instanceof StatesError)) throw err;
    s.stateError(frame, node, err);
  }
}
