/**
 * Activity tasks: a Task whose Resource is an activity ARN is not run by Stepwise but queued for
 * activity workers, who take it with GetActivityTask and answer with SendTaskSuccess/Failure
 * using its task token. Queued tasks are resource records of kind `activityTask`, named
 * `<activityArn>#<taskToken>`, so every node of a cluster serves the same queue.
 */
import { StatesError } from '../asl/errors.js';
import type { Json } from '../lib/json.js';
import type { Clock } from '../engine/clock.js';
import type { TaskInvoker } from '../engine/local-run.js';
import type { Store } from '../engine/store.js';

export const ACTIVITY = 'activity';
export const ACTIVITY_TASK = 'activityTask';

export function isActivityArn(arn: string): boolean {
  const p = arn.split(':');
  return p[2] === 'states' && p[5] === 'activity' && p.length === 7;
}

export interface QueuedActivityTask {
  taskToken: string;
  /** The task's input as JSON text. */
  input: string;
}

/** Queues activity tasks; everything else goes to `next`. */
export function activityInvoker(store: Store, clock: Clock, next: TaskInvoker, onQueued?: () => void): TaskInvoker {
  return {
    async invoke(req, progress) {
      if (!isActivityArn(req.resource)) return next.invoke(req, progress);
      if (!(await store.getResource(ACTIVITY, req.resource))) {
        throw new StatesError('States.Runtime', `Activity does not exist: '${req.resource}'`);
      }
      if (req.taskToken === undefined) throw new StatesError('States.Runtime', 'An activity task needs a task token.');
      const doc: QueuedActivityTask = { taskToken: req.taskToken, input: JSON.stringify(req.input) };
      await store.createResource(ACTIVITY_TASK, `${req.resource}#${req.taskToken}`, req.stateName, doc as unknown as Json, clock.now());
      onQueued?.();
      // The task now waits for a worker's answer with its token.
      return null;
    },
  };
}
