/**
 * Acceptance in a real browser: playwright-core drives Debian's Chromium against a server that
 * requires sign-in, with the InfraMonitoring pipeline deployed and run by local Lambda, DynamoDB
 * and SNS. Screenshots go to test-artifacts/console/. Without Chromium these tests skip with a
 * message, except under CI=true, where that is a failure.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATUS_PAINT } from '../../../src/console/diagram/index.js';
import { PIPELINE_DEFINITION_OBJECT } from './pipeline-definition.js';
import { seedExecutions } from './seed.js';
import { KEY, PIPELINE, PIPELINE_STATES, ROLE, startWorld, type World } from './world.js';

const CHROMIUM = process.env['STEPWISE_CHROMIUM'] ?? '/usr/bin/chromium';
const REQUIRED = process.env['CI'] === 'true';
const available = existsSync(CHROMIUM);
if (!available && !REQUIRED) console.warn(`Console browser tests SKIPPED: no Chromium at ${CHROMIUM} (install Debian's chromium, or set STEPWISE_CHROMIUM)`);

const ARTIFACTS = fileURLToPath(new URL('../../../test-artifacts/console/', import.meta.url));
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const BULK = JSON.stringify({ StartAt: 'Only', States: { Only: { Type: 'Pass', End: true } } });

describe.runIf(REQUIRED && !available)('Chromium under CI', () => {
  it('is installed', () => {
    throw new Error(`the console's browser tests need Chromium under CI=true, but there is none at ${CHROMIUM}`);
  });
});

describe.runIf(available)('the console in Chromium', () => {
  let world: World;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  let base: string;
  let ok: string;
  let failed: string;
  const pageErrors: string[] = [];

  const executionUrl = (arn: string) => `${base}/executions/${encodeURIComponent(arn)}`;
  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  const statusOf = (state: string) => page.getAttribute(`.sw-canvas g.sw-state[data-state="${state}"]`, 'data-status');

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    world = await startWorld({ requireAuth: true });
    // The console as `stepwise serve` serves it, beside the API on the same port.
    base = `${world.server.url}/console`;
    ok = await world.startPipeline('hourly-ok', { hosts: ['web-1', 'db-1'] });
    failed = await world.startPipeline('fail-hourly');
    const bulk = await world.deps.stateMachines.create({ name: 'Bulk', definition: BULK, roleArn: ROLE });
    await seedExecutions(world.server.store, bulk.stateMachineArn, BULK, 10_000);
    await world.waitForStatus(ok, 'SUCCEEDED');
    await world.waitForStatus(failed, 'FAILED');
    profile = mkdtempSync(join(tmpdir(), 'stepwise-chromium-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1440, height: 1000 } });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (err) => pageErrors.push(err.message));
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await world?.stop();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('refuses everything before sign-in: pages go to the sign-in form, the JSON API answers 401', async () => {
    await page.goto(`${base}/machines/${PIPELINE}`);
    expect(new URL(page.url()).pathname).toBe('/console/login');
    await expect(page.locator('[data-login-form]').count()).resolves.toBe(1);
    expect(await page.content()).not.toContain('CollectMetrics');
    const api = await page.request.get(`${base}/api/executions/${encodeURIComponent(ok)}`);
    expect(api.status()).toBe(401);
    await shot('login');
  });

  it('refuses a wrong secret, then signs in through the form and lists the machine', async () => {
    await page.fill('#access-key-id', KEY.accessKeyId);
    await page.fill('#secret-access-key', 'not-the-secret');
    await page.click('[data-sign-in]');
    await page.waitForSelector('[data-login-error]');
    await page.fill('#access-key-id', KEY.accessKeyId);
    await page.fill('#secret-access-key', KEY.secretAccessKey);
    await Promise.all([page.waitForURL(`${base}/machines/${PIPELINE}`), page.click('[data-sign-in]')]);
    await page.goto(`${base}/`);
    const row = page.locator(`tr[data-machine="${PIPELINE}"]`);
    await expect(row.count()).resolves.toBe(1);
    await expect(row.locator('[data-count="SUCCEEDED"]').textContent()).resolves.toContain('1 succeeded');
    await expect(row.locator('[data-count="FAILED"]').textContent()).resolves.toContain('1 failed');
    await shot('state-machines');
  });

  it('draws every state and edge of the machine, with zoom and pan', async () => {
    await page.click(`a[href="/console/machines/${PIPELINE}"]`);
    await page.waitForSelector('.sw-canvas svg');
    const drawn = await page.$$eval('.sw-canvas g.sw-state', (gs) => gs.map((g) => g.getAttribute('data-state')));
    expect([...drawn].sort()).toEqual([...PIPELINE_STATES].sort());
    const edges = new Set(await page.$$eval('.sw-canvas g.sw-edge', (es) => es.map((e) => `${e.getAttribute('data-from')}→${e.getAttribute('data-to')}`)));
    for (const [from, state] of Object.entries(PIPELINE_DEFINITION_OBJECT.States) as [string, Record<string, unknown>][]) {
      const targets = [state['Next'], state['Default'], ...((state['Choices'] as { Next: string }[] | undefined) ?? []).map((c) => c.Next), ...((state['Catch'] as { Next: string }[] | undefined) ?? []).map((c) => c.Next)];
      for (const to of targets) if (typeof to === 'string') expect(edges, `${from}→${to}`).toContain(`${from}→${to}`);
    }
    expect(edges).toContain('Start→CollectMetrics');
    // Zoom with the wheel and the buttons, pan by dragging.
    const canvas = page.locator('.sw-canvas');
    const before = await canvas.evaluate(transformOfElement);
    const box = await page.locator('.sw-viewport').boundingBox();
    if (!box) throw new Error('no diagram viewport');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -400);
    const zoomed = await canvas.evaluate(transformOfElement);
    expect(zoomed).not.toBe(before);
    expect(scaleOf(zoomed)).toBeGreaterThan(scaleOf(before));
    await page.mouse.move(box.x + 30, box.y + 30);
    await page.mouse.down();
    await page.mouse.move(box.x + 130, box.y + 90, { steps: 5 });
    await page.mouse.up();
    expect(translateOf(await canvas.evaluate(transformOfElement))[0]).toBeCloseTo(translateOf(zoomed)[0] + 100, 0);
    await page.click('[data-zoom="out"]');
    expect(scaleOf(await canvas.evaluate(transformOfElement))).toBeLessThan(scaleOf(zoomed));
    await page.click('[data-zoom="fit"]');
    await expect(page.locator('[data-definition]').textContent()).resolves.toContain('"StartAt": "CollectMetrics"');
    // The cost panel fills in once the page is up: 5 transitions for hourly-ok, 6 for fail-hourly (3 retries).
    await expect(page.locator('#sw-cost [data-cost-figure="per-execution"]').textContent()).resolves.toBe('5.5');
    await expect(page.locator('#sw-cost [data-cost-figure="retries-loops"]').textContent()).resolves.toBe('1.5 / 0');
    await expect(page.locator('[data-no-schedules]').count()).resolves.toBe(1);
    await shot('state-machine');
  });

  it('shows a succeeded execution in green, with its history and each state’s input and output', async () => {
    await page.goto(executionUrl(ok));
    await expect(page.locator('#sw-status [data-execution-status]').getAttribute('data-execution-status')).resolves.toBe('SUCCEEDED');
    for (const s of ['CollectMetrics', 'WaitForS3Processing', 'CheckProcessingComplete', 'IsProcessed', 'NotifySuccess']) expect(await statusOf(s), s).toBe('succeeded');
    for (const s of ['NotifyFailure', 'PipelineFailed', 'CountRecheck']) expect(await statusOf(s), s).toBe('notReached');
    expect(await fillOf(page, 'NotifySuccess')).toBe(STATUS_PAINT.succeeded.fill);
    const types = await page.$$eval('#sw-history-rows tr', (rows) => rows.map((r) => r.getAttribute('data-event-type')));
    expect(types[0]).toBe('ExecutionStarted');
    expect(types.at(-1)).toBe('ExecutionSucceeded');
    expect(types).toContain('WaitStateExited');
    // A state's input and output, from the diagram…
    await page.click('.sw-canvas g.sw-state[data-state="CheckProcessingComplete"]');
    await expect(page.locator('#sw-state-panel h2').textContent()).resolves.toBe('CheckProcessingComplete');
    await expect(page.locator('#sw-state-panel pre.state-output').textContent()).resolves.toContain('"PROCESSED"');
    await expect(page.locator('.sw-canvas g.sw-state.sw-selected').getAttribute('data-state')).resolves.toBe('CheckProcessingComplete');
    // …and from the timeline.
    await page.click('#sw-timeline tr[data-state-name="CollectMetrics"]');
    await expect(page.locator('#sw-state-panel pre.state-input').textContent()).resolves.toContain('db-1');
    // An event's details expand.
    await page.click('#sw-history-rows tr[data-event-type="TaskSucceeded"] summary >> nth=0');
    await expect(page.locator('#sw-history-rows tr[data-event-type="TaskSucceeded"] details[open]').first().textContent()).resolves.toContain('"Payload"');
    await shot('execution-succeeded');
  });

  it('shows a failed execution with its caught and failed states, the error and the cause', async () => {
    await page.goto(executionUrl(failed));
    await expect(page.locator('#sw-status [data-execution-status]').getAttribute('data-execution-status')).resolves.toBe('FAILED');
    expect(await statusOf('CollectMetrics')).toBe('caught');
    expect(await statusOf('NotifyFailure')).toBe('succeeded');
    expect(await statusOf('PipelineFailed')).toBe('failed');
    expect(await statusOf('WaitForS3Processing')).toBe('notReached');
    expect(await fillOf(page, 'PipelineFailed')).toBe(STATUS_PAINT.failed.fill);
    expect(await fillOf(page, 'CollectMetrics')).toBe(STATUS_PAINT.caught.fill);
    const failure = page.locator('[data-failure]');
    await expect(failure.locator('[data-failed-state]').textContent()).resolves.toBe('PipelineFailed');
    await expect(failure.locator('[data-error]').textContent()).resolves.toBe('Error');
    await expect(failure.locator('[data-cause]').textContent()).resolves.toContain('collector cannot reach the metrics source for fail-hourly');
    await expect(page.locator('#sw-timeline tr[data-state-name="CollectMetrics"] [data-retries]').getAttribute('data-retries')).resolves.toBe('3');
    await expect(page.locator('#sw-history-rows tr[data-event-type="TaskFailed"]').count()).resolves.toBe(4);
    await page.click('.sw-canvas g.sw-state[data-state="CollectMetrics"]');
    await expect(page.locator('#sw-state-panel .alert.error').textContent()).resolves.toContain('collector cannot reach');
    await shot('execution-failed');
  });

  it('refuses a POST without the CSRF token', async () => {
    await page.goto(executionUrl(failed));
    await page.locator('form:has([data-redrive]) input[name="_csrf"]').evaluate((input) => input.remove());
    const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/console/actions/redrive')), page.click('[data-redrive]')]);
    expect(response.status()).toBe(403);
    await expect(page.locator('[data-error-message]').textContent()).resolves.toContain('no valid CSRF token');
    expect((await world.deps.queries.execution(failed)).redriveCount).toBe(0);
  });

  it('starts an execution with input, checks the JSON first, and follows it live until it succeeds', async () => {
    world.skipper.pause();
    try {
      await page.goto(`${base}/machines/${PIPELINE}`);
      await page.fill('#start-name', 'from-the-browser');
      await page.fill('#start-input', '{"hosts": [web-1]}');
      await page.click('[data-start]');
      await expect(page.locator('.json-error').textContent()).resolves.toContain('not valid JSON');
      expect(new URL(page.url()).pathname).toBe(`/console/machines/${PIPELINE}`);
      await page.fill('#start-input', '{"hosts": ["web-1", "<b>db-2</b>"]}');
      await Promise.all([page.waitForURL(/\/console\/executions\//), page.click('[data-start]')]);
      const arn = 'arn:aws:states:us-east-1:123456789012:execution:InfraMonitoring-Pipeline:from-the-browser';
      expect(decodeURIComponent(new URL(page.url()).pathname)).toBe(`/console/executions/${arn}`);
      await expect(page.locator('#sw-live').textContent()).resolves.toContain('Live');
      // While the clock stands still it waits in WaitForS3Processing; the page catches up by itself.
      await page.waitForSelector('.sw-canvas g.sw-state[data-state="WaitForS3Processing"][data-status="running"]', { timeout: 10_000 });
      await expect(page.locator('#sw-status [data-execution-status]').getAttribute('data-execution-status')).resolves.toBe('RUNNING');
      await shot('execution-running');
      world.skipper.resume();
      await page.waitForSelector('#sw-status [data-execution-status="SUCCEEDED"]', { timeout: 15_000 });
      await page.waitForSelector('.sw-canvas g.sw-state[data-state="NotifySuccess"][data-status="succeeded"]');
      await page.waitForSelector('#sw-history-rows tr[data-event-type="ExecutionSucceeded"]');
      await expect(page.locator('#sw-output pre.execution-output').textContent()).resolves.toContain('<b>db-2</b>');
      expect(JSON.parse((await world.deps.queries.execution(arn)).input)).toEqual({ hosts: ['web-1', '<b>db-2</b>'] });
      await shot('execution-started');
    } finally {
      world.skipper.resume();
    }
  });

  it('opens the executions page of a machine with 10,000 executions, paged (times are the bench\'s: npm run bench -- --only console)', async () => {
    await page.goto(`${base}/machines/Bulk`);
    await expect(page.locator('tr[data-execution]').count()).resolves.toBe(50);
    await expect(page.locator('a[data-next-page]').count()).resolves.toBe(1);
    // Its cost comes from the latest 50 (seeded without history: no transitions to count).
    await expect(page.locator('#sw-cost [data-cost-figure="per-execution"]').textContent()).resolves.toBe('0');
  });

  it('searches the executions by start time (UTC), a page at a time', async () => {
    await page.goto(`${base}/machines/Bulk`);
    // Seeded a second apart from 2025-01-01T00:00:00Z: 600 started in these ten minutes.
    await page.fill('#started-after', '2025-01-01T00:10:00');
    await page.fill('#started-before', '2025-01-01T00:20:00');
    await page.selectOption('[data-filter-form] select[name="status"]', 'FAILED');
    await Promise.all([page.waitForURL(/startedAfter=/), page.click('[data-filter-form] button[type="submit"]')]);
    const names = () => page.$$eval('tr[data-execution]', (rows) => rows.map((r) => r.getAttribute('data-execution')));
    const first = await names();
    expect(first).toHaveLength(50);
    expect(first[0]).toBe('bulk-01199');
    expect(first.at(-1)).toBe('bulk-00709');
    // Chromium sends whole minutes without their seconds; the form shows the window again.
    expect(new URL(page.url()).searchParams.get('startedAfter')).toBe('2025-01-01T00:10');
    await expect(page.locator('#started-after').inputValue()).resolves.toBe('2025-01-01T00:10');
    await Promise.all([page.waitForURL(/next=/), page.click('a[data-next-page]')]);
    const second = await names();
    expect(second).toHaveLength(10);
    expect(second[0]).toBe('bulk-00699');
    expect(second.at(-1)).toBe('bulk-00609');
    await expect(page.locator('a[data-next-page]').count()).resolves.toBe(0);
  });

  it('signs out', async () => {
    await page.goto(`${base}/`);
    await Promise.all([page.waitForURL(`${base}/login`), page.click('[data-sign-out]')]);
    const api = await page.request.get(`${base}/api/executions/${encodeURIComponent(ok)}`);
    expect(api.status()).toBe(401);
    await page.goto(`${base}/`);
    expect(new URL(page.url()).pathname).toBe('/console/login');
    expect(pageErrors).toEqual([]);
  });
});

/** Runs in the page: the CSS transform the script gave the diagram's canvas. */
function transformOfElement(el: unknown): string {
  return (el as { style: { transform: string } }).style.transform;
}

function scaleOf(transform: string): number {
  return Number(/scale\(([\d.]+)\)/.exec(transform)?.[1] ?? Number.NaN);
}

function translateOf(transform: string): [number, number] {
  const m = /translate\((-?[\d.]+)px(?:,\s*(-?[\d.]+)px)?\)/.exec(transform);
  return [Number(m?.[1] ?? Number.NaN), Number(m?.[2] ?? 0)];
}

/** The fill of a state's shape (its first rect or polygon). */
function fillOf(page: Page, state: string): Promise<string | null> {
  return page.locator(`.sw-canvas g.sw-state[data-state="${state}"]`).locator('rect, polygon').first().getAttribute('fill');
}
