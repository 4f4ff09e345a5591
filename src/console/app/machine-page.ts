/**
 * `/machines/<name>`: a state machine — its diagram, definition, role, logging, versions and
 * aliases, schedules, next scheduled run — with a form to start an execution, its executions
 * (status filter, name search, time window, pages) and a Cost panel its script fills in (the
 * estimate reads histories: it must not hold up the page).
 */
import { stateMachineArn } from '../../service/arns.js';
import type { StateMachine } from '../../service/state-machines.js';
import type { ConsoleDeps, ConsoleSchedule } from './deps.js';
import { diagramPanel } from './diagram-view.js';
import { executionsTable, listExecutions, STATUS_FILTERS, type ExecutionFilter, type ExecutionPage } from './executions-list.js';
import { formatTime, prettyPayload, timeElement } from './format.js';
import { html, type Html } from './html.js';
import { csrfField, layout, links, type PageContext } from './layout.js';
import { COST_SAMPLE, costFragment, type MachineCost } from './machine-cost.js';
import { nextRunCell } from './machines-page.js';
import { FIRE_TIMES_SHOWN, schedulesPanel } from './schedules-view.js';

/** What the start form shows again after a refusal, and the notice of an Express start. */
export interface StartFormState {
  readonly error?: string;
  readonly notice?: string;
  readonly name?: string;
  readonly input?: string;
  readonly qualifier?: string;
}

interface Qualifiers {
  readonly versions: { arn: string; creationDate: number; description?: string | undefined }[];
  readonly aliases: { arn: string; name: string; description?: string | undefined; routing: { stateMachineVersionArn: string; weight: number }[] }[];
}

const QUALIFIERS_SHOWN = 25;

export function machineArnOf(deps: ConsoleDeps, name: string): string {
  return stateMachineArn(deps.stateMachines.region, deps.stateMachines.account, name);
}

export async function machinePage(deps: ConsoleDeps, ctx: PageContext, name: string, filter: ExecutionFilter, form: StartFormState = {}): Promise<string> {
  const arn = machineArnOf(deps, name);
  const machine = (await deps.stateMachines.describe(arn)) as StateMachine;
  const [qualifiers, nextRun, schedules, listing] = await Promise.all([
    qualifiersOf(deps, arn),
    deps.nextRunFor ? deps.nextRunFor(arn).catch(() => undefined) : Promise.resolve(undefined),
    deps.schedulesFor ? deps.schedulesFor(arn, { next: FIRE_TIMES_SHOWN }).catch((err: unknown): readonly ConsoleSchedule[] | Error => (err instanceof Error ? err : new Error(String(err)))) : Promise.resolve(undefined),
    machine.type === 'EXPRESS'
      ? Promise.resolve(undefined)
      : listExecutions(deps, arn, name, filter).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err)))),
  ]);
  const l = links(ctx.base);
  const body = html`<h1 data-machine-name>${machine.name}</h1>
${form.notice ? html`<div class="alert info" data-notice>${form.notice}</div>` : ''}
${detailsPanel(machine, nextRun)}
<div class="exec-layout">
${diagramPanel(machine.definition)}
${startPanel(ctx, machine, qualifiers, form)}
</div>
${executionsPanel(ctx, machine, filter, listing, deps.executions.now())}
${schedulesPanel(schedules, machine.stateMachineArn)}
${costPanel(ctx, machine.name)}
<div class="panel"><h2>Definition</h2><pre class="json definition" data-definition>${prettyPayload(machine.definition).text}</pre></div>
${qualifiersPanel(qualifiers)}`;
  return layout(ctx, machine.name, body, html`<a href="${l.home}">State machines</a> › ${machine.name}`);
}

/** The Cost panel: filled in by the page's script from the JSON endpoint, or on its own page without a script. */
function costPanel(ctx: PageContext, name: string, cost?: MachineCost): Html {
  const l = links(ctx.base);
  return html`<div class="panel" id="cost"${cost ? '' : html` data-cost-url="${l.machineCostApi(name)}"`}><h2>Cost</h2><div id="sw-cost">${cost
    ? costFragment(cost)
    : html`<p class="muted" data-cost-loading>Counting the billed state transitions of the latest ${COST_SAMPLE} closed executions…</p><noscript><a href="${l.machineCost(name)}">Estimate the cost</a></noscript>`}</div></div>`;
}

