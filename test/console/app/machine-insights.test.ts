/**
 * A machine's page beyond its definition: the schedule rules that start it (through the console
 * `stepwise serve` mounts, whose schedulesFor reads the stored rules), the cost of its executions
 * projected to a month, and a search of its executions by start time, paged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pauseRule, type RuleDeclaration } from '../../../src/scheduler/rules.js';
import type { MachineCost } from '../../../src/console/app/index.js';
import { ConsoleClient, overHttp } from './client.js';
import { seedExecutions } from './seed.js';
import { KEY, PIPELINE, ROLE, startWorld, type World } from './world.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const TINY = JSON.stringify({ StartAt: 'Only', States: { Only: { Type: 'Pass', End: true } } });
const machineArn = (name: string) => `arn:aws:states:us-east-1:123456789012:stateMachine:${name}`;
const PIPELINE_ARN = machineArn(PIPELINE);

const RULES: RuleDeclaration[] = [
  { name: 'pipeline-hourly', description: 'collect every hour', scheduleExpression: 'rate(1 hour)', state: 'ENABLED', targets: [{ id: 'latest', stateMachineArn: PIPELINE_ARN }], catchUp: { policy: 'latest', windowMs: 6 * HOUR }, overlap: 'skip' },
  { name: 'pipeline-nightly-prod', scheduleExpression: 'cron(0 2 * * ? *)', state: 'DISABLED', targets: [{ id: 'prod', stateMachineArn: `${PIPELINE_ARN}:prod` }] },
  { name: 'pipeline-on-upload', eventPattern: '{"source":["aws.s3"],"detail-type":["<Object Created>"]}', state: 'ENABLED', targets: [{ id: 'latest', stateMachineArn: PIPELINE_ARN }] },
  { name: 'pipeline-daily-paused', scheduleExpression: 'rate(1 day)', state: 'ENABLED', targets: [{ id: 'latest', stateMachineArn: PIPELINE_ARN }] },
  // Another machine whose name starts with the pipeline's: not one of its versions or aliases.
  { name: 'pipeline-v2-only', scheduleExpression: 'rate(5 minutes)', state: 'DISABLED', targets: [{ id: 'v2', stateMachineArn: `${PIPELINE_ARN}-v2` }] },
];

let world: World;
/** The console `stepwise serve` serves (serve-command's deps), over HTTP. */
let served: ConsoleClient;
/** The world's console in-process, whose clock for caching the tests move. */
let local: ConsoleClient;
let consoleNow = Date.UTC(2026, 0, 1);

beforeAll(async () => {
  world = await startWorld({ requireAuth: true, rules: RULES, extraDeps: { now: () => consoleNow } });
  await pauseRule(world.server.store, 'pipeline-daily-paused', () => world.clock.now(), 'maintenance');
  const sm = world.deps.stateMachines;
  await sm.create({ name: 'Tiny', definition: TINY, roleArn: ROLE });
  await sm.create({ name: 'Quick', definition: TINY, roleArn: ROLE, type: 'EXPRESS' });
  // Succeeds in 5 transitions; fails in 6 (3 retries); gives up after 3 re-waits in 19 (11 states entered again).
  const runs = [await world.startPipeline('run-ok'), await world.startPipeline('fail-run'), await world.startPipeline('slow-run')];
  await world.waitForStatus(runs[0] ?? '', 'SUCCEEDED');
  await world.waitForStatus(runs[1] ?? '', 'FAILED');
  await world.waitForStatus(runs[2] ?? '', 'FAILED');
  served = new ConsoleClient(overHttp(world.server.url));
  expect((await served.signIn(KEY)).status).toBe(303);
  local = new ConsoleClient(world.app);
  expect((await local.signIn(KEY)).status).toBe(303);
}, 60_000);
afterAll(async () => world?.stop());

