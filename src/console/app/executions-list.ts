/**
 * A machine's executions, newest first, a page at a time, optionally of one status, and a search
 * by name: an exact name is one lookup; a part of a name is looked for in the newest executions,
 * a bounded number per request, with a link to search further back.
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
}

export interface ExecutionPage {
  readonly executions: readonly ExecutionRecord[];
  readonly nextToken: string | undefined;
  /** How many executions a search looked at. */
  readonly scanned: number | undefined;
}

export async function listExecutions(deps: ConsoleDeps, machineArn: string, machineName: string, f: ExecutionFilter): Promise<ExecutionPage> {
  const statusFilter = f.status;
  if (!f.search) {
    const r = await deps.queries.listExecutions({ stateMachineArn: machineArn, maxResults: EXECUTIONS_PAGE, ...(statusFilter ? { statusFilter } : {}), ...(f.nextToken ? { nextToken: f.nextToken } : {}) });
    return { executions: r.executions, nextToken: r.nextToken, scanned: undefined };
  }
  const needle = f.search.toLowerCase();
  const found: ExecutionRecord[] = [];
  const seen = new Set<string>();
  // The exact name first: one lookup, however old the execution is.
  if (!f.nextToken && nameProblem(f.search) === undefined) {
    const arn = `arn:aws:states:${deps.stateMachines.region}:${deps.stateMachines.account}:execution:${machineName}:${f.search}`;
    const exact = await deps.queries.execution(arn).catch(() => undefined);
    if (exact && (!statusFilter || exact.status === statusFilter)) {
      found.push(exact);
      seen.add(exact.executionArn);
    }
  }
  let token = f.nextToken;
  let scanned = 0;
  do {
    const r = await deps.queries.listExecutions({ stateMachineArn: machineArn, maxResults: SCAN_PAGE, ...(statusFilter ? { statusFilter } : {}), ...(token ? { nextToken: token } : {}) });
    scanned += r.executions.length;
    for (const e of r.executions) if (!seen.has(e.executionArn) && e.name.toLowerCase().includes(needle)) found.push(e);
    token = r.nextToken;
  } while (token && scanned < SEARCH_SCAN && found.length < EXECUTIONS_PAGE);
  return { executions: found, nextToken: token, scanned };
}

export function executionsTable(base: string, page: ExecutionPage, now: number): Html {
  const l = links(base);
  if (page.executions.length === 0) return html`<p class="muted" data-no-executions>No executions${page.scanned !== undefined ? ` match among the ${page.scanned} looked at` : ''}.</p>`;
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
</table>${page.scanned !== undefined ? html`<p class="small muted">Searched the ${page.scanned} most recent executions${page.nextToken ? ' (older ones: next page)' : ''}.</p>` : ''}`;
}