/** `/machines/<name>/cost`: the Cost panel on its own page (for a browser without the script). */
export function machineCostPage(ctx: PageContext, name: string, cost: MachineCost): string {
  const l = links(ctx.base);
  return layout(ctx, `${name}: cost`, html`<h1>${name}: cost</h1>${costPanel(ctx, name, cost)}`, html`<a href="${l.home}">State machines</a> › <a href="${l.machine(name)}">${name}</a> › Cost`);
}

async function qualifiersOf(deps: ConsoleDeps, arn: string): Promise<Qualifiers> {
  const v = deps.stateMachines.versions;
  const [versions, aliases] = await Promise.all([v.listVersions({ stateMachineArn: arn, maxResults: QUALIFIERS_SHOWN }), v.listAliases({ stateMachineArn: arn, maxResults: QUALIFIERS_SHOWN })]);
  return {
    versions: await Promise.all(
      versions.versions.map(async (x) => ({ arn: x.stateMachineVersionArn, creationDate: x.creationDate, description: (await v.describeVersion(x.stateMachineVersionArn).catch(() => undefined))?.description })),
    ),
    aliases: await Promise.all(
      aliases.aliases.map(async (a) => {
        const d = await v.describeAlias(a.stateMachineAliasArn).catch(() => undefined);
        return { arn: a.stateMachineAliasArn, name: d?.name ?? a.stateMachineAliasArn.split(':').pop() ?? '', description: d?.description, routing: d?.routingConfiguration ?? [] };
      }),
    ),
  };
}

function field(label: string, value: Html | string, attr = ''): Html {
  return html`<div class="field"${attr ? html` data-field="${attr}"` : ''}><div class="label">${label}</div><div class="value">${value}</div></div>`;
}

function detailsPanel(m: StateMachine, nextRun: string | undefined): Html {
  const log = m.loggingConfiguration;
  const destination = log.destinations?.[0]?.cloudWatchLogsLogGroup?.logGroupArn;
  return html`<div class="panel"><h2>Details</h2><div class="grid">
${field('ARN', html`<span class="mono">${m.stateMachineArn}</span>`, 'arn')}
${field('Type', m.type === 'EXPRESS' ? 'Express' : 'Standard', 'type')}
${field('IAM role', html`<span class="mono">${m.roleArn}</span>`, 'role')}
${field('Logging', html`Level ${log.level}${log.level !== 'OFF' ? `, execution data ${log.includeExecutionData ? 'included' : 'not included'}` : ''}${destination ? html`<div class="small mono">${destination}</div>` : ''}`, 'logging')}
${field('Tracing (X-Ray)', m.tracingConfiguration.enabled ? 'Enabled' : 'Disabled')}
${field('Created', timeElement(m.creationDate))}
${field('Updated', timeElement(m.updateDate))}
${field('Revision', html`<span class="mono small">${m.revisionId}</span>`)}
${field('Next scheduled run', nextRunCell(nextRun), 'next-run')}
</div></div>`;
}

function startPanel(ctx: PageContext, m: StateMachine, q: Qualifiers, form: StartFormState): Html {
  const l = links(ctx.base);
  const chosen = form.qualifier ?? '';
  const option = (value: string, label: string) => html`<option value="${value}"${value === chosen ? ' selected' : ''}>${label}</option>`;
  return html`<div class="panel">
<h2>Start execution</h2>
${form.error ? html`<div class="alert error" data-start-error><div class="title">The execution was not started</div><pre>${form.error}</pre></div>` : ''}
<form method="post" action="${l.start}" class="stack" data-validate-json data-start-form>
${csrfField(ctx)}
<input type="hidden" name="stateMachineArn" value="${m.stateMachineArn}">
<label for="start-name">Name <span class="muted small">(optional; a UUID when empty)</span></label>
<input type="text" id="start-name" name="name" maxlength="80" value="${form.name ?? ''}" autocomplete="off">
${q.versions.length || q.aliases.length
  ? html`<label for="start-qualifier">Run</label><select id="start-qualifier" name="qualifier">${option('', 'Latest revision')}${q.aliases.map((a) => option(a.arn, `Alias ${a.name}`))}${q.versions.map((v) => option(v.arn, `Version ${v.arn.split(':').pop() ?? ''}`))}</select>`
  : ''}
<label for="start-input">Input <span class="muted small">(JSON)</span></label>
<textarea id="start-input" name="input" spellcheck="false">${form.input ?? '{}'}</textarea>
<div class="json-error" role="alert"></div>
<div class="actions"><button type="submit" class="primary" data-start>Start execution</button><button type="button" data-format-json>Format JSON</button></div>
</form>
</div>`;
}