const attr = (text: string, name: string) => [...text.matchAll(new RegExp(`${name}="([^"]*)"`, 'g'))].map((m) => m[1] ?? '');
const scheduleRow = (page: string, rule: string) => new RegExp(`<tr data-schedule="${rule}">[\\s\\S]*?</tr>`).exec(page)?.[0] ?? '';
const fireTimes = (row: string) => [...row.matchAll(/<li data-fire-time><time datetime="([^"]+)"/g)].map((m) => Date.parse(m[1] ?? ''));
const gaps = (times: number[]) => times.slice(1).map((t, i) => t - (times[i] ?? 0));

describe('the schedules on a machine’s page', () => {
  it('lists every rule that starts the machine or one of its aliases, with its state, policies and next 3 fire times', async () => {
    const page = (await served.get(`/console/machines/${PIPELINE}`)).text;
    expect(attr(page, '<tr data-schedule').sort()).toEqual(['pipeline-daily-paused', 'pipeline-hourly', 'pipeline-nightly-prod', 'pipeline-on-upload']);

    const hourly = scheduleRow(page, 'pipeline-hourly');
    expect(hourly).toContain('<code data-schedule-expression>rate(1 hour)</code>');
    expect(hourly).toContain('collect every hour');
    expect(hourly).toContain('data-schedule-state="ENABLED"');
    expect(hourly).toContain('data-catch-up="latest">run the latest missed tick, within 6 h 00 min<');
    expect(hourly).toContain('data-overlap="skip">skip while its previous execution runs<');
    expect(gaps(fireTimes(hourly))).toEqual([HOUR, HOUR]);

    const nightly = scheduleRow(page, 'pipeline-nightly-prod');
    expect(nightly).toContain('data-schedule-state="DISABLED"');
    expect(nightly).toContain('starts <span class="mono">prod</span>');
    expect(nightly).toContain('data-catch-up="skip">skip missed ticks<');
    expect(nightly).toContain('data-overlap="allow"');
    const nights = fireTimes(nightly);
    expect(gaps(nights)).toEqual([DAY, DAY]);
    for (const t of nights) expect(new Date(t).toISOString()).toMatch(/T02:00:00\.000Z$/);

    const paused = scheduleRow(page, 'pipeline-daily-paused');
    expect(paused).toContain('data-schedule-state="PAUSED"');
    expect(gaps(fireTimes(paused))).toEqual([DAY, DAY]);

    const onUpload = scheduleRow(page, 'pipeline-on-upload');
    expect(onUpload).toContain('data-event-pattern>{&quot;source&quot;:[&quot;aws.s3&quot;],&quot;detail-type&quot;:[&quot;&lt;Object Created&gt;&quot;]}</pre>');
    expect(onUpload).toContain('on matching events');
    expect(fireTimes(onUpload)).toEqual([]);
  });

  it('says when no rule starts the machine', async () => {
    const page = (await served.get('/console/machines/Tiny')).text;
    expect(page).toContain('data-no-schedules');
    expect(page).not.toContain('<tr data-schedule=');
  });
});

