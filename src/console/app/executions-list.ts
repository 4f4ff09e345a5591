/**
 * A machine's executions, newest first, a page at a time, optionally of one status, started in a
 * time window, and a search by name: an exact name is one lookup; a part of a name is looked for
 * in the newest executions (of the window), a bounded number per request, with a link to search
 * further back.
 *
 * A window is read as ListExecutions reads (newest first by start time): "started before" starts
 * the listing at that time through a page token, "started after" ends it at the first execution
 * older than that, so a page reads at most one execution past the window.
 */
import { nameProblem } from '../../service/names.js';
import type { ConsoleDeps, ExecutionRecord } from './deps.js';
import { formatDuration, statusBadge, timeElement } from './format.js';
import { html, type Html } from './html.js';
import { links } from './layout.js';

export const EXECUTIONS_PAGE = 50;
/** A search looks at this many executions per request at most. */
export const SEARCH_SCAN = 1000;
const SCAN_PAGE = 200;

export const STATUS_FILTERS = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'] as const;

export interface ExecutionFilter {
  readonly status: string | undefined;
  readonly search: string | undefined;
  readonly nextToken: string | undefined;
  /** `datetime-local` text, read as UTC: executions started at or after it. */
  readonly startedAfter?: string | undefined;
  /** `datetime-local` text, read as UTC: executions started before it. */
  readonly startedBefore?: string | undefined;
}

export interface ExecutionPage {
  readonly executions: readonly ExecutionRecord[];
  readonly nextToken: string | undefined;
  /** How many executions a search looked at. */
  readonly scanned: number | undefined;
  /** The time window the page is of, epoch ms. */
  readonly window?: TimeWindow | undefined;
}

export interface TimeWindow {
  readonly after: number | undefined;
  readonly before: number | undefined;
}

/** A filter the list cannot apply: the page shows why. */
export class InvalidFilterError extends Error {
  override readonly name = 'Invalid filter';
}

const DATETIME_LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/;

/** A `datetime-local` value (`2026-01-31T09:30`, seconds optional) as UTC epoch ms. */
export function parseUtcDateTime(text: string, label: string): number {
  const m = DATETIME_LOCAL.exec(text);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0), Number((m[7] ?? '0').padEnd(3, '0'))) : NaN;
  // Date.UTC rolls 2026-02-30 over to March: refuse what does not read back the same.
  if (!m || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 16) !== text.slice(0, 16)) {
    throw new InvalidFilterError(`${label}: '${text}' is not a date and time like 2026-01-31T09:30 (UTC).`);
  }
  return ms;
}

export function timeWindowOf(f: ExecutionFilter): TimeWindow | undefined {
  const after = f.startedAfter ? parseUtcDateTime(f.startedAfter, 'Started after') : undefined;
  const before = f.startedBefore ? parseUtcDateTime(f.startedBefore, 'Started before') : undefined;
  if (after === undefined && before === undefined) return undefined;
  if (after !== undefined && before !== undefined && after >= before) throw new InvalidFilterError('"Started after" must be earlier than "Started before".');
  return { after, before };
}

export async function listExecutions(deps: ConsoleDeps, machineArn: string, machineName: string, f: ExecutionFilter): Promise<ExecutionPage> {
  const statusFilter = f.status;
  const window = timeWindowOf(f);
  const inWindow = (e: ExecutionRecord) => window === undefined || ((window.after === undefined || e.startTime >= window.after) && (window.before === undefined || e.startTime < window.before));
  const start = f.nextToken;
  // The service reads the time window from the store's order (newest first): bounded reads only.
  const list = (maxResults: number, nextToken: string | undefined) =>
    deps.queries.listExecutions({
      stateMachineArn: machineArn,
      maxResults,
      ...(statusFilter ? { statusFilter } : {}),
      ...(nextToken ? { nextToken } : {}),
      ...(window?.after !== undefined && { startedAfter: window.after }),
      ...(window?.before !== undefined && { startedBefore: window.before }),
    });
  if (!f.search) {
    const r = await list(EXECUTIONS_PAGE, start);
    return { executions: r.executions, nextToken: r.nextToken, scanned: undefined, window };
  }
  const needle = f.search.toLowerCase();
  const found: ExecutionRecord[] = [];
  const seen = new Set<string>();
  // The exact name first: one lookup, however old the execution is.
  if (!f.nextToken && nameProblem(f.search) === undefined) {
    const arn = `arn:aws:states:${deps.stateMachines.region}:${deps.stateMachines.account}:execution:${machineName}:${f.search}`;
    const exact = await deps.queries.execution(arn).catch(() => undefined);
    if (exact && (!statusFilter || exact.status === statusFilter) && inWindow(exact)) {
      found.push(exact);
      seen.add(exact.executionArn);
    }
  }
  let token = start;
  let scanned = 0;
  do {
    const r = await list(SCAN_PAGE, token);
    token = r.nextToken;
    for (const e of r.executions) {
      scanned++;
      if (!seen.has(e.executionArn) && e.name.toLowerCase().includes(needle)) found.push(e);
    }
  } while (token && scanned < SEARCH_SCAN && found.length < EXECUTIONS_PAGE);
  return { executions: found, nextToken: token, scanned, window };
}

export function executionsTable(base: string, page: ExecutionPage, now: number): Html {
  const l = links(base);
  if (page.executions.length === 0) return html`<p class="muted" data-no-executions>No executions${page.window ? ' started in this time window' : ''}${page.scanned !== undefined ? ` match among the ${page.scanned} looked at` : ''}.</p>`;
  return html`<table class="executions">
<thead><tr><th>Name</th><th>Status</th><th>Started</th><th>Ended</th><th>Duration</th></tr></thead>
<tbody>${page.executions.map(
    (e) => html`<tr data-execution="${e.name}" data-status="${e.status}">
<td><a href="${l.execution(e.executionArn)}">${e.name}</a>${e.redriveCount > 0 ? html` <span class="small muted">redriven ×${e.redriveCount}</span>` : ''}</td>
<td>${statusBadge(e.status)}</td>
<td class="nowrap">${timeElement(e.startTime)}</td>
<td class="nowrap">${timeElement(e.stopTime)}</td>
<td class="nowrap">${formatDuration((e.stopTime ?? now) - e.startTime)}</td>
</tr>`,
  )}</tbody>
</table>${page.scanned !== undefined ? html`<p class="small muted">Searched the ${page.scanned} most recent executions${page.window ? ' of the time window' : ''}${page.nextToken ? ' (older ones: next page)' : ''}.</p>` : ''}`;
}
