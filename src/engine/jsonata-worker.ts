/**
 * Worker-thread entry for expressions that may run a regular expression. A backtracking regex cannot be
 * interrupted in its thread, so the main thread evaluates such expressions here and terminates this worker when
 * the hard timeout passes (see jsonata-pool.ts). Messages: in `Job`, out `{ id, ...Outcome }`; `{ ready: true }` once loaded.
 */
import { parentPort } from 'node:worker_threads';
import type { Json } from '../lib/json.js';
import { compileJsonata, errorDetail, evaluateInThread, type JsonataLimits, type Outcome } from '../asl/jsonata/core.js';

export interface WorkerJob {
  id: number;
  text: string;
  states: Record<string, unknown>;
  variables: Record<string, Json>;
  limits?: JsonataLimits;
}

const port = parentPort;
if (port) {
  port.on('message', (job: WorkerJob) => {
    void (async () => {
      let outcome: Outcome;
      try {
        outcome = await evaluateInThread(compileJsonata(job.text), job.states, job.variables, job.limits);
      } catch (err) {
        outcome = { kind: 'error', detail: errorDetail(err) };
      }
      port.postMessage({ id: job.id, ...outcome });
    })();
  });
  port.postMessage({ ready: true });
}