describe('the cost on a machine’s page', () => {
  const costOf = async (client: ConsoleClient, name: string) => {
    const r = await client.get(`/console/api/machines/${name}/cost`);
    expect(r.status).toBe(200);
    return JSON.parse(r.text) as MachineCost & { html: string };
  };

  it('is not computed for the page itself: the page asks for it once shown', async () => {
    const page = (await served.get(`/console/machines/${PIPELINE}`)).text;
    expect(page).toContain(`data-cost-url="/console/api/machines/${PIPELINE}/cost"`);
    expect(page).toContain('data-cost-loading');
    expect(page).not.toContain('data-cost-figure');
  });

  it('counts the billed transitions of the latest executions and projects the month from the enabled schedule', async () => {
    const cost = await costOf(served, PIPELINE);
    expect(cost).toMatchObject({
      type: 'STANDARD',
      sample: { executions: 3, limit: 50 },
      transitions: { total: 30, perExecution: 10, retries: 3, loops: 11, redrives: 0 },
      // rate(1 hour) over 30 days; the paused and disabled rules and the event pattern start none.
      month: { basis: 'schedule', executions: 720, transitions: 7200 },
      freeTier: { transitions: 4000, covered: false },
      billableTransitions: 3200,
    });
    expect(cost.usd).toBeCloseTo(0.08, 10);
    expect(cost.month.detail).toContain('pipeline-hourly (rate(1 hour))');
    expect(cost.html).toContain('data-cost-figure="per-execution">10<');
    expect(cost.html).toContain('30 transitions, 3 from retries, 11 from loops');
    expect(cost.html).toContain('data-cost-figure="retries-loops">1 / 3.7<');
    expect(cost.html).toContain('data-cost-figure="month-transitions">7,200<');
    expect(cost.html).toContain('not covered: 3,200 billable transitions');
    expect(cost.html).toContain('data-cost-figure="usd">$0.08<');
    // Without the script: the same panel on a page of its own.
    const page = await served.get(`/console/machines/${PIPELINE}/cost`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-cost-figure="usd">$0.08<');
  });

  it('projects the month from the executions of the last 30 days without a schedule, and keeps the estimate a minute', async () => {
    for (const name of ['t1', 't2', 't3']) await world.deps.executions.startExecution({ stateMachineArn: machineArn('Tiny'), definition: TINY, roleArn: ROLE, name, input: '{}' });
    for (const name of ['t1', 't2', 't3']) await world.waitForStatus(`arn:aws:states:us-east-1:123456789012:execution:Tiny:${name}`, 'SUCCEEDED');
    const first = await costOf(local, 'Tiny');
    expect(first).toMatchObject({
      sample: { executions: 3 },
      transitions: { total: 3, perExecution: 1, retries: 0, loops: 0 },
      month: { basis: 'recent', executions: 3, transitions: 3 },
      freeTier: { covered: true },
      billableTransitions: 0,
      usd: 0,
    });
    expect(first.month.detail).toContain('at the rate of the last 30 days');
    expect(first.html).toContain('data-cost-figure="free-tier">covered<');
    await world.deps.executions.startExecution({ stateMachineArn: machineArn('Tiny'), definition: TINY, roleArn: ROLE, name: 't4', input: '{}' });
    await world.waitForStatus('arn:aws:states:us-east-1:123456789012:execution:Tiny:t4', 'SUCCEEDED');
    expect(await costOf(local, 'Tiny')).toMatchObject({ computedAt: first.computedAt, month: { executions: 3 } });
    consoleNow += 61_000;
    expect(await costOf(local, 'Tiny')).toMatchObject({ sample: { executions: 4 }, month: { executions: 4, transitions: 4 } });
  });

  it('reads a bounded number of executions: beyond them it extrapolates their rate, and says so', async () => {
    const { stateMachineArn } = await world.deps.stateMachines.create({ name: 'Busy', definition: TINY, roleArn: ROLE });
    await seedExecutions(world.server.store, stateMachineArn, TINY, 1100, world.clock.now() - 2 * HOUR);
    const cost = await costOf(served, 'Busy');
    expect(cost.sample).toEqual({ executions: 50, limit: 50 });
    expect(cost.month.basis).toBe('sample');
    expect(cost.month.detail).toContain('at the rate of the latest 1,000 executions');
    expect(cost.month.executions).toBeGreaterThan(1000);
  });

  it('for an Express machine, says what it cannot measure', async () => {
    const cost = await costOf(served, 'Quick');
    expect(cost).toMatchObject({ type: 'EXPRESS', freeTier: null, usd: 0, month: { executions: 0 } });
    expect(cost.html).toContain('Express executions are not kept');
  });

  it('is a 404 for a machine that does not exist', async () => {
    const r = await served.get('/console/api/machines/Nope/cost');
    expect(r.status).toBe(404);
    expect(JSON.parse(r.text)).toMatchObject({ error: 'StateMachineDoesNotExist' });
  });
});

describe('searching executions by start time', () => {
  // 130 executions a second apart from 2025-01-01T00:00:00Z: bulk-00000 … bulk-00129; every tenth failed.
  beforeAll(async () => {
    const { stateMachineArn } = await world.deps.stateMachines.create({ name: 'Windowed', definition: TINY, roleArn: ROLE });
    await seedExecutions(world.server.store, stateMachineArn, TINY, 130, Date.UTC(2025, 0, 1));
  });

  const rowsOf = (page: string) => [...page.matchAll(/<tr data-execution="([^"]+)"/g)].map((m) => m[1]);
  const nextOf = (page: string) => /href="([^"]+)" data-next-page/.exec(page)?.[1]?.replace(/&amp;/g, '&');
  const bulk = (from: number, to: number) => Array.from({ length: from - to + 1 }, (_, i) => `bulk-${String(from - i).padStart(5, '0')}`);
  const windowed = (query: string) => local.get(`/console/machines/Windowed?${query}`);

  it('lists what started in the window, newest first, a page at a time', async () => {
    const first = await windowed('startedAfter=2025-01-01T00:00:10&startedBefore=2025-01-01T00:01:40');
    expect(rowsOf(first.text)).toEqual(bulk(99, 50));
    expect(first.text).toContain('type="datetime-local" id="started-after" name="startedAfter" step="1" value="2025-01-01T00:00:10"');
    expect(first.text).toContain('Started before (UTC)');
    const next = nextOf(first.text);
    expect(next).toContain('startedAfter=2025-01-01T00%3A00%3A10');
    expect(next).toContain('startedBefore=2025-01-01T00%3A01%3A40');
    const second = await local.get(next ?? '');
    expect(rowsOf(second.text)).toEqual(bulk(49, 10));
    expect(nextOf(second.text)).toBeUndefined();
  });

  it('takes either bound alone, to the minute or the second', async () => {
    expect(rowsOf((await windowed('startedBefore=2025-01-01T00:00:05')).text)).toEqual(bulk(4, 0));
    expect(rowsOf((await windowed('startedAfter=2025-01-01T00:02')).text)).toEqual(bulk(129, 120));
    // Exactly a page in the window: no next page.
    const page = await windowed('startedAfter=2025-01-01T00:01:20');
    expect(rowsOf(page.text)).toEqual(bulk(129, 80));
    expect(nextOf(page.text)).toBeUndefined();
  });

  it('combines the window with the status filter and the name search', async () => {
    expect(rowsOf((await windowed('status=FAILED&startedAfter=2025-01-01T00:00:10&startedBefore=2025-01-01T00:01:40')).text)).toEqual(['bulk-00099', 'bulk-00089', 'bulk-00079', 'bulk-00069', 'bulk-00059', 'bulk-00049', 'bulk-00039', 'bulk-00029', 'bulk-00019']);
    expect(rowsOf((await windowed('q=bulk-0005&startedAfter=2025-01-01T00:00:55&startedBefore=2025-01-01T00:01:40')).text)).toEqual(bulk(59, 55));
    // An exact name started outside the window is not shown.
    const outside = await windowed('q=bulk-00005&startedAfter=2025-01-01T00:00:10');
    expect(rowsOf(outside.text)).toEqual([]);
    expect(outside.text).toContain('No executions started in this time window match');
  });

  it('says what is wrong with a bound it cannot read', async () => {
    const bad = await windowed('startedAfter=yesterday');
    expect(bad.status).toBe(200);
    expect(bad.text).toContain('data-list-error');
    expect(bad.text).toContain('Started after: &#39;yesterday&#39; is not a date and time like 2026-01-31T09:30 (UTC).');
    expect((await windowed('startedAfter=2025-02-30T00:00')).text).toContain('is not a date and time');
    expect((await windowed('startedAfter=2025-01-01T00:02&startedBefore=2025-01-01T00:01')).text).toContain('must be earlier than');
  });
});
