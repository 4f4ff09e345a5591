/**
 * Executions started by other executions' `states:startExecution` tasks: starting them through
 * the same rules as StartExecution, and learning when they close — at once from this process's
 * runner (`notifyClosed`), and by polling the store for executions another process runs.
 */
import { randomUUID } from 'node:crypto';
import { StatesError } from '../asl/errors.js';
import type { Clock } from '../engine/clock.js';
import type { ExecutionRecord, Store } from '../engine/store.js';
import type { NestedOutcome } from '../engine/types.js';
import { ServiceError } from './errors.js';
import { redriveStatusOf, type ExecutionService } from './executions.js';
import type { StateMachineService } from './state-machines.js';


export class NestedExecutions {
  private readonly waiters = new Map<string, (() => void)[]>();

  constructor(
    private readonly opts: { store: Store; clock: Clock; executions: ExecutionService; stateMachines: StateMachineService; pollMs?: number },
  ) {}

  async start(req: { stateMachineArn: string; input: string; name: string | undefined }): Promise<{ executionArn: string; startDate: number }> {
    try {
      const sm = this.opts.stateMachines;
      const machine = await sm.versions.resolve(req.stateMachineArn, (arn) => sm.describe(arn));
      return await this.opts.executions.startExecution({
        stateMachineArn: machine.stateMachineArn,
        definition: machine.definition,
        type: machine.type,
        roleArn: machine.roleArn,
        name: req.name ?? randomUUID(),
        input: req.input,
        ...(machine.stateMachineVersionArn !== undefined ? { stateMachineVersionArn: machine.stateMachineVersionArn } : {}),
        ...(machine.stateMachineAliasArn !== undefined ? { stateMachineAliasArn: machine.stateMachineAliasArn } : {}),
      });
    } catch (err) {
      // Failures of the call are the task's error, named after the service's exception.
      if (err instanceof ServiceError) throw new StatesError(`StepFunctions.${err.code.endsWith('Exception') ? err.code : `${err.code}Exception`}`, err.message);
      throw err;
    }
  }

  /** The runner of this process closed an execution: wake whoever waits for it. */
  notifyClosed(executionArn: string): void {
    for (const w of [...(this.waiters.get(executionArn) ?? [])]) w();
  }

  async closed(executionArn: string): Promise<NestedOutcome> {
    for (;;) {
      const rec = await this.opts.store.getExecution(executionArn);
      if (!rec) throw new StatesError('States.TaskFailed', `The execution '${executionArn}' no longer exists.`);
      if (rec.status !== 'RUNNING') return this.outcome(rec);
      await new Promise<void>((resolve) => {
        const list = this.waiters.get(executionArn) ?? [];
        const done = () => {
          clearTimeout(t);
          const i = list.indexOf(done);
          if (i >= 0) list.splice(i, 1);
          if (list.length === 0 && this.waiters.get(executionArn) === list) this.waiters.delete(executionArn);
          resolve();
        };
        // Executions run by another process are seen by polling.
        const t = setTimeout(done, this.opts.pollMs ?? 1000);
        list.push(done);
        this.waiters.set(executionArn, list);
      });
    }
  }

  private outcome(rec: ExecutionRecord): NestedOutcome {
    const redrive = redriveStatusOf(rec, this.opts.clock.now());
    return {
      executionArn: rec.executionArn,
      stateMachineArn: rec.stateMachineArn,
      name: rec.name,
      status: rec.status as NestedOutcome['status'],
      startDate: rec.startTime,
      stopDate: rec.stopTime ?? rec.startTime,
      input: rec.input,
      output: rec.output,
      error: rec.error,
      cause: rec.cause,
      redriveCount: rec.redriveCount,
      redriveStatus: redrive.status,
      redriveStatusReason: redrive.status === 'NOT_REDRIVABLE' ? redrive.reason : undefined,
    };
  }
}
