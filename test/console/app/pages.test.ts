/**
 * The console's pages over a real server with the InfraMonitoring pipeline: what each page shows
 * (and escapes), the actions (start with input, stop, redrive) with the API's rules, paging and
 * search of executions, and the JSON a running execution's page polls.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleClient, executionPath } from './client.js';
import { KEY, PIPELINE, PIPELINE_STATES, ROLE, startWorld, type World } from './world.js';

const LIVE_PIPELINE = readFileSync(new URL('../../../src/pipeline/infra-monitoring.asl.json', import.meta.url), 'utf8');
const NEXT_RUN = '2026-01-01T13:00:00.000Z';
const TINY = JSON.stringify({ StartAt: 'Only', States: { Only: { Type: 'Pass', End: true } } });

let world: World;
let c: ConsoleClient;
let ok: string;
let failed: string;
const execArn = (machine: string, name: string) => `arn:aws:states:us-east-1:123456789012:execution:${machine}:${name}`;
const machineArn = (name: string) => `arn:aws:states:us-east-1:123456789012:stateMachine:${name}`;

/** The `data-status` of a state in the diagram of a page. */
function diagramStatus(page: string, state: string): string | undefined {
  return new RegExp(`class="sw-state" data-state="${state}"[^>]*data-status="(\\w+)"`).exec(page)?.[1];
}

async function startTiny(name: string, input: unknown = {}): Promise<string> {
  const r = await world.deps.executions.startExecution({ stateMachineArn: machineArn('Tiny'), definition: TINY, roleArn: ROLE, name, input: JSON.stringify(input) });
  return r.executionArn;
}

beforeAll(async () => {
  world = await startWorld({
    requireAuth: true,
    extraDeps: {
      nextRunFor: async (arn) => (arn === machineArn(PIPELINE) ? NEXT_RUN : undefined),
      logsFor: async (arn) => [{ timestamp: Date.UTC(2026, 0, 1), message: JSON.stringify({ type: 'ExecutionStarted', execution_arn: arn, details: { input: '<b>bold</b>' } }) }],
    },
  });
  const sm = world.deps.stateMachines;
  await sm.create({ name: 'Tiny', definition: TINY, roleArn: ROLE });
  await sm.create({ name: 'Quick', definition: TINY, roleArn: ROLE, type: 'EXPRESS' });
  await sm.create({ name: 'LivePipeline', definition: LIVE_PIPELINE, roleArn: ROLE });
  ok = await world.startPipeline('run-ok', { hosts: ['web-1'] });
  failed = await world.startPipeline('fail-run');
  await world.waitForStatus(ok, 'SUCCEEDED');
  await world.waitForStatus(failed, 'FAILED');
  c = new ConsoleClient(world.app);
  expect((await c.signIn(KEY)).status).toBe(303);
});
afterAll(async () => world?.stop());

describe('the state machines page', () => {
  it('lists every machine with its type, latest executions and next scheduled run', async () => {
    const r = await c.get('/console/');
    expect(r.status).toBe(200);
    for (const name of [PIPELINE, 'Tiny', 'Quick', 'LivePipeline']) expect(r.text).toContain(`href="/console/machines/${name}"`);
    const row = /<tr data-machine="InfraMonitoring-Pipeline">[\s\S]*?<\/tr>/.exec(r.text)?.[0] ?? '';
    expect(row).toContain('data-count="SUCCEEDED">1 succeeded');
    expect(row).toContain('data-count="FAILED">1 failed');
    expect(row).toContain(`datetime="${NEXT_RUN}"`);
    const express = /<tr data-machine="Quick">[\s\S]*?<\/tr>/.exec(r.text)?.[0] ?? '';
    expect(express).toContain('Express');
    expect(express).toContain('not kept');
  });
});

