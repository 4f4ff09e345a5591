/**
 * S3's rules that both the configuration (to refuse a file with its line) and the S3 integration
 * (to answer the API) apply: bucket names, notification event types, and when two notification
 * rules of one bucket overlap. Pure.
 */

/**
 * A general purpose bucket's name: 3 to 63 lowercase letters, digits, dots and hyphens, starting
 * and ending with a letter or digit, no two adjacent dots, not an IP address, and none of the
 * prefixes and suffixes S3 reserves. Undefined when valid, else why not.
 */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return 'a bucket name must be 3 to 63 characters long';
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) return 'a bucket name may hold only lowercase letters, digits, dots and hyphens, and must start and end with a letter or digit';
  if (name.includes('..')) return 'a bucket name must not have two adjacent dots';
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return 'a bucket name must not be an IP address';
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(name)) return "a bucket name must not start with 'xn--', 'sthree-' or 'amzn-s3-demo-'";
  if (/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(name)) return "a bucket name must not end with '-s3alias', '--ol-s3', '.mrap', '--x-s3' or '--table-s3'";
  return undefined;
}

/** The event types a notification may name (S3's list; Stepwise raises the ObjectCreated and ObjectRemoved ones). */
export const S3_EVENT_TYPES = [
  's3:ObjectCreated:*',
  's3:ObjectCreated:Put',
  's3:ObjectCreated:Post',
  's3:ObjectCreated:Copy',
  's3:ObjectCreated:CompleteMultipartUpload',
  's3:ObjectRemoved:*',
  's3:ObjectRemoved:Delete',
  's3:ObjectRemoved:DeleteMarkerCreated',
  's3:ObjectRestore:*',
  's3:ObjectRestore:Post',
  's3:ObjectRestore:Completed',
  's3:ObjectRestore:Delete',
  's3:ReducedRedundancyLostObject',
  's3:Replication:*',
  's3:Replication:OperationFailedReplication',
  's3:Replication:OperationMissedThreshold',
  's3:Replication:OperationReplicatedAfterThreshold',
  's3:Replication:OperationNotTracked',
  's3:LifecycleExpiration:*',
  's3:LifecycleExpiration:Delete',
  's3:LifecycleExpiration:DeleteMarkerCreated',
  's3:LifecycleTransition',
  's3:IntelligentTiering',
  's3:ObjectTagging:*',
  's3:ObjectTagging:Put',
  's3:ObjectTagging:Delete',
  's3:ObjectAcl:Put',
] as const;

const EVENT_SET: ReadonlySet<string> = new Set(S3_EVENT_TYPES);

export function isS3EventType(name: string): boolean {
  return EVENT_SET.has(name);
}

/** Whether a configured event type (`s3:ObjectCreated:*` or an exact one) covers an event (`s3:ObjectCreated:Put`). */
export function eventTypeMatches(configured: string, event: string): boolean {
  if (configured === event) return true;
  return configured.endsWith(':*') && event.startsWith(configured.slice(0, -1));
}

/** A notification rule as far as overlap is concerned. */
export interface NotificationScope {
  events: readonly string[];
  prefix?: string | undefined;
  suffix?: string | undefined;
}

/**
 * S3 refuses two rules of one bucket that share an event type for keys both could match
 * ("Configurations overlap"): their event types intersect, one prefix starts the other, and one
 * suffix ends the other.
 */
export function scopesOverlap(a: NotificationScope, b: NotificationScope): boolean {
  const events = a.events.some((x) => b.events.some((y) => eventTypeMatches(x, y) || eventTypeMatches(y, x)));
  const pa = a.prefix ?? '';
  const pb = b.prefix ?? '';
  const sa = a.suffix ?? '';
  const sb = b.suffix ?? '';
  return events && (pa.startsWith(pb) || pb.startsWith(pa)) && (sa.endsWith(sb) || sb.endsWith(sa));
}

/** A function named by its name or its ARN (with an optional qualifier), as a notification's destination. */
export const FUNCTION_REFERENCE = /^(arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:)?[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]+)?$/;
