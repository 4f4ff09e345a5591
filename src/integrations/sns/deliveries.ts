/**
 * Deliveries: one per (message, subscription), attempted in the background after Publish has
 * answered, tried again by the protocol's retry policy, and recorded in the store (kind
 * `snsDelivery`) with its attempts, status, last error and times, so that the console and every
 * node of a cluster see them. A failed delivery never fails the publish.
 *
 * Durability: a delivery still to be attempted also has a `snsDeliveryPending` record holding
 * what it delivers; `resume()` picks those up after a restart. An attempt first takes a lease on
 * the delivery record (an optimistic update), so two nodes never attempt the same delivery at once.
 * Delays between attempts go through the injected scheduler (tests run them at once and read them).
 */
import { randomUUID } from 'node:crypto';
import type { Json } from '../../lib/json.js';
import type { Clock } from '../../engine/clock.js';
import type { Store } from '../../engine/store.js';
import { maskEndpoint, subscriptionIdOf } from './arns.js';
import { effectivePolicy, retryDelaySeconds } from './retry-policy.js';
import type { Subscription } from './topics.js';
import type { DeliveryJob, Outcome, Transports } from './transports.js';
import { SNS_KINDS, type DeliveryPolicy, type DeliveryRecord, type DeliveryStatus, type Notification, type Protocol } from './types.js';

/** Runs `run` after `delayMs`; returns a function that cancels it. */
export type Scheduler = (run: () => void, delayMs: number) => () => void;

export const timerScheduler: Scheduler = (run, delayMs) => {
  // setTimeout's ceiling is 2^31-1 ms (about 24.8 days); SNS's longest policies stay under it.
  const t = setTimeout(run, Math.min(Math.max(0, delayMs), 2 ** 31 - 1));
  return () => clearTimeout(t);
};

export interface DeliveryQuery {
  topicArn?: string;
  subscriptionArn?: string;
  messageId?: string;
  status?: DeliveryStatus;
  /** Default 100, at most 1000. */
  limit?: number;
  /** From a previous page. */
  nextToken?: string;
}

export interface DeliveryPage {
  /** Newest first. */
  deliveries: DeliveryRecord[];
  nextToken?: string;
}

export interface DeliveryQueueOptions {
  store: Store;
  clock: Clock;
  transports: Transports;
  schedule: Scheduler;
  /** Retry policies per protocol, over SNS's defaults. */
  policies: Partial<Record<Protocol, Partial<DeliveryPolicy>>>;
  /** How long an attempt holds its delivery before another node may take it over. */
  leaseMs: number;
  /** Background failures (the store unreachable, ...): deliveries themselves are recorded, not reported here. */
  onError: (err: unknown) => void;
}

interface PendingDoc {
  job: DeliveryJob;
}

/** Newest first in ARN order: the key starts with the time counted down from a far date. */
const TIME_CEILING = 9_999_999_999_999;
const SCAN_PAGE = 200;
const SCAN_LIMIT = 5000;

export class DeliveryQueue {
  private readonly owner = randomUUID();
  private readonly timers = new Map<string, () => void>();
  private readonly running = new Set<Promise<void>>();
  private waiters: (() => void)[] = [];
  private closed = false;

  constructor(private readonly o: DeliveryQueueOptions) {}

