/**
 * The local EventBridge bus of a server: events put by `events:putEvents` tasks, PutEvents and
 * Step Functions' status changes are kept in the store (kind `busEvent`), so every node of a
 * cluster sees them and event-pattern rules can match them. A record's ARN is
 * `<bus>/<13-digit epoch ms>/<event id>`, so a bus reads in time order; it says whether the
 * event was dispatched to the rules yet (a process that died in between leaves it for recovery),
 * and events are kept one day.
 */
import type { Clock } from '../engine/clock.js';
import type { Json, Store } from '../engine/store.js';

export const BUS_EVENT_KIND = 'busEvent';
/** How long events are kept (EventBridge keeps none; a day serves recovery and inspection). */
export const BUS_EVENT_RETENTION_MS = 86_400_000;

export function busEventArn(bus: string, at: number, id: string): string {
  return `${bus}/${String(at).padStart(13, '0')}/${id}`;
}

export interface StoredBusEvent {
  arn: string;
  event: Json;
}

export class StoreEventBus {
  constructor(private readonly opts: { store: Store; clock: Clock }) {}

  /** Store the events (not yet dispatched); returns their record ARNs. */
  async put(events: readonly { id: string; source: string; eventBusName: string }[]): Promise<string[]> {
    const now = this.opts.clock.now();
    const arns: string[] = [];
    for (const e of events) {
      const arn = busEventArn(e.eventBusName, now, e.id);
      await this.opts.store.createResource(BUS_EVENT_KIND, arn, e.source, { ...e, dispatched: false } as unknown as Json, now);
      arns.push(arn);
    }
    return arns;
  }

  /** The event was matched against the rules (its matches are claimed on their own). */
  async markDispatched(arn: string): Promise<void> {
    const rec = await this.opts.store.getResource(BUS_EVENT_KIND, arn);
    if (!rec || (rec.doc as { dispatched?: boolean }).dispatched) return;
    await this.opts.store.updateResource(BUS_EVENT_KIND, arn, { ...(rec.doc as object), dispatched: true } as Json, rec.revision, this.opts.clock.now());
  }

  /**
   * Events of the bus stored in [since, before) that were never dispatched, oldest first, read
   * after `afterArn` when given (a caller's cursor: what it scanned before needs no second look);
   * `scannedTo` is the cursor for the next call.
   */
  async undispatched(bus: string, since: number, before: number, afterArn?: string, limit = 100): Promise<{ events: StoredBusEvent[]; scannedTo: string | undefined }> {
    const events: StoredBusEvent[] = [];
    const floor = busEventArn(bus, since - 1, '~');
    let cursor = afterArn !== undefined && afterArn > floor ? afterArn : floor;
    let scannedTo = afterArn;
    for (;;) {
      const page = await this.opts.store.listResources(BUS_EVENT_KIND, { arnPrefix: `${bus}/`, afterArn: cursor, limit: 200 });
      for (const r of page) {
        if (r.createdAt >= before) return { events, scannedTo };
        if (!(r.doc as { dispatched?: boolean }).dispatched) events.push({ arn: r.arn, event: r.doc });
        scannedTo = r.arn;
        if (events.length >= limit) return { events, scannedTo };
      }
      const last = page[page.length - 1];
      if (page.length < 200 || !last) return { events, scannedTo };
      cursor = last.arn;
    }
  }

  /** Drop events stored before `before`; returns how many. */
  async prune(bus: string, before: number): Promise<number> {
    let n = 0;
    for (;;) {
      const page = await this.opts.store.listResources(BUS_EVENT_KIND, { arnPrefix: `${bus}/`, limit: 200 });
      const old = page.filter((r) => r.arn < busEventArn(bus, before, ''));
      for (const r of old) if (await this.opts.store.deleteResource(BUS_EVENT_KIND, r.arn)) n++;
      if (old.length < 200) return n;
    }
  }

  /** The events of a bus, oldest first. */
  async list(eventBusName = 'default', limit = 100): Promise<Json[]> {
    const recs = await this.opts.store.listResources(BUS_EVENT_KIND, { arnPrefix: `${eventBusName}/`, limit });
    return recs.map((r) => r.doc);
  }
}
