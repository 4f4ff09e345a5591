/** The objects an S3 event notification names, and the run each belongs to. */
import { InvalidEvent } from './errors.js';

export interface ObjectRef {
  bucket: string;
  /** Decoded: S3 sends keys URL-encoded, with `+` for a space. */
  key: string;
  eventName: string;
}

/** S3's own key encoding undone (`raw/a+b%281%29.json` → `raw/a b(1).json`). */
export function decodeKey(encoded: string): string {
  return decodeURIComponent(encoded.replace(/\+/g, '%20'));
}

/** `raw/2024/05/01/exec-1.json` → `exec-1`: the collector names each object after its run. */
export function runIdOfKey(key: string): string {
  const base = key.slice(key.lastIndexOf('/') + 1);
  const stem = base.endsWith('.json') ? base.slice(0, -'.json'.length) : base;
  // A key that names no run (`raw/.json`) still needs an item key.
  return stem || key;
}

/** S3 sends this once when a notification is configured on AWS; it names no object. */
export function isTestEvent(event: unknown): boolean {
  return typeof event === 'object' && event !== null && (event as Record<string, unknown>)['Event'] === 's3:TestEvent';
}

/**
 * The created objects of the event's records. Records of other kinds (removals, other sources)
 * are not for this function and are skipped; an event without records is refused.
 */
export function createdObjects(event: unknown): { objects: ObjectRef[]; skipped: number } {
  const records = typeof event === 'object' && event !== null ? (event as Record<string, unknown>)['Records'] : undefined;
  if (!Array.isArray(records)) throw new InvalidEvent('The metrics processor expects an S3 event notification (an object with Records); this event has none');
  const objects: ObjectRef[] = [];
  records.forEach((r: unknown, i) => {
    const rec = (typeof r === 'object' && r !== null ? r : {}) as { eventSource?: unknown; eventName?: unknown; s3?: { bucket?: { name?: unknown }; object?: { key?: unknown } } };
    if (rec.eventSource !== 'aws:s3' || typeof rec.eventName !== 'string' || !rec.eventName.startsWith('ObjectCreated:')) return;
    const bucket = rec.s3?.bucket?.name;
    const key = rec.s3?.object?.key;
    if (typeof bucket !== 'string' || typeof key !== 'string') throw new InvalidEvent(`Records[${i}] is an S3 ObjectCreated record without s3.bucket.name and s3.object.key`);
    let decoded: string;
    try {
      decoded = decodeKey(key);
    } catch {
      throw new InvalidEvent(`Records[${i}]: s3.object.key '${key}' is not URL-encoded as S3 encodes keys`);
    }
    objects.push({ bucket, key: decoded, eventName: rec.eventName });
  });
  return { objects, skipped: records.length - objects.length };
}