  /** Records one pending delivery per subscription (awaited: Publish answers once they are stored), then starts them. */
  async enqueue(n: Notification, subs: Subscription[], displayName: string | undefined): Promise<void> {
    const now = this.o.clock.now();
    const arns: string[] = [];
    for (const sub of subs) {
      const arn = `${String(TIME_CEILING - now).padStart(13, '0')}:${n.messageId}:${subscriptionIdOf(sub.arn)}`;
      const policy = this.policyOf(sub.doc.protocol, sub.doc.deliveryPolicy);
      const record: DeliveryRecord = {
        deliveryId: arn,
        messageId: n.messageId,
        topicArn: n.topicArn,
        subscriptionArn: sub.arn,
        protocol: sub.doc.protocol,
        endpoint: maskEndpoint(sub.doc.endpoint),
        status: 'pending',
        attempts: 0,
        maxAttempts: policy.numRetries + 1,
        publishedAt: now,
        nextAttemptAt: now,
        delaysMs: [],
      };
      const pending: PendingDoc = { job: { notification: n, subscriptionArn: sub.arn, subscription: sub.doc, displayName } };
      await this.o.store.createResource(SNS_KINDS.pending, arn, n.messageId, pending as unknown as Json, now);
      await this.o.store.createResource(SNS_KINDS.delivery, arn, n.messageId, record as unknown as Json, now);
      arns.push(arn);
    }
    for (const arn of arns) this.track(this.attempt(arn, 0));
  }

  /** Schedules the deliveries left pending by a stopped node (or this one before a restart). Returns how many. */
  async resume(): Promise<number> {
    let after: string | undefined;
    let n = 0;
    for (;;) {
      const page = await this.o.store.listResources(SNS_KINDS.pending, { limit: SCAN_PAGE, ...(after ? { afterArn: after } : {}) });
      for (const p of page) {
        if (this.timers.has(p.arn)) continue;
        const rec = await this.o.store.getResource(SNS_KINDS.delivery, p.arn);
        const d = rec?.doc as unknown as DeliveryRecord | undefined;
        if (!d || d.status !== 'pending') {
          await this.o.store.deleteResource(SNS_KINDS.pending, p.arn);
          continue;
        }
        const now = this.o.clock.now();
        const due = Math.max(d.nextAttemptAt ?? now, d.leaseUntil ?? 0);
        this.later(p.arn, Math.max(0, due - now), d.attempts);
        n++;
      }
      if (page.length < SCAN_PAGE) return n;
      after = page[page.length - 1]?.arn;
    }
  }

