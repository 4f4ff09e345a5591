/**
 * What an execution's page shows, read once per request: the execution, its whole history (at
 * most AWS's 25,000 events, read a page at a time), the timeline of its states and the status
 * of each state for the diagram.
 */
import { summarizeExecution, type ExecutionStatusSummary } from '../diagram/index.js';
import { redriveStatusOf, type RedriveStatus } from '../../service/executions.js';
import type { ConsoleDeps, EngineHistoryEvent, ExecutionRecord } from './deps.js';
import { buildTimeline, type Timeline } from './timeline.js';

/** GetExecutionHistory's page size at most, and AWS's limit of events in one execution. */
const HISTORY_PAGE = 1000;
export const MAX_HISTORY_EVENTS = 25_000;

export interface ExecutionView {
  readonly rec: ExecutionRecord;
  readonly events: readonly EngineHistoryEvent[];
  readonly timeline: Timeline;
  /** Per-state statuses for the diagram; undefined when the definition cannot be read. */
  readonly summary: ExecutionStatusSummary | undefined;
  readonly redrive: RedriveStatus;
  /** The services' clock, for the duration of what still runs. */
  readonly now: number;
}

export async function loadExecution(deps: ConsoleDeps, executionArn: string): Promise<ExecutionView> {
  const rec = await deps.queries.execution(executionArn);
  const events: EngineHistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await deps.queries.history({ executionArn, maxResults: HISTORY_PAGE, ...(nextToken ? { nextToken } : {}) });
    events.push(...page.events);
    nextToken = page.nextToken;
  } while (nextToken && events.length < MAX_HISTORY_EVENTS);
  let summary: ExecutionStatusSummary | undefined;
  try {
    summary = summarizeExecution(events, rec.definition);
  } catch {
    summary = undefined;
  }
  const now = deps.executions.now();
  return { rec, events, timeline: buildTimeline(events), summary, redrive: redriveStatusOf(rec, now), now };
}

/** The id of an execution's latest event: one reversed page of one event. */
export async function lastEventId(deps: ConsoleDeps, executionArn: string): Promise<number> {
  const page = await deps.queries.history({ executionArn, maxResults: 1, reverseOrder: true });
  return page.events[0]?.id ?? 0;
}
