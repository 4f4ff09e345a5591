/**
 * History events in the Step Functions API's wire shape (what GetExecutionHistory returns and
 * the AWS console shows): details under `<event>EventDetails`, payloads as JSON text.
 * The same mapping as engine/history-format.ts, which the console may not import (DESIGN.md
 * layers: console depends on lib and service only).
 */
import type { EngineHistoryEvent } from './deps.js';

export interface WireEvent {
  readonly id: number;
  readonly previousEventId: number;
  /** Epoch ms. */
  readonly timestamp: number;
  readonly type: string;
  readonly [details: string]: unknown;
}

const JSON_FIELDS = new Set(['input', 'output', 'parameters']);

export function detailsKey(type: string): string {
  if (type.endsWith('StateEntered')) return 'stateEnteredEventDetails';
  if (type.endsWith('StateExited')) return 'stateExitedEventDetails';
  return `${type[0]?.toLowerCase() ?? ''}${type.slice(1)}EventDetails`;
}

export function toWireEvent(e: EngineHistoryEvent): WireEvent {
  const out: Record<string, unknown> = { id: e.id, previousEventId: e.previousEventId, timestamp: e.timestamp, type: e.type };
  if (e.details) {
    const d: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(e.details)) {
      if (v === undefined) continue;
      if (JSON_FIELDS.has(k)) {
        d[k] = JSON.stringify(v);
        if (k !== 'parameters') d[`${k}Details`] = { truncated: false };
      } else if (k === 'assignedVariables' && v && typeof v === 'object') {
        d[k] = Object.fromEntries(Object.entries(v).map(([name, value]) => [name, JSON.stringify(value)]));
        d['assignedVariablesDetails'] = { truncated: false };
      } else d[k] = v;
    }
    out[detailsKey(e.type)] = d;
  }
  return out as unknown as WireEvent;
}

/** The details member of a wire event, if it has one. */
export function wireDetails(e: WireEvent): Record<string, unknown> | undefined {
  const d = e[detailsKey(e.type)];
  return d && typeof d === 'object' ? (d as Record<string, unknown>) : undefined;
}
