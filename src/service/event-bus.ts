/**
 * The local EventBridge bus of a server: events put by `events:putEvents` tasks are kept in the
 * store (kind `busEvent`), so every node of a cluster sees them and the rules of P5 can match
 * them. Each event is one record addressed by its id.
 */
import type { Clock } from '../engine/clock.js';
import type { Json, Store } from '../engine/store.js';

export const BUS_EVENT_KIND = 'busEvent';

export class StoreEventBus {
  constructor(private readonly opts: { store: Store; clock: Clock }) {}

  async put(events: readonly { id: string; source: string; eventBusName: string }[]): Promise<void> {
    const now = this.opts.clock.now();
    for (const e of events) {
      await this.opts.store.createResource(BUS_EVENT_KIND, `${e.eventBusName}/${e.id}`, e.source, e as unknown as Json, now);
    }
  }

  /** The events of a bus, oldest id first (ids are random: the order is stable, not chronological). */
  async list(eventBusName = 'default', limit = 100): Promise<Json[]> {
    const recs = await this.opts.store.listResources(BUS_EVENT_KIND, { arnPrefix: `${eventBusName}/`, limit });
    return recs.map((r) => r.doc);
  }
}
