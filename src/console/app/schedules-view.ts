/**
 * A machine's schedules: the rules that start it (or one of its versions or aliases), with their
 * expression or event pattern, state, catch-up and overlap policies and next fire times.
 */
import type { ConsoleSchedule } from './deps.js';
import { formatDuration, timeElement } from './format.js';
import { html, type Html } from './html.js';

/** Next fire times the machine's page shows per rule. */
export const FIRE_TIMES_SHOWN = 3;

const STATE_BADGE: Record<ConsoleSchedule['state'], string> = { ENABLED: 'succeeded', DISABLED: 'notReached', PAUSED: 'retried' };

export function schedulesPanel(schedules: readonly ConsoleSchedule[] | Error | undefined, machineArn: string): Html {
  return html`<div class="panel" id="schedules"><h2>Schedules</h2>${schedulesBody(schedules, machineArn)}</div>`;
}

function schedulesBody(schedules: readonly ConsoleSchedule[] | Error | undefined, machineArn: string): Html {
  if (schedules === undefined) return html`<p class="muted">This server does not report schedules.</p>`;
  if (schedules instanceof Error) return html`<div class="alert error" data-schedules-error><div class="title">The schedules could not be read</div><pre>${schedules.message}</pre></div>`;
  if (schedules.length === 0) return html`<p class="muted" data-no-schedules>No rule targets this state machine, its versions or its aliases.</p>`;
  return html`<table data-schedules>
<thead><tr><th>Rule</th><th>Schedule or event pattern</th><th>State</th><th>Catch-up</th><th>Overlap</th><th>Next fire times</th></tr></thead>
<tbody>${schedules.map((s) => scheduleRow(s, machineArn))}</tbody>
</table>
<p class="small muted">Next fire times are planned even for a disabled or paused rule; it fires again once enabled or resumed.</p>`;
}

function scheduleRow(s: ConsoleSchedule, machineArn: string): Html {
  const qualified = s.targets.filter((t) => t !== machineArn).map((t) => t.slice(machineArn.length + 1));
  return html`<tr data-schedule="${s.name}">
<td><span class="mono">${s.name}</span>${s.description ? html`<div class="small muted">${s.description}</div>` : ''}${qualified.length ? html`<div class="small muted" data-schedule-qualifiers>starts ${qualified.map((q, i) => html`${i ? ', ' : ''}<span class="mono">${q}</span>`)}</div>` : ''}</td>
<td>${s.scheduleExpression ? html`<code data-schedule-expression>${s.scheduleExpression}</code>${s.timeZone ? html` <span class="small muted">(${s.timeZone})</span>` : ''}` : ''}${s.eventPattern ? html`<pre class="json pattern" data-event-pattern>${s.eventPattern}</pre>` : ''}</td>
<td><span class="badge vs-${STATE_BADGE[s.state]}" data-schedule-state="${s.state}">${s.state}</span></td>
<td data-catch-up="${s.catchUp.policy}">${catchUpText(s)}</td>
<td data-overlap="${s.overlap}">${s.overlap === 'skip' ? 'skip while its previous execution runs' : 'allow'}</td>
<td>${s.nextFireTimes.length
  ? html`<ol class="fire-times">${s.nextFireTimes.map((t) => html`<li data-fire-time>${timeElement(t)}</li>`)}</ol>`
  : html`<span class="muted">${s.scheduleExpression ? 'none to come' : 'on matching events'}</span>`}</td>
</tr>`;
}

function catchUpText(s: ConsoleSchedule): string {
  const { policy, windowMs } = s.catchUp;
  if (policy === 'skip') return 'skip missed ticks';
  const within = windowMs === undefined ? 'within the default window' : `within ${formatDuration(windowMs)}`;
  return `${policy === 'latest' ? 'run the latest missed tick' : 'run every missed tick'}, ${within}`;
}
