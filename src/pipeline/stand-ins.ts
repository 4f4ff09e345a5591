/**
 * Stand-ins for the InfraMonitoring pipeline's functions and services, for runs without the real
 * ones (tests, demos). They keep the real system's contract with the definition: the collector
 * writes one raw object and returns `{runId, bucket, key, summary}`; the object's creation runs the
 * processor, which writes the run's ProcessedMetrics item as metrics-processor does (status
 * PROCESSED with a readable `summary`, or status INVALID with the `reason`); getItem reads the
 * table; publish records the notification.
 */
import { loadavg, totalmem, freemem, uptime, cpus } from 'node:os';
import { randomUUID } from 'node:crypto';
import { isObject, type JsonObject } from '../lib/json.js';

/** What the stand-in collector reads from a host. */
export interface HostReadings {
  cpuCount: number;
  load1: number;
  memoryPercent: number;
  uptimeSeconds: number;
}

export interface StandInWorld {
  readonly bucket: string;
  /** The raw bucket's objects, by key. */
  readonly objects: Map<string, JsonObject>;
  /** The ProcessedMetrics table's items (DynamoDB attribute values), by runId. */
  readonly processed: Map<string, JsonObject>;
  readonly notifications: JsonObject[];
  /** Where the collector's figures come from: this host unless told otherwise. */
  readonly read: () => HostReadings;
}

export const STAND_IN_BUCKET = 'raw-metrics';
/** metrics-processor's default memory threshold, in percent. */
export const MEMORY_THRESHOLD = 90;

export function newWorld(read: () => HostReadings = hostReadings): StandInWorld {
  return { bucket: STAND_IN_BUCKET, objects: new Map(), processed: new Map(), notifications: [], read };
}

export function hostReadings(): HostReadings {
  return {
    cpuCount: cpus().length || 1,
    load1: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    memoryPercent: Math.round((1 - freemem() / totalmem()) * 1000) / 10,
    uptimeSeconds: Math.round(uptime()),
  };
}

/** The run is named after the execution, as data-collector names it, so that a retry rewrites one object. */
function runIdOf(executionName: unknown): string {
  if (typeof executionName === 'string' && executionName.trim() !== '') return executionName.trim().replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80);
  return `run-${randomUUID().slice(0, 8)}`;
}

export function collectMetrics(world: StandInWorld, event: JsonObject): JsonObject {
  const runId = runIdOf(event['executionName']);
  const readings = world.read();
  const raw: JsonObject = { schemaVersion: 1, runId, collectedAt: typeof event['startedAt'] === 'string' ? event['startedAt'] : null, ...readings };
  const key = `raw/${runId}.json`;
  world.objects.set(key, raw);
  // S3's ObjectCreated notification invokes the processor; the stand-in runs it at once.
  processObject(world, key);
  return { runId, bucket: world.bucket, key, summary: { cpuCount: readings.cpuCount, load1: readings.load1, memoryPercent: readings.memoryPercent } };
}

/** Why metrics-processor would reject the object, if it would. */
function invalidReason(raw: JsonObject | undefined): string | undefined {
  if (!raw) return 'the object does not exist (any more): NoSuchKey';
  const problems: string[] = [];
  const { cpuCount, load1, memoryPercent, uptimeSeconds } = raw;
  if (typeof cpuCount !== 'number' || !Number.isInteger(cpuCount) || cpuCount < 1) problems.push(`cpuCount ${JSON.stringify(cpuCount ?? null)} is not a positive integer`);
  if (typeof load1 !== 'number' || !(load1 >= 0)) problems.push(`load1 ${JSON.stringify(load1 ?? null)} is not a non-negative number`);
  if (typeof memoryPercent !== 'number' || !(memoryPercent >= 0 && memoryPercent <= 100)) problems.push(`memoryPercent ${JSON.stringify(memoryPercent ?? null)} is not a percentage`);
  if (typeof uptimeSeconds !== 'number' || !(uptimeSeconds >= 0)) problems.push(`uptimeSeconds ${JSON.stringify(uptimeSeconds ?? null)} is not a non-negative number`);
  return problems.length ? problems.join('; ') : undefined;
}

/** The processor: the run's item, PROCESSED with a summary or INVALID with the reason, written to the table. */
export function processObject(world: StandInWorld, key: string): JsonObject {
  const raw = world.objects.get(key);
  const runId = typeof raw?.['runId'] === 'string' ? raw['runId'] : key.replace(/^.*\/|\.json$/g, '');
  const reason = invalidReason(raw);
  const source = `s3://${world.bucket}/${key}`;
  const item: JsonObject = reason
    ? {
        runId: { S: runId },
        status: { S: 'INVALID' },
        reason: { S: reason },
        summary: { S: `Run ${runId}: the raw object ${source} is invalid and was not processed: ${reason}.` },
      }
    : processedItem(runId, raw as JsonObject & HostReadings, source);
  world.processed.set(runId, item);
  return item;
}

function processedItem(runId: string, r: HostReadings, source: string): JsonObject {
  const breached = r.memoryPercent > MEMORY_THRESHOLD;
  const verdict = breached ? `memory ${r.memoryPercent}% breached its ${MEMORY_THRESHOLD}% threshold` : 'OK, no threshold breached';
  const summary = `Run ${runId} (${source}): ${verdict}.\nMemory ${r.memoryPercent}%, load ${r.load1} on ${r.cpuCount} CPU${r.cpuCount === 1 ? '' : 's'}, up ${r.uptimeSeconds}s.`;
  return {
    runId: { S: runId },
    status: { S: 'PROCESSED' },
    health: { S: breached ? 'BREACH' : 'OK' },
    cpuCount: { N: String(r.cpuCount) },
    load1: { N: String(r.load1) },
    memoryPercent: { N: String(r.memoryPercent) },
    uptimeSeconds: { N: String(r.uptimeSeconds) },
    summary: { S: summary },
  };
}

export function getItem(world: StandInWorld, params: JsonObject): JsonObject {
  const key = params['Key'];
  const id = isObject(key) && isObject(key['runId']) ? key['runId']['S'] : undefined;
  const item = typeof id === 'string' ? world.processed.get(id) : undefined;
  return item ? { Item: item } : {};
}

export function publish(world: StandInWorld, params: JsonObject): JsonObject {
  const messageId = randomUUID();
  world.notifications.push({ MessageId: messageId, TopicArn: params['TopicArn'] ?? null, Subject: params['Subject'] ?? null, Message: params['Message'] ?? null });
  return { MessageId: messageId };
}
