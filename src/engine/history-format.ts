/** History events as the Step Functions API returns them: details under AWS's member names, payloads as JSON text. */
import type { HistoryEvent } from './types.js';

const JSON_FIELDS = new Set(['input', 'output', 'parameters']);

export function detailsKey(type: string): string {
  if (type.endsWith('StateEntered') && type !== 'MapStateEntered' && type !== 'ParallelStateEntered') return 'stateEnteredEventDetails';
  if (type === 'MapStateEntered' || type === 'ParallelStateEntered') return 'stateEnteredEventDetails';
  if (type.endsWith('StateExited')) return 'stateExitedEventDetails';
  return `${type[0]?.toLowerCase() ?? ''}${type.slice(1)}EventDetails`;
}

export interface AwsHistoryEvent {
  timestamp: Date;
  type: string;
  id: number;
  previousEventId: number;
  [details: string]: unknown;
}

export function toAwsEvent(e: HistoryEvent, includeExecutionData = true): AwsHistoryEvent {
  const out: AwsHistoryEvent = { timestamp: new Date(e.timestamp), type: e.type, id: e.id, previousEventId: e.previousEventId };
  if (e.details) {
    const d: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(e.details)) {
      if (v === undefined) continue;
      if (JSON_FIELDS.has(k)) {
        if (!includeExecutionData) continue;
        d[k] = JSON.stringify(v);
        // AWS reports truncation of input and output; `parameters` has no details member.
        if (k !== 'parameters') d[`${k}Details`] = { truncated: false };
      } else if (k === 'assignedVariables' && v && typeof v === 'object') {
        const vars: Record<string, string> = {};
        for (const [name, value] of Object.entries(v)) vars[name] = JSON.stringify(value);
        d[k] = vars;
        d['assignedVariablesDetails'] = { truncated: false };
      } else d[k] = v;
    }
    out[detailsKey(e.type)] = d;
  }
  return out;
}
