/**
 * Bucket notifications waiting for their function, in the store (kind `s3Notification`): written
 * before the object operation answers, touched before every attempt, removed once the function
 * took the event or its retries ran out. A record untouched for longer than any attempt and its
 * retries can take belonged to a process that died: whoever sees it claims it (compare-and-set)
 * and sends it again.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../engine/clock.js';
import type { Json, Store } from '../../engine/store.js';
import type { JsonObject } from '../../lib/json.js';
import type { PendingNotifications } from './notifications.js';

export const PENDING_NOTIFICATION_KIND = 's3Notification';

interface PendingDoc {
  functionArn: string;
  configurationId: string;
  event: JsonObject;
}

export interface OrphanNotification extends PendingDoc {
  id: string;
}

export class StorePendingNotifications implements PendingNotifications {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async add(functionArn: string, configurationId: string, event: JsonObject): Promise<string> {
    const now = this.clock.now();
    const id = `${String(now).padStart(13, '0')}/${randomUUID()}`;
    const doc: PendingDoc = { functionArn, configurationId, event };
    await this.store.createResource(PENDING_NOTIFICATION_KIND, id, configurationId, doc as unknown as Json, now);
    return id;
  }

  async touch(id: string): Promise<void> {
    const rec = await this.store.getResource(PENDING_NOTIFICATION_KIND, id);
    if (rec) await this.store.updateResource(PENDING_NOTIFICATION_KIND, id, rec.doc, rec.revision, this.clock.now());
  }

  async done(id: string): Promise<void> {
    await this.store.deleteResource(PENDING_NOTIFICATION_KIND, id);
  }

  /** Records untouched for `orphanMs`, each claimed by this call (another process's claim wins the race). */
  async claimOrphans(orphanMs: number, limit = 50): Promise<OrphanNotification[]> {
    const now = this.clock.now();
    const out: OrphanNotification[] = [];
    for (const rec of await this.store.listResources(PENDING_NOTIFICATION_KIND, { limit: 200 })) {
      if (rec.updatedAt > now - orphanMs) continue;
      if (!(await this.store.updateResource(PENDING_NOTIFICATION_KIND, rec.arn, rec.doc, rec.revision, now))) continue;
      out.push({ id: rec.arn, ...(rec.doc as unknown as PendingDoc) });
      if (out.length >= limit) break;
    }
    return out;
  }
}