describe('a state machine’s page', () => {
  it('draws every state of the pipeline as committed (src/pipeline/infra-monitoring.asl.json)', async () => {
    const r = await c.get('/console/machines/LivePipeline');
    expect(r.status).toBe(200);
    const states = Object.keys((JSON.parse(LIVE_PIPELINE) as { States: Record<string, unknown> }).States);
    expect(states.length).toBeGreaterThan(5);
    for (const s of states) expect(r.text).toContain(`data-state="${s}"`);
  });

  it('shows the diagram, definition, role, logging, next run and executions', async () => {
    const r = await c.get(`/console/machines/${PIPELINE}`);
    for (const s of PIPELINE_STATES) expect(diagramStatus(r.text, s)).toBe('none');
    expect(r.text).toMatch(/class="sw-edge" data-kind="catch" data-from="CollectMetrics" data-to="NotifyFailure"/);
    expect(r.text).toContain('data-zoom="in"');
    expect(r.text).toContain(ROLE);
    expect(r.text).toContain('Level ALL, execution data included');
    expect(r.text).toContain('log-group:/stepwise/infra-monitoring:*');
    expect(r.text).toContain(`datetime="${NEXT_RUN}"`);
    expect(r.text).toContain('&quot;StartAt&quot;: &quot;CollectMetrics&quot;');
    expect(r.text).toContain('data-execution="run-ok" data-status="SUCCEEDED"');
    expect(r.text).toContain('data-execution="fail-run" data-status="FAILED"');
  });

  it('lists versions and aliases, and starts an execution through an alias', async () => {
    const sm = world.deps.stateMachines;
    const { stateMachineVersionArn } = await sm.versions.publish({ stateMachineArn: world.machineArn, description: 'first <release>' });
    const { stateMachineAliasArn } = await sm.versions.createAlias({ name: 'prod', description: 'production', routingConfiguration: [{ stateMachineVersionArn, weight: 100 }] });
    const page = await c.get(`/console/machines/${PIPELINE}`);
    expect(page.text).toContain('first &lt;release&gt;');
    expect(page.text).toMatch(/<td class="mono">prod<\/td><td>production<\/td><td><div>version 1: 100%/);
    expect(page.text).toContain(`<option value="${stateMachineAliasArn}">Alias prod</option>`);
    const r = await c.post('/console/actions/start', { _csrf: c.csrf, stateMachineArn: world.machineArn, qualifier: stateMachineAliasArn, name: 'via-alias', input: '{}' });
    expect(r.status).toBe(303);
    const arn = execArn(PIPELINE, 'via-alias');
    await world.waitForStatus(arn, 'SUCCEEDED');
    const rec = await world.deps.queries.execution(arn);
    expect(rec.stateMachineAliasArn).toBe(stateMachineAliasArn);
    expect(rec.stateMachineVersionArn).toBe(stateMachineVersionArn);
    expect((await c.get(executionPath(arn))).text).toContain('alias prod');
    // A qualifier of another machine is refused.
    const other = await c.post('/console/actions/start', { _csrf: c.csrf, stateMachineArn: machineArn('Tiny'), qualifier: stateMachineAliasArn, name: 'cross', input: '{}' });
    expect(other.status).toBe(400);
    expect(other.text).toContain('is not a version or alias of');
  });

  it('is a 404 for a machine that does not exist', async () => {
    const r = await c.get('/console/machines/Nope');
    expect(r.status).toBe(404);
    expect(r.text).toContain('StateMachineDoesNotExist');
  });
});

