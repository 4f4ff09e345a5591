/**
 * The InfraMonitoring pipeline's metrics processor, an AWS Lambda handler (Node.js 20, handler
 * `index.handler`) invoked by the raw bucket's ObjectCreated notification. For each created
 * object it reads the raw metrics (GetObject), validates them, aggregates them, holds them against
 * the thresholds, and puts one item in TABLE_NAME keyed by the run: status PROCESSED with the
 * figures, the breaches and a readable summary, or status INVALID with the reason, so that the
 * state machine reports a bad object instead of waiting for one that never comes.
 *
 * S3 or DynamoDB failing is an error of the invocation (Lambda retries asynchronous invocations);
 * an object that is not valid raw metrics is not.
 *
 * Environment: TABLE_NAME (default ProcessedMetrics), CPU_THRESHOLD, MEMORY_THRESHOLD and
 * DISK_THRESHOLD (percent, default 90 each), SIMULATE_FAILURE (a comma-separated list; `processor`
 * makes every invocation fail, so that runs are never processed).
 */
import { PutItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { aggregate } from './aggregate.js';
import { clients } from './clients.js';
import { ProcessorFailure } from './errors.js';
import { invalidItem, processedItem, STATUS } from './item.js';
import { createdObjects, isTestEvent, runIdOfKey, type ObjectRef } from './s3-event.js';
import { summaryText } from './summary.js';
import { evaluate, readThresholds, type Thresholds } from './thresholds.js';
import { validateRaw, type Validation } from './validate.js';

export { ConfigurationError, InvalidEvent, ProcessorFailure } from './errors.js';

/** A raw object is a few kilobytes; anything far larger is not one. */
export const MAX_OBJECT_BYTES = 1024 * 1024;

export interface ProcessorConfig {
  tableName: string;
  thresholds: Thresholds;
  simulateFailure: boolean;
}

export interface RecordOutcome {
  runId: string;
  bucket: string;
  key: string;
  status: (typeof STATUS)[keyof typeof STATUS];
  /** The breaches' messages (PROCESSED). */
  breaches: string[];
  /** Why the object is invalid (INVALID). */
  reason?: string;
}

export interface ProcessorResult {
  outcomes: RecordOutcome[];
  /** Records that are not object creations in S3. */
  skipped: number;
}

export function readConfig(env: NodeJS.ProcessEnv): ProcessorConfig {
  return {
    tableName: env['TABLE_NAME']?.trim() || 'ProcessedMetrics',
    thresholds: readThresholds(env),
    simulateFailure: (env['SIMULATE_FAILURE'] ?? '')
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .includes('processor'),
  };
}

/** The object's text, or why there is none to process. Other S3 failures are thrown. */
async function read(ref: ObjectRef): Promise<{ text: string } | { reason: string }> {
  try {
    const out = await clients().s3.send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key }));
    const text = (await out.Body?.transformToString('utf8')) ?? '';
    const bytes = Buffer.byteLength(text);
    return bytes > MAX_OBJECT_BYTES ? { reason: `the object is ${bytes} bytes, more than a raw object's ${MAX_OBJECT_BYTES}` } : { text };
  } catch (err) {
    if (err instanceof Error && err.name === 'NoSuchKey') return { reason: 'the object does not exist (any more): NoSuchKey' };
    throw err;
  }
}

function parseAndValidate(text: string, runId: string): Validation {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: `not JSON (${err instanceof Error ? err.message : String(err)})` };
  }
  return validateRaw(value, runId);
}

async function processObject(ref: ObjectRef, config: ProcessorConfig): Promise<RecordOutcome> {
  const runId = runIdOfKey(ref.key);
  const got = await read(ref);
  const validation: Validation = 'reason' in got ? { ok: false, reason: got.reason } : parseAndValidate(got.text, runId);
  const source = { bucket: ref.bucket, key: ref.key };
  const put = (item: Record<string, AttributeValue>) => clients().dynamodb.send(new PutItemCommand({ TableName: config.tableName, Item: item }));
  if (!validation.ok) {
    await put(invalidItem(runId, validation.reason, source, new Date()));
    console.warn(`run ${runId}: s3://${ref.bucket}/${ref.key} is INVALID: ${validation.reason}`);
    return { runId, bucket: ref.bucket, key: ref.key, status: STATUS.invalid, breaches: [], reason: validation.reason };
  }
  const figures = aggregate(validation.raw);
  const breaches = evaluate(figures, config.thresholds);
  await put(processedItem(figures, breaches, config.thresholds, summaryText(figures, breaches, config.thresholds), source, new Date(), validation.raw.executionName));
  console.log(`run ${runId}: PROCESSED, ${breaches.length === 0 ? 'no threshold breached' : breaches.map((b) => b.message).join('; ')}`);
  return { runId, bucket: ref.bucket, key: ref.key, status: STATUS.processed, breaches: breaches.map((b) => b.message) };
}

export const handler = async (event: unknown): Promise<ProcessorResult> => {
  const config = readConfig(process.env);
  if (config.simulateFailure) throw new ProcessorFailure('Simulated failure: SIMULATE_FAILURE=processor makes the metrics processor fail before reading anything (unset it to process).');
  if (isTestEvent(event)) return { outcomes: [], skipped: 0 };
  const { objects, skipped } = createdObjects(event);
  const settled = await Promise.allSettled(objects.map((ref) => processObject(ref, config)));
  const failed = settled.flatMap((r, i) => (r.status === 'rejected' ? [{ ref: objects[i] as ObjectRef, err: r.reason as unknown }] : []));
  // One record (as S3 sends): its own error, named as S3 or DynamoDB named it. Several: all of them.
  if (failed.length === 1 && objects.length === 1) throw failed[0]?.err;
  if (failed.length > 0) {
    const what = failed.map(({ ref, err }) => `s3://${ref.bucket}/${ref.key}: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
    throw new ProcessorFailure(`${failed.length} of ${objects.length} objects could not be processed: ${what.join('; ')}`);
  }
  return { outcomes: settled.map((r) => (r as PromiseFulfilledResult<RecordOutcome>).value), skipped };
};
