/**
 * `/executions/<arn>`: an execution — status, times, the diagram coloured by what happened, a
 * timeline of its states, the event history in AWS's shapes, each state's input and output on
 * click, the error and cause of a failure, logs, Stop and Redrive — and the JSON a running
 * execution's page polls to refresh the parts that change.
 */
import { STATUS_LABEL } from '../diagram/index.js';
import type { ConsoleDeps, ConsoleLogEntry } from './deps.js';
import { diagramMarkup, diagramPanel } from './diagram-view.js';
import { formatDuration, formatTime, payloadBlock, prettyPayload, stateStatusBadge, statusBadge, timeElement } from './format.js';
import { html, jsonScript, type Html } from './html.js';
import { csrfField, layout, links, type PageContext } from './layout.js';
import { lastEventId, loadExecution, type ExecutionView } from './execution-view.js';
import type { StateVisit } from './timeline.js';
import { toWireEvent, wireDetails } from './wire.js';

/** Rows of the event history and of the timeline a page shows at most. */
export const HISTORY_ROWS_SHOWN = 1000;
export const TIMELINE_ROWS_SHOWN = 1000;
const LOG_ENTRIES_SHOWN = 500;

export async function executionPage(deps: ConsoleDeps, ctx: PageContext, executionArn: string, actionError?: string): Promise<string> {
  const [view, logs] = await Promise.all([loadExecution(deps, executionArn), deps.logsFor ? deps.logsFor(executionArn).catch((err: unknown) => err as Error) : Promise.resolve(undefined)]);
  const { rec } = view;
  const l = links(ctx.base);
  const machineName = rec.stateMachineArn.split(':')[6] ?? rec.stateMachineArn;
  const running = rec.status === 'RUNNING';
  const last = view.events.at(-1)?.id ?? 0;
  const body = html`<div id="sw-execution"${running ? html` data-poll-url="${l.executionApi(rec.executionArn)}"` : ''} data-last-event="${last}" data-status="${rec.status}">
<h1><span data-execution-name>${rec.name}</span> <span id="sw-status">${statusBadge(rec.status)}</span> <span id="sw-live" class="live">${running ? '● Live' : ''}</span></h1>
${actionError ? html`<div class="alert error" data-action-error><div class="title">The action failed</div><pre>${actionError}</pre></div>` : ''}
<div id="sw-actions" class="actions">${actionsFragment(ctx, view)}</div>
<div id="sw-failure">${failureFragment(view)}</div>
<div class="panel"><h2>Details</h2><div id="sw-summary">${summaryFragment(ctx, view)}</div></div>
<div class="exec-layout">
${diagramPanel(rec.definition, view.summary?.states ?? {})}
<div class="panel state-panel" id="sw-state-panel"><h2>State details</h2><p class="empty">Select a state on the diagram or in the timeline to see its input and output.</p></div>
</div>
<div class="panel"><h2>Timeline</h2><div id="sw-timeline">${timelineFragment(view)}</div></div>
<div class="panel"><h2>Execution input and output</h2><div id="sw-output">${ioFragment(view)}</div></div>
<div class="panel"><h2>Event history (<span id="sw-history-count">${view.events.length}</span> events)</h2>
<table class="history" data-history><thead><tr><th>ID</th><th>Type</th><th>State</th><th>Elapsed</th><th>Details</th></tr></thead>
<tbody id="sw-history-rows">${historyRows(view, 0)}</tbody></table>
${view.events.length > HISTORY_ROWS_SHOWN ? html`<p class="small muted">The first ${HISTORY_ROWS_SHOWN} events are shown; GetExecutionHistory returns all ${view.events.length}.</p>` : ''}
</div>
${logs !== undefined ? logsPanel(logs) : ''}
${jsonScript('sw-visits', visitsData(view))}
</div>`;
  return layout(ctx, `${rec.name} (${rec.status})`, body, html`<a href="${l.home}">State machines</a> › <a href="${l.machine(machineName)}">${machineName}</a> › ${rec.name}`);
}

