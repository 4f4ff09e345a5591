/**
 * History events in the Step Functions API's wire shape, for the edges that may not import the
 * engine (the console): the engine's own mapping (engine/history-format.ts), with the timestamp
 * kept as epoch milliseconds.
 */
import { detailsKey, toAwsEvent } from '../engine/history-format.js';
import type { HistoryEvent } from '../engine/types.js';

export { detailsKey };

export function toWireHistoryEvent(e: HistoryEvent): Record<string, unknown> & { id: number; previousEventId: number; timestamp: number; type: string } {
  return { ...toAwsEvent(e), timestamp: e.timestamp };
}
