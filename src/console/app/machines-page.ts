/**
 * `/`: the state machines, a page at a time, each with what its most recent executions did
 * (one bounded ListExecutions per machine, never a count over all of them) and when a schedule
 * runs it next.
 */
import type { StateMachine } from '../../service/state-machines.js';
import type { ConsoleDeps, ExecutionRecord } from './deps.js';
import { formatTime, statusBadge, timeElement } from './format.js';
import { html, type Html } from './html.js';
import { layout, links, type PageContext } from './layout.js';

/** Machines per page. */
export const MACHINES_PAGE = 50;
/** How many of a machine's latest executions its row sums up. */
export const RECENT_EXECUTIONS = 25;

interface Row {
  readonly machine: StateMachine;
  readonly recent: readonly ExecutionRecord[] | undefined;
  readonly nextRun: string | undefined;
}

export async function machinesPage(deps: ConsoleDeps, ctx: PageContext, nextToken: string | undefined): Promise<string> {
  const page = await deps.stateMachines.list({ maxResults: MACHINES_PAGE, ...(nextToken ? { nextToken } : {}) });
  const rows = await Promise.all(page.stateMachines.map((m) => rowOf(deps, m)));
  const l = links(ctx.base);
  const body = html`<h1>State machines</h1>
<div class="panel">
<h2>State machines (${rows.length}${page.nextToken ? '+' : ''})</h2>
${rows.length === 0
  ? html`<p class="muted" data-empty>No state machines yet. Create one with <code>aws stepfunctions create-state-machine --endpoint-url …</code> or in stepwise.yaml.</p>`
  : html`<table class="machines">
<thead><tr><th>Name</th><th>Type</th><th>Latest executions</th><th>Last execution</th><th>Next scheduled run</th><th>Created</th></tr></thead>
<tbody>${rows.map((r) => machineRow(ctx, r))}</tbody>
</table>`}
<div class="pager">${nextToken ? html`<a href="${l.home}">First page</a>` : ''}${page.nextToken ? html`<a href="${l.home}?next=${encodeURIComponent(page.nextToken)}" data-next-page>Next page →</a>` : ''}</div>
</div>`;
  return layout(ctx, 'State machines', body);
}

async function rowOf(deps: ConsoleDeps, machine: StateMachine): Promise<Row> {
  const [recent, nextRun] = await Promise.all([
    // Express executions are not kept (as on AWS): there is nothing to list.
    machine.type === 'EXPRESS' ? Promise.resolve(undefined) : deps.queries.listExecutions({ stateMachineArn: machine.stateMachineArn, maxResults: RECENT_EXECUTIONS }).then((r) => r.executions),
    deps.nextRunFor ? deps.nextRunFor(machine.stateMachineArn).catch(() => undefined) : Promise.resolve(undefined),
  ]);
  return { machine, recent, nextRun };
}

const ORDER = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'];

function machineRow(ctx: PageContext, row: Row): Html {
  const m = row.machine;
  const l = links(ctx.base);
  const last = row.recent?.[0];
  return html`<tr data-machine="${m.name}">
<td><a href="${l.machine(m.name)}">${m.name}</a></td>
<td>${m.type === 'EXPRESS' ? 'Express' : 'Standard'}</td>
<td class="counts">${recentCounts(row.recent)}</td>
<td>${last ? html`${statusBadge(last.status)} <a href="${l.execution(last.executionArn)}">${last.name}</a><div class="small muted">${formatTime(last.startTime)}</div>` : html`<span class="muted">—</span>`}</td>
<td>${nextRunCell(row.nextRun)}</td>
<td class="nowrap">${timeElement(m.creationDate)}</td>
</tr>`;
}

function recentCounts(recent: readonly ExecutionRecord[] | undefined): Html {
  if (recent === undefined) return html`<span class="muted" title="Express executions are not kept; see the logs">not kept (Express)</span>`;
  if (recent.length === 0) return html`<span class="muted">none yet</span>`;
  const counts = new Map<string, number>();
  for (const e of recent) counts.set(e.status, (counts.get(e.status) ?? 0) + 1);
  const parts = ORDER.filter((s) => counts.has(s)).map((s) => html`<span class="badge vs-${badgeClass(s)}" data-count="${s}">${counts.get(s) ?? 0} ${s.toLowerCase().replace('_', ' ')}</span>`);
  return html`${parts}<div class="small muted">of the latest ${recent.length}</div>`;
}

function badgeClass(status: string): string {
  return status === 'SUCCEEDED' ? 'succeeded' : status === 'RUNNING' ? 'running' : status === 'ABORTED' ? 'aborted' : 'failed';
}

export function nextRunCell(next: string | undefined): Html {
  if (next === undefined) return html`<span class="muted">—</span>`;
  const t = Date.parse(next);
  return Number.isNaN(t) ? html`<span data-next-run>${next}</span>` : html`<time data-next-run datetime="${new Date(t).toISOString()}">${formatTime(t)}</time>`;
}
