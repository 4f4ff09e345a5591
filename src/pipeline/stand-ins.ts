/**
 * Stand-in functions for the InfraMonitoring pipeline until the real integrations exist (P4/P6):
 * a collector that reads this host's load and memory, an in-memory "processor" that records the
 * run as processed, a getItem that reads it back, and a publish that records the notification.
 */
import { loadavg, totalmem, freemem, uptime, cpus } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Json, JsonObject } from '../lib/json.js';

export interface StandInWorld {
  objects: Map<string, Json>;
  processed: Map<string, JsonObject>;
  notifications: JsonObject[];
}

export function newWorld(): StandInWorld {
  return { objects: new Map(), processed: new Map(), notifications: [] };
}

export function collectMetrics(world: StandInWorld, event: JsonObject): JsonObject {
  const runId = `${String(event['executionName'] ?? 'run')}-${randomUUID().slice(0, 8)}`;
  const memUsed = 1 - freemem() / totalmem();
  const raw: JsonObject = {
    runId,
    collectedAt: String(event['startedAt'] ?? ''),
    cpuCount: cpus().length,
    load: loadavg().map((l) => Math.round(l * 100) / 100),
    memoryUsedPercent: Math.round(memUsed * 1000) / 10,
    uptimeSeconds: Math.round(uptime()),
  };
  const key = `raw/${runId}.json`;
  world.objects.set(key, raw);
  // The S3 ObjectCreated notification would invoke the processor; the stand-in does it at once.
  world.processed.set(runId, { runId: { S: runId }, status: { S: memUsed > 0.95 ? 'ALERT' : 'OK' }, memoryUsedPercent: { N: String(raw['memoryUsedPercent']) } });
  return { runId, bucket: 'raw-metrics', key };
}

export function getItem(world: StandInWorld, params: JsonObject): JsonObject {
  const key = params['Key'] as JsonObject | undefined;
  const runId = ((key?.['runId'] as JsonObject | undefined)?.['S'] ?? '') as string;
  const item = world.processed.get(runId);
  return item ? { Item: item } : {};
}

export function publish(world: StandInWorld, params: JsonObject): JsonObject {
  const messageId = randomUUID();
  world.notifications.push({ MessageId: messageId, TopicArn: params['TopicArn'] ?? null, Subject: params['Subject'] ?? null, Message: params['Message'] ?? null });
  return { MessageId: messageId };
}
