/**
 * The `ProcessedMetrics` item of one run, in DynamoDB's attribute-value form. A figure whose
 * source failed is left out rather than stored as NULL.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Aggregates } from './aggregate.js';
import type { Breach, Thresholds } from './thresholds.js';

export const STATUS = { processed: 'PROCESSED', invalid: 'INVALID' } as const;

export interface Source {
  bucket: string;
  key: string;
}

type Plain = string | number | boolean | null | undefined | Plain[] | { [k: string]: Plain };

/** JSON-like values as attribute values; undefined and null members of a map are left out. */
export function toAttribute(v: Exclude<Plain, undefined>): AttributeValue {
  if (v === null) return { NULL: true };
  if (typeof v === 'string') return { S: v };
  if (typeof v === 'number') return { N: String(v) };
  if (typeof v === 'boolean') return { BOOL: v };
  if (Array.isArray(v)) return { L: v.filter((x) => x !== undefined && x !== null).map((x) => toAttribute(x as Exclude<Plain, undefined>)) };
  return { M: toItem(v) };
}

export function toItem(o: { [k: string]: Plain }): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v !== undefined && v !== null) out[k] = toAttribute(v);
  }
  return out;
}

export function processedItem(a: Aggregates, breaches: Breach[], t: Thresholds, summary: string, source: Source, processedAt: Date, executionName: string | null): Record<string, AttributeValue> {
  const worst = a.disks?.[0];
  return toItem({
    runId: a.runId,
    status: STATUS.processed,
    health: breaches.length === 0 ? 'OK' : 'BREACH',
    processedAt: processedAt.toISOString(),
    sourceBucket: source.bucket,
    sourceKey: source.key,
    executionName,
    collectedAt: a.collectedAt,
    hostname: a.hostname,
    cpuPercent: a.cpuPercent,
    memoryPercent: a.memoryPercent,
    swapPercent: a.swapPercent,
    load1: a.load1,
    load5: a.load5,
    load15: a.load15,
    diskMaxPercent: worst?.usedPercent,
    diskMaxMount: worst?.mount,
    networkRxBytesPerSec: a.networkRxBytesPerSec,
    networkTxBytesPerSec: a.networkTxBytesPerSec,
    diskReadBytesPerSec: a.diskReadBytesPerSec,
    diskWriteBytesPerSec: a.diskWriteBytesPerSec,
    uptimeSeconds: a.uptimeSeconds,
    endpointsTotal: a.endpoints.length,
    endpointsUp: a.endpoints.filter((e) => e.up).length,
    endpointsDown: a.endpoints.filter((e) => !e.up).length,
    breachCount: breaches.length,
    breaches: breaches.map((b) => ({ ...b })),
    thresholds: { ...t },
    collectionErrors: a.collectionErrors,
    summary,
  });
}

export function invalidItem(runId: string, reason: string, source: Source, processedAt: Date): Record<string, AttributeValue> {
  return toItem({
    runId,
    status: STATUS.invalid,
    processedAt: processedAt.toISOString(),
    sourceBucket: source.bucket,
    sourceKey: source.key,
    reason,
    summary: `Run ${runId}: the raw object s3://${source.bucket}/${source.key} is invalid and was not processed: ${reason}.`,
  });
}