function executionsPanel(ctx: PageContext, m: StateMachine, f: ExecutionFilter, listing: ExecutionPage | Error | undefined, now: number): Html {
  const l = links(ctx.base);
  if (listing === undefined) {
    return html`<div class="panel"><h2>Executions</h2><p class="muted">Express executions are not kept (as on AWS): their history goes to the logs.</p></div>`;
  }
  const self = l.machine(m.name);
  const query = (extra: Record<string, string | undefined>) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries({ status: f.status, q: f.search, startedAfter: f.startedAfter, startedBefore: f.startedBefore, ...extra })) if (v) p.set(k, v);
    const s = p.toString();
    return s ? `${self}?${s}#executions` : `${self}#executions`;
  };
  return html`<div class="panel" id="executions">
<h2>Executions</h2>
<form method="get" action="${self}" class="inline" data-filter-form>
<label>Status<select name="status"><option value="">Any</option>${STATUS_FILTERS.map((s) => html`<option value="${s}"${f.status === s ? ' selected' : ''}>${s.replace('_', ' ')}</option>`)}</select></label>
<label>Name<input type="search" name="q" value="${f.search ?? ''}" placeholder="Search by name" maxlength="80"></label>
<label for="started-after">Started after (UTC)<input type="datetime-local" id="started-after" name="startedAfter" step="1" value="${f.startedAfter ?? ''}"></label>
<label for="started-before">Started before (UTC)<input type="datetime-local" id="started-before" name="startedBefore" step="1" value="${f.startedBefore ?? ''}"></label>
<button type="submit">Filter</button>${f.status || f.search || f.startedAfter || f.startedBefore ? html`<a href="${self}#executions">Clear</a>` : ''}
</form>
<p class="small muted">Times are UTC, as the console shows them: started at or after “Started after”, and before “Started before”.</p>
${listing instanceof Error
  ? html`<div class="alert error" data-list-error><div class="title">${listing.name}</div><pre>${listing.message}</pre></div>`
  : html`${executionsTable(ctx.base, listing, now)}
<div class="pager">${f.nextToken ? html`<a href="${query({})}">First page</a>` : ''}${listing.nextToken ? html`<a href="${query({ next: listing.nextToken })}" data-next-page>${f.search ? 'Search older executions →' : 'Next page →'}</a>` : ''}</div>`}
</div>`;
}

function qualifiersPanel(q: Qualifiers): Html {
  return html`<div class="panel"><h2>Versions and aliases</h2>
<h3>Versions</h3>
${q.versions.length
  ? html`<table data-versions><thead><tr><th>Version</th><th>Description</th><th>Created</th></tr></thead><tbody>${q.versions.map(
      (v) => html`<tr><td class="mono">${v.arn.split(':').pop()}</td><td>${v.description ?? ''}</td><td>${formatTime(v.creationDate)}</td></tr>`,
    )}</tbody></table>`
  : html`<p class="muted">No published versions.</p>`}
<h3>Aliases</h3>
${q.aliases.length
  ? html`<table data-aliases><thead><tr><th>Alias</th><th>Description</th><th>Routing</th></tr></thead><tbody>${q.aliases.map(
      (a) => html`<tr><td class="mono">${a.name}</td><td>${a.description ?? ''}</td><td>${a.routing.map((r) => html`<div>version ${r.stateMachineVersionArn.split(':').pop()}: ${r.weight}%</div>`)}</td></tr>`,
    )}</tbody></table>`
  : html`<p class="muted">No aliases.</p>`}
</div>`;
}
