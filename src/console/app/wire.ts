/**
 * History events in the Step Functions API's wire shape (what GetExecutionHistory returns and
 * the AWS console shows): details under `<event>EventDetails`, payloads as JSON text.
 * The engine's own mapping, through the service layer (the console may not import the engine).
 */
import { detailsKey, toWireHistoryEvent } from '../../service/history-wire.js';
import type { EngineHistoryEvent } from './deps.js';

export interface WireEvent {
  readonly id: number;
  readonly previousEventId: number;
  /** Epoch ms. */
  readonly timestamp: number;
  readonly type: string;
  readonly [details: string]: unknown;
}

export { detailsKey };

export function toWireEvent(e: EngineHistoryEvent): WireEvent {
  return toWireHistoryEvent(e) as unknown as WireEvent;
}

/** The details member of a wire event, if it has one. */
export function wireDetails(e: WireEvent): Record<string, unknown> | undefined {
  const d = e[detailsKey(e.type)];
  return d && typeof d === 'object' ? (d as Record<string, unknown>) : undefined;
}