describe('starting an execution from the console', () => {
  it('runs it with the input given and goes to its page', async () => {
    await c.get(`/console/machines/${PIPELINE}`);
    const r = await c.post('/console/actions/start', { _csrf: c.csrf, stateMachineArn: world.machineArn, qualifier: '', name: 'from-console', input: '{"hosts": ["db-1"]}' });
    expect(r.status).toBe(303);
    const arn = execArn(PIPELINE, 'from-console');
    expect(r.headers.get('location')).toBe(executionPath(arn));
    await world.waitForStatus(arn, 'SUCCEEDED');
    expect(JSON.parse((await world.deps.queries.execution(arn)).input)).toEqual({ hosts: ['db-1'] });
  });

  it('names it with a UUID when no name is given, and takes an empty input as {}', async () => {
    const r = await c.post('/console/actions/start', { _csrf: c.csrf, stateMachineArn: machineArn('Tiny'), name: '', input: '  ' });
    expect(r.status).toBe(303);
    const arn = decodeURIComponent((r.headers.get('location') ?? '').split('/').pop() ?? '');
    expect(arn).toMatch(/:execution:Tiny:[0-9a-f-]{36}$/);
    expect((await world.deps.queries.execution(arn)).input).toBe('{}');
  });

  it('refuses input that is not JSON and shows the form again with what was typed', async () => {
    const r = await c.post('/console/actions/start', { _csrf: c.csrf, stateMachineArn: world.machineArn, name: 'bad-input', input: '{"a": <1>}' });
    expect(r.status).toBe(400);
    expect(r.text).toContain('data-start-error');
    expect(r.text).toContain('InvalidExecutionInput');
    expect(r.text).toContain('{&quot;a&quot;: &lt;1&gt;}');
    expect(r.text).toContain('value="bad-input"');
  });

  it('refuses a name the API refuses, and a name already taken', async () => {
    const bad = await c.post('/console/actions/start', { _csrf: c.csrf, stateMachineArn: world.machineArn, name: 'has space', input: '{}' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('InvalidName');
    const taken = await c.post('/console/actions/start', { _csrf: c.csrf, stateMachineArn: world.machineArn, name: 'run-ok', input: '{"other": 1}' });
    expect(taken.status).toBe(400);
    expect(taken.text).toContain('ExecutionAlreadyExists');
  });

  it('says where an Express execution went, since none is kept', async () => {
    const r = await c.post('/console/actions/start', { _csrf: c.csrf, stateMachineArn: machineArn('Quick'), name: 'x1', input: '{}' });
    expect(r.status).toBe(200);
    expect(r.text).toContain('data-notice');
    expect(r.text).toMatch(/Started Express execution arn:aws:states:us-east-1:123456789012:express:Quick:x1:/);
  });
});

describe('a succeeded execution’s page', () => {
  it('colours every state by what happened and shows the timeline, history and output', async () => {
    const r = await c.get(executionPath(ok));
    expect(r.status).toBe(200);
    expect(r.text).toContain('data-execution-status="SUCCEEDED"');
    for (const s of ['CollectMetrics', 'WaitForS3Processing', 'CheckProcessingComplete', 'IsProcessed', 'NotifySuccess']) expect(diagramStatus(r.text, s), s).toBe('succeeded');
    for (const s of ['CountRecheck', 'RecordInvalidMetrics', 'RecordNotProcessed', 'NotifyFailure', 'PipelineFailed']) expect(diagramStatus(r.text, s), s).toBe('notReached');
    expect(r.text).toMatch(/data-visit="1" data-state-name="WaitForS3Processing" data-visit-status="succeeded">[\s\S]*?10\.\d s/); // the clock skips to the timer; processing adds a little real time
    for (const type of ['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskSucceeded', 'WaitStateEntered', 'ChoiceStateExited', 'ExecutionSucceeded']) {
      expect(r.text).toContain(`data-event-type="${type}"`);
    }
    expect(r.text).toContain('class="json execution-output"');
    expect(r.text).toContain('&quot;PROCESSED&quot;');
    expect(r.text).not.toContain('data-poll-url');
    expect(r.text).not.toContain('data-stop');
    expect(r.text).not.toContain('data-redrive');
  });

  it('shows the logs the server keeps, escaped', async () => {
    const r = await c.get(executionPath(ok));
    expect(r.text).toContain('data-logs');
    expect(r.text).toContain('&lt;b&gt;bold&lt;/b&gt;');
  });

  it('carries each state’s input and output for the panel', async () => {
    const r = await c.get(executionPath(ok));
    const data = JSON.parse(/<script type="application\/json" id="sw-visits">([\s\S]*?)<\/script>/.exec(r.text)?.[1] ?? '[]') as { name: string; input: string; output: string | null; status: string }[];
    expect(data.map((v) => v.name)).toEqual(['CollectMetrics', 'WaitForS3Processing', 'CheckProcessingComplete', 'IsProcessed', 'NotifySuccess']);
    const check = data.find((v) => v.name === 'CheckProcessingComplete');
    expect(JSON.parse(check?.output ?? 'null')).toMatchObject({ check: { Item: { status: { S: 'PROCESSED' } } } });
    expect(JSON.parse(check?.input ?? 'null')).toMatchObject({ collection: { runId: 'run-ok' } });
  });
});

describe('a failed execution’s page', () => {
  it('colours the caught, the failed and the unreached states, and shows the error and cause', async () => {
    const r = await c.get(executionPath(failed));
    expect(r.text).toContain('data-execution-status="FAILED"');
    expect(diagramStatus(r.text, 'CollectMetrics')).toBe('caught');
    expect(diagramStatus(r.text, 'NotifyFailure')).toBe('succeeded');
    expect(diagramStatus(r.text, 'PipelineFailed')).toBe('failed');
    expect(diagramStatus(r.text, 'WaitForS3Processing')).toBe('notReached');
    expect(r.text).toContain('<span data-failed-state>PipelineFailed</span>');
    expect(r.text).toMatch(/data-error>Error</);
    expect(r.text).toContain('collector cannot reach the metrics source for fail-run');
    expect(r.text).toMatch(/data-state-name="CollectMetrics" data-visit-status="caught">[\s\S]*?data-retries="3"/);
    expect(r.text.match(/data-event-type="TaskFailed"/g)).toHaveLength(4);
    expect(r.text).toContain('data-event-type="ExecutionFailed"');
    expect(r.text).toContain('data-redrive');
  });

  it('redrives it through the service, with the API’s rules', async () => {
    const r = await c.post('/console/actions/redrive', { _csrf: c.csrf, executionArn: failed });
    expect(r.status).toBe(303);
    await world.waitForStatus(failed, 'FAILED');
    const rec = await world.deps.queries.execution(failed);
    expect(rec.redriveCount).toBe(1);
    const page = await c.get(executionPath(failed));
    expect(page.text).toContain('data-event-type="ExecutionRedriven"');
    // A succeeded execution cannot be redriven: the page says why.
    const refused = await c.post('/console/actions/redrive', { _csrf: c.csrf, executionArn: ok });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('ExecutionNotRedrivable: Execution is SUCCEEDED and cannot be redriven');
  });
});

describe('a running execution', () => {
  it('is polled for what changed, and can be stopped', async () => {
    world.skipper.pause();
    try {
      const arn = await world.startPipeline('watch-me');
      const api = `/console/api/executions/${encodeURIComponent(arn)}`;
      // It waits in WaitForS3Processing (the clock stands still).
      let first: { status: string; done: boolean; lastEventId: number; diagram: string; fragments: Record<string, string>; historyRows: string } | undefined;
      for (let i = 0; i < 200; i++) {
        first = JSON.parse((await c.get(api)).text) as typeof first;
        if (first && diagramStatus(first.diagram, 'WaitForS3Processing') === 'running') break;
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(first).toMatchObject({ status: 'RUNNING', done: false });
      expect(diagramStatus(first?.diagram ?? '', 'CollectMetrics')).toBe('succeeded');
      expect(first?.fragments['sw-status']).toContain('data-execution-status="RUNNING"');
      expect(first?.historyRows).toContain('data-event-type="WaitStateEntered"');
      const page = await c.get(executionPath(arn));
      expect(page.text).toContain(`data-poll-url="${api}"`);
      expect(page.text).toContain('data-stop');
      // Nothing new: a cheap answer.
      const same = JSON.parse((await c.get(`${api}?after=${first?.lastEventId ?? 0}&status=RUNNING`)).text) as Record<string, unknown>;
      expect(same).toEqual({ unchanged: true, done: false, status: 'RUNNING', lastEventId: first?.lastEventId });
      // Stop it from the page.
      const stop = await c.post('/console/actions/stop', { _csrf: c.csrf, executionArn: arn });
      expect(stop.status).toBe(303);
      await world.waitForStatus(arn, 'ABORTED');
      const after = JSON.parse((await c.get(`${api}?after=${first?.lastEventId ?? 0}&status=RUNNING`)).text) as { done: boolean; status: string; historyRows: string; diagram: string; fragments: Record<string, string> };
      expect(after).toMatchObject({ done: true, status: 'ABORTED' });
      expect(after.historyRows).toContain('data-event-type="ExecutionAborted"');
      expect(after.historyRows).not.toContain('data-event-type="WaitStateEntered"');
      expect(diagramStatus(after.diagram, 'WaitForS3Processing')).toBe('aborted');
      expect(after.fragments['sw-actions']).not.toContain('data-stop');
    } finally {
      world.skipper.resume();
    }
  });
});

describe('the executions list', () => {
  beforeAll(async () => {
    for (let i = 0; i < 120; i++) await startTiny(`tiny-${String(i).padStart(3, '0')}`);
    await startTiny('escape-me', { note: '</script><script>alert(1)</script><img src=x onerror=alert(2)>' });
    for (let i = 0; i < 500; i++) {
      const running = await world.deps.queries.listExecutions({ stateMachineArn: machineArn('Tiny'), statusFilter: 'RUNNING', maxResults: 1 });
      if (running.executions.length === 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
  });

  const rowsOf = (page: string) => [...page.matchAll(/<tr data-execution="([^"]+)"/g)].map((m) => m[1]);
  const nextOf = (page: string) => /href="([^"]+)" data-next-page/.exec(page)?.[1]?.replace(/&amp;/g, '&');

  it('pages through every execution, newest first, with nextToken', async () => {
    const seen: string[] = [];
    let path: string | undefined = '/console/machines/Tiny';
    let pages = 0;
    while (path) {
      const r = await c.get(path);
      expect(r.status).toBe(200);
      const rows = rowsOf(r.text);
      expect(rows.length).toBeLessThanOrEqual(50);
      seen.push(...(rows as string[]));
      path = nextOf(r.text);
      pages++;
    }
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toContain('tiny-000');
    expect(seen).toContain('tiny-119');
    expect(seen.indexOf('tiny-119')).toBeLessThan(seen.indexOf('tiny-000'));
  });

  it('filters by status', async () => {
    const r = await c.get('/console/machines/Tiny?status=FAILED');
    expect(rowsOf(r.text)).toEqual([]);
    expect(r.text).toContain('<option value="FAILED" selected>');
    const s = await c.get('/console/machines/Tiny?status=SUCCEEDED');
    expect(rowsOf(s.text)).toHaveLength(50);
  });

  it('finds executions by a part of their name, or by their exact name', async () => {
    const part = await c.get('/console/machines/Tiny?q=tiny-11');
    expect(rowsOf(part.text).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `tiny-11${i}`));
    const exact = await c.get('/console/machines/Tiny?q=tiny-007');
    expect(rowsOf(exact.text)).toEqual(['tiny-007']);
    const none = await c.get('/console/machines/Tiny?q=nothing-like-it');
    expect(none.text).toContain('data-no-executions');
  });

  it('escapes what executions carry', async () => {
    const r = await c.get(executionPath(execArn('Tiny', 'escape-me')));
    expect(r.status).toBe(200);
    expect(r.text).not.toContain('<script>alert(1)');
    expect(r.text).not.toContain('<img src=x');
    expect(r.text).toContain('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    const data = /<script type="application\/json" id="sw-visits">([\s\S]*?)<\/script>/.exec(r.text)?.[1] ?? '';
    expect(data).toContain('\\u003c/script>');
    expect(JSON.parse(data)).toHaveLength(1);
  });
});

describe('state names are user data too', () => {
  it('are escaped on the machine page, the execution page and in the poll JSON', async () => {
    const evil = '<img src=x onerror=alert(1)>';
    const definition = JSON.stringify({ StartAt: evil, States: { [evil]: { Type: 'Pass', Next: 'Done"\'' }, 'Done"\'': { Type: 'Succeed' } } });
    await world.deps.stateMachines.create({ name: 'Hostile', definition, roleArn: ROLE });
    const { executionArn } = await world.deps.executions.startExecution({ stateMachineArn: machineArn('Hostile'), definition, roleArn: ROLE, name: 'h1', input: '{}' });
    await world.waitForStatus(executionArn, 'SUCCEEDED');
    for (const path of ['/console/machines/Hostile', executionPath(executionArn)]) {
      const r = await c.get(path);
      expect(r.status, path).toBe(200);
      expect(r.text, path).not.toContain('<img src=x');
    }
    // The poll's JSON carries names as data (the script writes them with textContent) and markup escaped.
    const poll = JSON.parse((await c.get(`/console/api/executions/${encodeURIComponent(executionArn)}`)).text) as { fragments: Record<string, string>; diagram: string; historyRows: string; visits: { name: string }[] };
    for (const markup of [...Object.values(poll.fragments), poll.diagram, poll.historyRows]) expect(markup).not.toContain('<img src=x');
    expect(poll.visits[0]?.name).toBe(evil);
    const page = await c.get(executionPath(executionArn));
    expect(page.text).toContain('data-state-name="&lt;img src=x onerror=alert(1)&gt;"');
    expect(diagramStatus(page.text, '&lt;img src=x onerror=alert\\(1\\)&gt;')).toBe('succeeded');
  });
});

describe('what does not exist', () => {
  it('is a 404 page (or JSON under /api)', async () => {
    const missing = await c.get(executionPath(execArn(PIPELINE, 'never-ran')));
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('ExecutionDoesNotExist');
    expect((await c.get('/console/executions/not-an-arn')).status).toBe(404);
    const api = await c.get(`/console/api/executions/${encodeURIComponent(execArn(PIPELINE, 'never-ran'))}`);
    expect(api.status).toBe(404);
    expect(JSON.parse(api.text)).toMatchObject({ error: 'ExecutionDoesNotExist' });
    expect((await c.get('/console/no/such/page')).status).toBe(404);
  });
});