/** What the page's script asks every ~1.5 s while the execution runs. */
export interface PollAnswer {
  readonly unchanged?: true;
  readonly done: boolean;
  readonly status: string;
  readonly lastEventId: number;
  readonly fragments?: Record<string, string>;
  readonly diagram?: string;
  readonly historyRows?: string;
  readonly historyCount?: number;
  readonly visits?: VisitData[];
}

/**
 * Cheap when nothing happened (the execution and its latest event id: two small reads); else
 * the parts that change, and the history rows after `after`.
 */
export async function pollAnswer(deps: ConsoleDeps, ctx: PageContext, executionArn: string, after: number, knownStatus: string | undefined): Promise<PollAnswer> {
  if (knownStatus !== undefined) {
    const [rec, last] = await Promise.all([deps.queries.execution(executionArn), lastEventId(deps, executionArn)]);
    if (last === after && rec.status === knownStatus) return { unchanged: true, done: rec.status !== 'RUNNING', status: rec.status, lastEventId: last };
  }
  return answerOf(ctx, await loadExecution(deps, executionArn), after);
}

export function answerOf(ctx: PageContext, view: ExecutionView, after: number): PollAnswer {
  const { rec } = view;
  return {
    done: rec.status !== 'RUNNING',
    status: rec.status,
    lastEventId: view.events.at(-1)?.id ?? 0,
    fragments: {
      'sw-status': statusBadge(rec.status).value,
      'sw-actions': actionsFragment(ctx, view).value,
      'sw-failure': failureFragment(view).value,
      'sw-summary': summaryFragment(ctx, view).value,
      'sw-timeline': timelineFragment(view).value,
      'sw-output': ioFragment(view).value,
    },
    diagram: diagramMarkup(rec.definition, view.summary?.states ?? {}).value,
    historyRows: historyRows(view, after).value,
    historyCount: view.events.length,
    visits: visitsData(view),
  };
}

function field(label: string, value: Html | string, attr = ''): Html {
  return html`<div class="field"${attr ? html` data-field="${attr}"` : ''}><div class="label">${label}</div><div class="value">${value}</div></div>`;
}

function summaryFragment(ctx: PageContext, view: ExecutionView): Html {
  const { rec } = view;
  const l = links(ctx.base);
  const machineName = rec.stateMachineArn.split(':')[6] ?? rec.stateMachineArn;
  return html`<div class="grid">
${field('Status', statusBadge(rec.status), 'status')}
${field('Execution ARN', html`<span class="mono">${rec.executionArn}</span>`, 'arn')}
${field('State machine', html`<a href="${l.machine(machineName)}">${machineName}</a>${rec.stateMachineVersionArn ? html`<div class="small">version ${rec.stateMachineVersionArn.split(':').pop()}</div>` : ''}${rec.stateMachineAliasArn ? html`<div class="small">alias ${rec.stateMachineAliasArn.split(':').pop()}</div>` : ''}`)}
${field('Started', timeElement(rec.startTime), 'started')}
${field('Ended', timeElement(rec.stopTime), 'ended')}
${field('Duration', `${formatDuration((rec.stopTime ?? view.now) - rec.startTime)}${rec.stopTime === undefined ? ' so far' : ''}`, 'duration')}
${field('Redrives', rec.redriveCount > 0 ? html`${rec.redriveCount}, last ${formatTime(rec.redriveDate)}` : '0')}
${field('Events', String(view.events.length))}
</div>`;
}

function actionsFragment(ctx: PageContext, view: ExecutionView): Html {
  const { rec } = view;
  const l = links(ctx.base);
  const hidden = html`${csrfField(ctx)}<input type="hidden" name="executionArn" value="${rec.executionArn}">`;
  const parts: Html[] = [];
  if (rec.status === 'RUNNING') {
    parts.push(html`<form method="post" action="${l.stop}" data-confirm="Stop this execution? It ends as ABORTED.">${hidden}<button type="submit" class="danger" data-stop>Stop execution</button></form>`);
  }
  if (view.redrive.status === 'REDRIVABLE') {
    parts.push(html`<form method="post" action="${l.redrive}">${hidden}<button type="submit" class="primary" data-redrive>Redrive</button></form>`);
  } else if (rec.status !== 'RUNNING' && rec.status !== 'SUCCEEDED') {
    parts.push(html`<span class="small muted" data-redrive-reason>Cannot be redriven: ${view.redrive.reason}</span>`);
  }
  const machineName = rec.stateMachineArn.split(':')[6] ?? '';
  parts.push(html`<a class="button" href="${l.machine(machineName)}">New execution</a>`);
  return html`${parts}`;
}

