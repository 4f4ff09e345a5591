/**
 * `arn:aws:states:::events:putEvents`: events onto a local EventBridge bus (the default bus unless
 * an entry names another). Each entry is checked as EventBridge checks it; any failed entry fails
 * the task with `EventBridge.FailedEntry` and the PutEvents response as its cause, as AWS reports.
 */
import { randomUUID } from 'node:crypto';
import { isObject, type Json, type JsonObject } from '../lib/json.js';
import { StatesError } from '../asl/errors.js';
import type { TaskInvoker, TaskProgress } from '../engine/local-run.js';
import type { TaskRequest } from '../engine/types.js';

/** An event as EventBridge delivers it to rules and targets. */
export interface BusEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  /** ISO 8601, seconds precision. */
  time: string;
  region: string;
  resources: string[];
  detail: Json;
  eventBusName: string;
}

/** Where accepted events go (the rules of P5 match them there). */
export interface EventBus {
  put(events: BusEvent[]): Promise<void>;
}

const RESOURCE = 'arn:aws:states:::events:putEvents';
/** EventBridge's limit on one PutEvents call. */
const MAX_ENTRIES = 10;

export type EntryResult = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

export function eventsInvoker(bus: EventBus, opts: { region: string; account: string; now: () => number }, next: TaskInvoker): TaskInvoker {
  return {
    async invoke(req: TaskRequest, progress?: TaskProgress): Promise<Json> {
      if (req.resource !== RESOURCE && req.resource !== `${RESOURCE}.waitForTaskToken`) return next.invoke(req, progress);
      const params = isObject(req.input) ? req.input : {};
      const entries = params['Entries'];
      if (!Array.isArray(entries) || entries.length === 0) {
        throw new StatesError('EventBridge.ValidationException', "1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null");
      }
      if (entries.length > MAX_ENTRIES) {
        throw new StatesError(
          'EventBridge.ValidationException',
          `1 validation error detected: Value '[...]' at 'entries' failed to satisfy constraint: Member must have length less than or equal to ${MAX_ENTRIES}`,
        );
      }
      const response = await putEventEntries(bus, opts, entries);
      const failed = response.FailedEntryCount;
      if (failed > 0) throw new StatesError('EventBridge.FailedEntry', JSON.stringify(response));
      return response as unknown as JsonObject;
    },
  };
}

/** PutEvents' answer: one result per entry, in order. */
export interface PutEventsResult {
  Entries: EntryResult[];
  FailedEntryCount: number;
}

/**
 * Check each entry as EventBridge does and put the valid ones on `bus` (the count limits are the
 * caller's: the task and the API report them differently).
 */
export async function putEventEntries(bus: EventBus, opts: { region: string; account: string; now: () => number }, entries: readonly Json[]): Promise<PutEventsResult> {
  const time = new Date(Math.floor(opts.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  const accepted: BusEvent[] = [];
  const results: EntryResult[] = entries.map((raw): EntryResult => {
    const e = isObject(raw) ? raw : {};
    const problem = entryProblem(e);
    if (problem) return problem;
    const detail = typeof e['Detail'] === 'string' ? (JSON.parse(e['Detail']) as Json) : (e['Detail'] as Json);
    const id = randomUUID();
    accepted.push({
      version: '0',
      id,
      'detail-type': e['DetailType'] as string,
      source: e['Source'] as string,
      account: opts.account,
      time,
      region: opts.region,
      resources: Array.isArray(e['Resources']) ? e['Resources'].filter((r): r is string => typeof r === 'string') : [],
      detail,
      eventBusName: typeof e['EventBusName'] === 'string' ? e['EventBusName'] : 'default',
    });
    return { EventId: id };
  });
  if (accepted.length > 0) await bus.put(accepted);
  return { Entries: results, FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length };
}

/** EventBridge's per-entry checks, in its order, with its codes and messages. */
function entryProblem(e: JsonObject): EntryResult | undefined {
  const invalid = (param: string, reason: string): EntryResult => ({ ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter ${param} is not valid. Reason: ${reason}` });
  if (typeof e['Source'] !== 'string' || e['Source'] === '') return invalid('Source', 'Source is a required argument.');
  if (typeof e['DetailType'] !== 'string' || e['DetailType'] === '') return invalid('DetailType', 'DetailType is a required argument.');
  const detail = e['Detail'];
  if (detail === undefined) return invalid('Detail', 'Detail is a required argument.');
  // Detail is a JSON object: as text, or as an object Step Functions serialises.
  if (isObject(detail)) return undefined;
  if (typeof detail !== 'string') return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  try {
    const parsed = JSON.parse(detail) as unknown;
    if (!isObject(parsed as Json)) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  } catch {
    return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  }
  return undefined;
}

/** A bus that keeps the events it is given (in-process runs and tests). */
export class MemoryEventBus implements EventBus {
  readonly events: BusEvent[] = [];
  put(events: BusEvent[]): Promise<void> {
    this.events.push(...events);
    return Promise.resolve();
  }
}
