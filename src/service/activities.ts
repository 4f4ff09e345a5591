/**
 * Activities: CreateActivity, DescribeActivity, DeleteActivity, ListActivities, and
 * GetActivityTask, the workers' long poll (up to 60 s) for the next queued task.
 */
import type { Json } from '../lib/json.js';
import type { Clock } from '../engine/clock.js';
import type { Store } from '../engine/store.js';
import { workId } from '../engine/store.js';
import { decodeTaskToken } from '../engine/task-token.js';
import { parseStatesArn } from './arns.js';
import { ServiceError } from './errors.js';
import { DEFAULT_LIMITS, type ServiceLimits } from './limits.js';
import type { ExecutionService } from './executions.js';
import { nameProblem } from './names.js';
import type { Tag } from './tags.js';

const ACTIVITY = 'activity';
const ACTIVITY_TASK = 'activityTask';

export interface Activity {
  activityArn: string;
  name: string;
  creationDate: number;
}

export interface ActivityServiceOptions {
  store: Store;
  clock: Clock;
  executions: ExecutionService;
  /** Quotas (activities, concurrent pollers per activity); AWS's defaults when absent. */
  limits?: ServiceLimits;
  region?: string;
  account?: string;
  /** Longest a GetActivityTask call waits for a task (ms); AWS waits 60 s. */
  longPollMs?: number;
  /** How often a waiting GetActivityTask looks again (ms). */
  pollIntervalMs?: number;
  /** New work was stored (a worker took a task): the runner should look. */
  wake?: () => void;
}

export class ActivityService {
  private readonly store: Store;
  private readonly region: string;
  private readonly account: string;
  private waiters: (() => void)[] = [];
  /** GetActivityTask calls in progress in this process, per activity. */
  private readonly pollers = new Map<string, number>();

  constructor(private readonly opts: ActivityServiceOptions) {
    this.store = opts.store;
    this.region = opts.region ?? 'us-east-1';
    this.account = opts.account ?? '123456789012';
  }

  /** A task was queued in this process: waiting pollers look at once. */
  notify(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  async create(name: string, tags: readonly Tag[] = []): Promise<Activity> {
    const problem = nameProblem(name);
    if (problem) throw new ServiceError('InvalidName', `Invalid Name: '${name}' (${problem})`);
    const activityArn = `arn:aws:states:${this.region}:${this.account}:activity:${name}`;
    const now = this.opts.clock.now();
    const max = (this.opts.limits ?? DEFAULT_LIMITS).activities;
    if ((await this.store.countResources(ACTIVITY, { limit: max })) >= max && !(await this.store.getResource(ACTIVITY, activityArn))) {
      throw new ServiceError('ActivityLimitExceeded', `The maximum number of activities has been reached (${max}). Existing activities must be deleted before a new activity can be created.`);
    }
    // Idempotent by name: creating an existing activity returns it.
    if (!(await this.store.createResource(ACTIVITY, activityArn, name, { tags: tags as unknown as Json }, now))) return this.describe(activityArn);
    return { activityArn, name, creationDate: now };
  }

  async describe(activityArn: string): Promise<Activity> {
    parseStatesArn(activityArn, [ACTIVITY]);
    const rec = await this.store.getResource(ACTIVITY, activityArn);
    if (!rec) throw new ServiceError('ActivityDoesNotExist', `Activity Does Not Exist: '${activityArn}'`);
    return { activityArn, name: rec.name, creationDate: rec.createdAt };
  }

  async delete(activityArn: string): Promise<void> {
    parseStatesArn(activityArn, [ACTIVITY]);
    await this.store.deleteResource(ACTIVITY, activityArn);
  }

  async list(maxResults: number, nextToken?: string): Promise<{ activities: Activity[]; nextToken?: string }> {
    let afterArn: string | undefined;
    if (nextToken !== undefined) {
      afterArn = Buffer.from(nextToken, 'base64url').toString('utf8');
      if (!afterArn.startsWith('arn:')) throw new ServiceError('InvalidToken', 'Invalid Token');
    }
    const limit = maxResults > 0 ? Math.min(maxResults, 1000) : 100;
    const recs = await this.store.listResources(ACTIVITY, { limit: limit + 1, ...(afterArn ? { afterArn } : {}) });
    const page = recs.slice(0, limit).map((r) => ({ activityArn: r.arn, name: r.name, creationDate: r.createdAt }));
    const last = page.at(-1);
    return recs.length > limit && last ? { activities: page, nextToken: Buffer.from(last.activityArn).toString('base64url') } : { activities: page };
  }

  /** The next task queued for this activity, or an empty answer once the long poll ends. */
  async getActivityTask(activityArn: string, workerName?: string): Promise<{ taskToken?: string; input?: string }> {
    await this.describe(activityArn);
    const maxPollers = (this.opts.limits ?? DEFAULT_LIMITS).activityPollers;
    const polling = this.pollers.get(activityArn) ?? 0;
    if (polling >= maxPollers) {
      throw new ServiceError('ActivityWorkerLimitExceeded', `The maximum number of workers concurrently polling for activity tasks (${maxPollers}) has been reached for '${activityArn}'.`);
    }
    this.pollers.set(activityArn, polling + 1);
    try {
      return await this.poll(activityArn, workerName);
    } finally {
      const left = (this.pollers.get(activityArn) ?? 1) - 1;
      if (left > 0) this.pollers.set(activityArn, left);
      else this.pollers.delete(activityArn);
    }
  }

  private async poll(activityArn: string, workerName?: string): Promise<{ taskToken?: string; input?: string }> {
    const deadline = this.opts.clock.now() + (this.opts.longPollMs ?? 60_000);
    for (;;) {
      const task = await this.take(activityArn, workerName);
      if (task) return task;
      const left = deadline - this.opts.clock.now();
      if (left <= 0) return {};
      await new Promise<void>((resolve) => {
        const t = setTimeout(done, Math.min(left, this.opts.pollIntervalMs ?? 250));
        this.waiters.push(done);
        function done() {
          clearTimeout(t);
          resolve();
        }
      });
    }
  }

  private async take(activityArn: string, workerName?: string): Promise<{ taskToken: string; input: string } | undefined> {
    const queued = await this.store.listResources(ACTIVITY_TASK, { arnPrefix: `${activityArn}#`, limit: 20 });
    for (const rec of queued) {
      // Whoever deletes the record owns the task.
      if (!(await this.store.deleteResource(ACTIVITY_TASK, rec.arn))) continue;
      const { taskToken, input } = rec.doc as { taskToken: string; input: string };
      const parts = decodeTaskToken(taskToken);
      if (!parts) continue;
      try {
        await this.opts.executions.waitingTask(taskToken);
      } catch {
        continue; // its execution moved on (stopped, timed out): drop the stale task
      }
      const now = this.opts.clock.now();
      await this.store.addWork([
        {
          id: `${workId.started(parts.executionArn, parts.frameId, parts.token)}.worker`,
          executionArn: parts.executionArn,
          kind: 'event',
          dueAt: now,
          payload: { kind: 'taskStarted', frameId: parts.frameId, token: parts.token, taskToken, ...(workerName !== undefined ? { workerName } : {}) },
        },
      ]);
      this.opts.wake?.();
      return { taskToken, input };
    }
    return undefined;
  }
}