function failureFragment(view: ExecutionView): Html {
  const { rec } = view;
  if (rec.error === undefined && rec.cause === undefined) return html``;
  const state = view.summary?.failedState;
  return html`<div class="alert error" data-failure>
<div class="title">${rec.status === 'ABORTED' ? 'Aborted' : rec.status === 'TIMED_OUT' ? 'Timed out' : 'Failed'}${state ? html` in state <span data-failed-state>${state}</span>` : ''}</div>
<div>Error: <span class="mono" data-error>${rec.error ?? '—'}</span></div>
${rec.cause !== undefined ? html`<div>Cause:</div><pre data-cause>${prettyPayload(rec.cause).text}</pre>` : ''}
</div>`;
}

function ioFragment(view: ExecutionView): Html {
  const { rec } = view;
  return html`<div class="grid">
<div><h3>Input</h3>${payloadBlock(rec.input, 'json execution-input')}</div>
<div><h3>Output</h3>${rec.output !== undefined ? payloadBlock(rec.output, 'json execution-output') : html`<p class="muted">${rec.status === 'RUNNING' ? 'Not yet.' : 'None: the execution did not succeed.'}</p>`}</div>
</div>`;
}

function timelineFragment(view: ExecutionView): Html {
  const visits = view.timeline.visits;
  if (visits.length === 0) return html`<p class="muted">No state entered yet.</p>`;
  const start = view.rec.startTime;
  const span = Math.max(1, (view.rec.stopTime ?? view.now) - start);
  const rows = visits.slice(0, TIMELINE_ROWS_SHOWN).map((v) => {
    const end = v.exitedAt ?? (v.status === 'running' ? view.now : (view.rec.stopTime ?? view.now));
    const x = Math.min(1000, ((v.enteredAt - start) / span) * 1000);
    const w = Math.max(3, Math.min(1000 - x, ((end - v.enteredAt) / span) * 1000));
    return html`<tr class="clickable" data-visit="${v.index}" data-state-name="${v.name}" data-visit-status="${v.status}">
<td class="indent-${Math.min(v.depth, 4)}">${v.name}${v.iteration !== undefined ? html` <span class="small muted">#${v.iteration}</span>` : ''}</td>
<td>${v.type}</td>
<td>${stateStatusBadge(v.status)}</td>
<td class="nowrap">+${formatDuration(v.enteredAt - start)}</td>
<td class="nowrap">${formatDuration(end - v.enteredAt)}${v.exitedAt === undefined && v.status === 'running' ? ' so far' : ''}</td>
<td class="nowrap" data-retries="${Math.max(0, v.attempts - 1)}">${v.attempts > 1 ? `${v.attempts - 1} ${v.attempts === 2 ? 'retry' : 'retries'}` : v.attempts === 1 ? '—' : ''}</td>
<td><svg class="bar" viewBox="0 0 1000 12" preserveAspectRatio="none" aria-hidden="true"><rect class="vs-${v.status}" x="${x.toFixed(1)}" y="0" width="${w.toFixed(1)}" height="12"/></svg></td>
</tr>`;
  });
  return html`<table class="timeline" data-timeline><thead><tr><th>State</th><th>Type</th><th>Status</th><th>Started</th><th>Duration</th><th>Retries</th><th class="nowrap">Timeline</th></tr></thead><tbody>${rows}</tbody></table>
${visits.length > TIMELINE_ROWS_SHOWN ? html`<p class="small muted">The first ${TIMELINE_ROWS_SHOWN} of ${visits.length} state visits are shown.</p>` : ''}`;
}

function historyRows(view: ExecutionView, after: number): Html {
  const start = view.rec.startTime;
  const rows: Html[] = [];
  for (const [n, e] of view.events.entries()) {
    if (n >= HISTORY_ROWS_SHOWN) break;
    if (e.id <= after) continue;
    const wire = toWireEvent(e);
    const d = wireDetails(wire);
    const visit = view.timeline.visitOfEvent.get(e.id);
    const state = visit !== undefined ? view.timeline.visits[visit]?.name : undefined;
    rows.push(html`<tr data-event-id="${e.id}" data-event-type="${e.type}">
<td>${e.id}</td>
<td class="nowrap">${e.type}</td>
<td>${state ?? ''}</td>
<td class="nowrap" title="${formatTime(e.timestamp)}">+${formatDuration(e.timestamp - start)}</td>
<td class="details">${d ? eventDetails(d) : ''}</td>
</tr>`);
  }
  return html`${rows}`;
}

const PAYLOAD_FIELDS = ['input', 'output', 'parameters'];

function eventDetails(d: Record<string, unknown>): Html {
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(d)) if (!PAYLOAD_FIELDS.includes(k) && !k.endsWith('Details')) rest[k] = v;
  const present = PAYLOAD_FIELDS.filter((k) => d[k] !== undefined);
  const error = typeof d['error'] === 'string' ? d['error'] : undefined;
  const label = [error ? `error ${error}` : '', ...present].filter(Boolean).join(' · ') || 'details';
  return html`<details><summary>${label}</summary>
${Object.keys(rest).length ? html`<pre class="json">${prettyPayload(expandJsonText(rest)).text}</pre>` : ''}
${present.map((k) => html`<div class="small muted">${k}</div>${payloadBlock(d[k])}`)}
</details>`;
}

/** A cause that is JSON text (a Lambda error) is shown parsed, for reading. */
function expandJsonText(rest: Record<string, unknown>): Record<string, unknown> {
  const cause = rest['cause'];
  if (typeof cause !== 'string' || !/^\s*[{[]/.test(cause)) return rest;
  try {
    return { ...rest, cause: JSON.parse(cause) as unknown };
  } catch {
    return rest;
  }
}

export interface VisitData {
  readonly i: number;
  readonly name: string;
  readonly type: string;
  readonly status: string;
  readonly statusLabel: string;
  readonly iteration: number | null;
  readonly entered: string;
  readonly duration: string;
  readonly attempts: number;
  readonly error: string | null;
  readonly cause: string | null;
  readonly input: string;
  readonly inputCut: boolean;
  readonly output: string | null;
  readonly outputCut: boolean;
}

function visitsData(view: ExecutionView): VisitData[] {
  return view.timeline.visits.slice(0, TIMELINE_ROWS_SHOWN).map((v: StateVisit) => {
    const input = prettyPayload(v.input);
    const output = v.exitedAt !== undefined ? prettyPayload(v.output) : undefined;
    return {
      i: v.index,
      name: v.name,
      type: v.type,
      status: v.status,
      statusLabel: STATUS_LABEL[v.status],
      iteration: v.iteration ?? null,
      entered: formatTime(v.enteredAt),
      duration: formatDuration((v.exitedAt ?? view.now) - v.enteredAt),
      attempts: v.attempts,
      error: v.error ?? null,
      cause: v.cause !== undefined ? prettyPayload(v.cause).text : null,
      input: input.text,
      inputCut: input.truncated,
      output: output ? output.text : null,
      outputCut: output?.truncated ?? false,
    };
  });
}

function logsPanel(logs: readonly ConsoleLogEntry[] | Error): Html {
  if (logs instanceof Error) return html`<div class="panel"><h2>Logs</h2><div class="alert error"><pre>${logs.message}</pre></div></div>`;
  return html`<div class="panel" data-logs><h2>Logs (${logs.length})</h2>
${logs.length === 0
  ? html`<p class="muted">No log entries (the machine's logging level decides what is logged).</p>`
  : html`<table><thead><tr><th>Time</th><th>Message</th></tr></thead><tbody>${logs.slice(0, LOG_ENTRIES_SHOWN).map(
      (e) => html`<tr><td class="nowrap">${formatTime(e.timestamp)}</td><td>${payloadBlock(e.message)}</td></tr>`,
    )}</tbody></table>${logs.length > LOG_ENTRIES_SHOWN ? html`<p class="small muted">The first ${LOG_ENTRIES_SHOWN} entries are shown.</p>` : ''}`}
</div>`;
}
