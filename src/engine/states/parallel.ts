/** Parallel: runs every branch on the same input; the result is the array of branch outputs. */
import type { Json } from '../../lib/json.js';
import type { StateHandler } from '../stepper.js';
import { applyInputPath, applyTemplate, jsonataValue } from '../dataflow.js';
import { completeFanout, completeWithResult } from './complete.js';

export const parallelState: StateHandler = {
  async run(s, frame, node) {
    const d = node.def;
    let input: Json;
    if (node.ql === 'JSONata') {
      input = 'Arguments' in d ? await jsonataValue(s, frame, node, 'Arguments', d['Arguments'] as Json, { input: frame.input }) : frame.input;
    } else {
      const effective = applyInputPath(s, frame, node, frame.input);
      input = 'Parameters' in d ? applyTemplate(s, frame, node, 'Parameters', effective) : effective;
    }
    const branches = node.branches ?? [];
    s.emit(frame, 'ParallelStateStarted', undefined);
    frame.waiting = 'children';
    frame.token++;
    const fan = (frame.fanout = {
      total: branches.length,
      nextIndex: branches.length,
      running: branches.length,
      succeeded: 0,
      failures: 0,
      results: new Array<Json>(branches.length).fill(null),
      items: undefined,
      maxConcurrency: 0,
      toleratedCount: undefined,
      toleratedPercentage: undefined,
      effectiveInput: input,
      children: [] as number[],
      distributed: false,
      mapRunArn: undefined,
    });
    if (branches.length === 0) {
      frame.waiting = undefined;
      frame.fanout = undefined;
      await completeWithResult(s, frame, node, []);
      return;
    }
    branches.forEach((block, i) => {
      const child = s.newFrame(frame, 'branch', i, false, false);
      fan.children.push(child.id);
      s.enterState(child, block.startAt, input);
    });
  },

  async onChildSucceeded(s, frame, node, child, output) {
    const fan = frame.fanout;
    if (!fan || frame.waiting !== 'children') return;
    fan.results[child.index] = output;
    fan.running--;
    fan.children = fan.children.filter((id) => id !== child.id);
    if (fan.running > 0) return;
    await completeFanout(s, frame, node, fan.results);
  },

  async onChildFailed(s, frame, node, child, err) {
    if (!frame.fanout || frame.waiting !== 'children') return;
    frame.fanout.children = frame.fanout.children.filter((id) => id !== child.id);
    s.abortChildren(frame);
    frame.failedFanout = frame.fanout;
    frame.waiting = undefined;
    frame.fanout = undefined;
    s.handleStateError(frame, node, err, { onGiveUp: () => s.emit(frame, 'ParallelStateFailed', undefined) });
  },

  async onRedrive(s, frame, node) {
    const fan = frame.fanout;
    if (fan && fan.running === 0) await completeFanout(s, frame, node, fan.results);
  },
};
