/**
 * TestState's inspection data: which intermediate values AWS reports for each kind of state, in
 * each query language, from what the engine recorded while the state ran. AWS's own choices are
 * kept even where they look odd (a Pass with `Result` shows no afterInputPath; a Map shows no
 * `result`), as its recorded responses show them.
 */
import { isObject, type Json, type JsonObject } from '../lib/json.js';
import type { StateNode } from '../asl/graph.js';
import { errorMatches, parseRetriers, type ErrorInfo } from '../asl/retry.js';
import { applyTemplate, jsonataValue } from './dataflow.js';
import type { HttpTrace } from './local-run.js';
import type { Stepper } from './stepper.js';
import type { Frame, InspectionStage } from './types.js';

export interface ErrorDetails {
  catchIndex?: number;
  retryIndex?: number;
  retryBackoffIntervalSeconds?: number;
}

/** InspectionData's members as values (the API writes the JSON ones as text). */
export interface Inspection {
  input: Json;
  afterInputPath?: Json;
  afterParameters?: Json;
  afterArguments?: Json;
  result?: Json;
  afterResultSelector?: Json;
  afterResultPath?: Json;
  variables?: JsonObject;
  errorDetails?: ErrorDetails;
  afterItemsPath?: Json;
  afterItemSelector?: Json;
  afterItemBatcher?: Json;
  toleratedFailureCount?: number;
  toleratedFailurePercentage?: number;
  maxConcurrency?: number;
  /** An HTTP Task's request and response (TRACE). */
  request?: HttpTrace['request'];
  response?: HttpTrace['response'];
}

export interface FanoutSeen {
  items: Json[] | undefined;
  maxConcurrency: number;
  toleratedCount: number | undefined;
  toleratedPercentage: number | undefined;
  /** Each item after ItemSelector (or the legacy Parameters), when the Map has one. */
  itemSelections?: Json[] | undefined;
}

/** What the test saw while the state ran. */
export interface Seen {
  recorded: Partial<Record<InspectionStage, Json>>;
  /** The request a Task dispatched (its input after Parameters or Arguments). */
  taskInput?: Json;
  /** The state's result (a Task's answer, a Map's or Parallel's mocked array). */
  result?: { value: Json };
  fanout?: FanoutSeen;
  /** An HTTP Task's exchange, as TestState may show it. */
  http?: HttpTrace;
}

export function inspectionOf(node: StateNode, input: Json, seen: Seen, vars: JsonObject | undefined): Inspection {
  const r = seen.recorded;
  const d = node.def;
  const jsonata = node.ql === 'JSONata';
  const out: Inspection = { input };
  const put = <K extends keyof Inspection>(k: K, v: Inspection[K] | undefined) => {
    if (v !== undefined) out[k] = v;
  };
  const result = seen.result?.value;
  // Without a ResultSelector, the selected result is the result itself.
  const selected = (value: Json | undefined) => r.afterResultSelector ?? ('ResultSelector' in d || r.afterResultPath === undefined ? undefined : value);
  switch (node.type) {
    case 'Task':
      if (jsonata) put('afterArguments', seen.taskInput);
      else {
        put('afterInputPath', r.afterInputPath);
        put('afterParameters', seen.taskInput);
      }
      put('result', result);
      if (!jsonata) {
        put('afterResultSelector', selected(result));
        put('afterResultPath', r.afterResultPath);
      }
      put('request', seen.http?.request);
      put('response', seen.http?.response);
      break;
    case 'Pass': {
      if (jsonata) break;
      let passResult: Json | undefined;
      if ('Result' in d) {
        passResult = d['Result'] as Json;
        put('result', passResult);
      } else {
        put('afterInputPath', r.afterInputPath);
        passResult = r.afterParameters ?? (r.afterResultPath !== undefined ? r.afterInputPath : undefined);
        put('afterParameters', passResult);
      }
      put('afterResultSelector', selected(passResult));
      put('afterResultPath', r.afterResultPath);
      break;
    }
    case 'Parallel':
    case 'Map':
      if (jsonata) put('afterArguments', node.type === 'Parallel' ? r.afterArguments : undefined);
      else {
        put('afterInputPath', r.afterInputPath);
        if (node.type === 'Parallel') put('afterParameters', r.afterParameters);
      }
      if (node.type === 'Map' && seen.fanout) mapInspection(node, seen.fanout, out);
      if (!jsonata) {
        put('afterResultSelector', selected(result));
        put('afterResultPath', r.afterResultPath);
      }
      break;
    default:
      // Choice, Wait, Succeed, Fail: a Fail has no InputPath, and AWS shows its input unchanged.
      if (!jsonata) put('afterInputPath', r.afterInputPath ?? (node.type === 'Fail' ? input : undefined));
  }
  if (vars && Object.keys(vars).length > 0) out.variables = vars;
  return out;
}

function mapInspection(node: StateNode, fan: FanoutSeen, out: Inspection): void {
  const batched = isObject(node.def['ItemBatcher']);
  const items = fan.items ?? [];
  if (node.ql !== 'JSONata') out.afterItemsPath = batched ? items.flatMap((b) => (isObject(b) && Array.isArray(b['Items']) ? b['Items'] : [])) : items;
  if (fan.itemSelections) out.afterItemSelector = fan.itemSelections;
  if (batched) out.afterItemBatcher = items;
  if (fan.toleratedCount !== undefined) out.toleratedFailureCount = fan.toleratedCount;
  if (fan.toleratedPercentage !== undefined) out.toleratedFailurePercentage = fan.toleratedPercentage;
  out.maxConcurrency = fan.maxConcurrency;
}

/** Each Map item as its iteration would receive it, when the Map has an ItemSelector (or legacy Parameters). */
export async function itemSelections(s: Stepper, frame: Frame, node: StateNode, items: Json[], effectiveInput: Json): Promise<Json[] | undefined> {
  const d = node.def;
  const field = 'ItemSelector' in d ? 'ItemSelector' : node.ql !== 'JSONata' && 'Parameters' in d ? 'Parameters' : undefined;
  if (field === undefined) return undefined;
  const out: Json[] = [];
  for (let index = 0; index < items.length; index++) {
    const extras = { mapItem: { index, value: items[index] as Json } };
    if (node.ql === 'JSONata') out.push(await jsonataValue(s, frame, node, field, d[field] as Json, { input: frame.input, extras }));
    else out.push(applyTemplate(s, frame, node, field, effectiveInput, extras));
  }
  return out;
}

function retriable(node: StateNode, err: ErrorInfo): boolean {
  return (node.type === 'Task' || node.type === 'Parallel' || node.type === 'Map') && err.error !== 'States.Runtime';
}

/** The retrier that decides on `err` (the first whose ErrorEquals matches), as the engine picks it. */
export function retrierIndex(node: StateNode, err: ErrorInfo, heartbeat: boolean): number | undefined {
  if (!retriable(node, err)) return undefined;
  const i = parseRetriers(node.def['Retry']).findIndex((r) => errorMatches(r.errorEquals, err, heartbeat));
  return i < 0 ? undefined : i;
}

/** The catcher that takes `err`, as the engine picks it. */
export function catcherIndex(node: StateNode, err: ErrorInfo, heartbeat: boolean): number | undefined {
  const catchers = node.def['Catch'];
  if (!retriable(node, err) || !Array.isArray(catchers)) return undefined;
  const i = catchers.findIndex((c) => isObject(c) && Array.isArray(c['ErrorEquals']) && errorMatches(c['ErrorEquals'], err, heartbeat));
  return i < 0 ? undefined : i;
}