  /** Resolves once no attempt is running and none is scheduled. */
  settled(): Promise<void> {
    if (this.running.size === 0 && this.timers.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Cancels scheduled attempts (they stay pending in the store) and waits for running ones. */
  async close(): Promise<void> {
    this.closed = true;
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
    await Promise.allSettled([...this.running]);
    this.wakeWaiters();
  }

  async list(q: DeliveryQuery = {}): Promise<DeliveryPage> {
    const limit = Math.min(Math.max(1, q.limit ?? 100), 1000);
    const out: DeliveryRecord[] = [];
    let after = q.nextToken;
    let scanned = 0;
    for (;;) {
      const page = await this.o.store.listResources(SNS_KINDS.delivery, { limit: SCAN_PAGE, ...(after ? { afterArn: after } : {}) });
      for (const r of page) {
        scanned++;
        after = r.arn;
        const d = r.doc as unknown as DeliveryRecord;
        if (matches(d, q)) out.push(publicView(d));
        if (out.length === limit || scanned >= SCAN_LIMIT) return { deliveries: out, nextToken: r.arn };
      }
      if (page.length < SCAN_PAGE) return { deliveries: out };
    }
  }

  async get(deliveryId: string): Promise<DeliveryRecord | undefined> {
    const rec = await this.o.store.getResource(SNS_KINDS.delivery, deliveryId);
    return rec ? publicView(rec.doc as unknown as DeliveryRecord) : undefined;
  }

  private policyOf(protocol: Protocol, own: Partial<DeliveryPolicy> | undefined): DeliveryPolicy {
    return effectivePolicy(protocol, this.o.policies[protocol], protocol === 'http' || protocol === 'https' ? own : undefined);
  }

  /** Attempts `arn` after `delayMs`, as its attempt number `attempts + 1`. */
  private later(arn: string, delayMs: number, attempts: number): void {
    if (this.closed) return;
    this.timers.get(arn)?.();
    const cancel = this.o.schedule(() => {
      if (this.timers.get(arn) !== cancel) return;
      this.timers.delete(arn);
      this.track(this.attempt(arn, attempts));
    }, delayMs);
    this.timers.set(arn, cancel);
  }

  private track(p: Promise<void>): void {
    const done = p.catch((err: unknown) => this.o.onError(err)).finally(() => {
      this.running.delete(done);
      if (this.running.size === 0 && this.timers.size === 0) this.wakeWaiters();
    });
    this.running.add(done);
  }

  private wakeWaiters(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const resolve of w) resolve();
  }

  /** One attempt, when the delivery has had `attempts` so far (else another node moved it on: follow its schedule). */
  private async attempt(arn: string, attempts: number): Promise<void> {
    const { store, clock } = this.o;
    const rec = await store.getResource(SNS_KINDS.delivery, arn);
    const d = rec?.doc as unknown as DeliveryRecord | undefined;
    if (!rec || !d || d.status !== 'pending') {
      await store.deleteResource(SNS_KINDS.pending, arn);
      return;
    }
    const start = clock.now();
    if (d.attempts !== attempts) {
      this.later(arn, Math.max(0, (d.nextAttemptAt ?? start) - start, (d.leaseUntil ?? 0) - start), d.attempts);
      return;
    }
    if (d.leaseUntil !== undefined && d.leaseUntil > start && d.leaseOwner !== this.owner) {
      // Another node is attempting it: look again when its lease ends, in case that node died.
      this.later(arn, d.leaseUntil - start, attempts);
      return;
    }
    const claimed: DeliveryRecord = { ...d, leaseOwner: this.owner, leaseUntil: start + this.o.leaseMs };
    if (!(await store.updateResource(SNS_KINDS.delivery, arn, claimed as unknown as Json, rec.revision, start))) return;
    const pending = await store.getResource(SNS_KINDS.pending, arn);
    const job = (pending?.doc as unknown as PendingDoc | undefined)?.job;
    const outcome: Outcome = job ? await this.o.transports.deliver(job) : { ok: false, retryable: false, error: 'the message of this delivery is gone from the store' };

    const now = clock.now();
    const made = d.attempts + 1;
    const policy = this.policyOf(d.protocol, job?.subscription.deliveryPolicy);
    const delayS = outcome.ok || !outcome.retryable ? undefined : retryDelaySeconds(policy, made);
    const next: DeliveryRecord = {
      ...d,
      attempts: made,
      firstAttemptAt: d.firstAttemptAt ?? start,
      lastAttemptAt: start,
      status: outcome.ok ? 'delivered' : delayS === undefined ? 'failed' : 'pending',
      maxAttempts: policy.numRetries + 1,
    };
    delete next.leaseOwner;
    delete next.leaseUntil;
    delete next.nextAttemptAt;
    if (outcome.statusCode !== undefined) next.lastStatusCode = outcome.statusCode;
    if (!outcome.ok) next.lastError = outcome.error;
    if (next.status === 'pending' && delayS !== undefined) {
      next.nextAttemptAt = now + delayS * 1000;
      next.delaysMs = [...d.delaysMs, delayS * 1000];
    } else {
      next.finishedAt = now;
    }
    // The revision after our claim; when it moved, our lease expired and another node took over.
    if (!(await store.updateResource(SNS_KINDS.delivery, arn, next as unknown as Json, rec.revision + 1, now))) return;
    if (next.status === 'pending') this.later(arn, (delayS ?? 0) * 1000, made);
    else await store.deleteResource(SNS_KINDS.pending, arn);
  }
}

function matches(d: DeliveryRecord, q: DeliveryQuery): boolean {
  return (
    (q.topicArn === undefined || d.topicArn === q.topicArn) &&
    (q.subscriptionArn === undefined || d.subscriptionArn === q.subscriptionArn) &&
    (q.messageId === undefined || d.messageId === q.messageId) &&
    (q.status === undefined || d.status === q.status)
  );
}

/** A record without its lease bookkeeping. */
function publicView(d: DeliveryRecord): DeliveryRecord {
  const { leaseOwner: _o, leaseUntil: _u, ...rest } = d;
  return rest;
}
