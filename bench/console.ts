/**
 * The console section: `stepwise serve` (compiled, embedded SQLite, its own process) holding
 * 10,000 executions of one state machine, and headless Chromium (Debian's, driven by
 * playwright-core) opening the machine's page (its executions list) and one execution's page.
 * Prints the first contentful paint of each (median of 5 fresh page loads) beside the goal of
 * 1 s, as ratios. No peer: no other engine serves a console locally.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { sfnCalls } from './api-client.js';
import { startStepwise } from './api-servers.js';

const EXECUTIONS = 10_000;
const IN_FLIGHT = 64;
const LOADS = 5;
const GOAL_MS = 1000;
const CHROMIUM = process.env['STEPWISE_CHROMIUM'] ?? '/usr/bin/chromium';
const DEFINITION = JSON.stringify({
  StartAt: 'Prepare',
  States: { Prepare: { Type: 'Pass', Next: 'Check' }, Check: { Type: 'Choice', Choices: [{ Variable: '$.ok', BooleanEquals: true, Next: 'Done' }], Default: 'Done' }, Done: { Type: 'Succeed' } },
});

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

export async function runConsoleSection(): Promise<void> {
  process.stdout.write('\n== console: first contentful paint in headless Chromium, 10,000 executions of one machine\n');
  if (!existsSync(CHROMIUM)) {
    process.stdout.write(`console: SKIPPED (no Chromium at ${CHROMIUM}; apt-get install chromium)\n`);
    return;
  }
  const server = await startStepwise();
  const calls = sfnCalls('raw', server.url, IN_FLIGHT);
  const profile = mkdtempSync(join(tmpdir(), 'stepwise-bench-chromium-'));
  try {
    const machineArn = await calls.createStateMachine('ConsoleBench', DEFINITION);
    const t0 = Date.now();
    let next = 0;
    let last = '';
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        for (let i = next++; i < EXECUTIONS; i = next++) last = await calls.startExecution(machineArn, `run-${String(i).padStart(5, '0')}`, '{"ok":true}');
      }),
    );
    while (await calls.anyRunning(machineArn)) await new Promise((r) => setTimeout(r, 100));
    process.stdout.write(`seeded ${EXECUTIONS} executions in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    const browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const pages: [string, string][] = [
        ['executions page (/console/machines/ConsoleBench)', `${server.url}/console/machines/ConsoleBench`],
        ['execution page (/console/executions/…)', `${server.url}/console/executions/${encodeURIComponent(last)}`],
      ];
      process.stdout.write(`${'page'.padEnd(52)} ${'FCP median'.padStart(11)} ${'min'.padStart(7)} ${'max'.padStart(7)}   goal   goal/FCP\n`);
      for (const [label, url] of pages) {
        const paints: number[] = [];
        for (let i = 0; i < LOADS; i++) {
          // A fresh page each time (the persistent profile keeps the HTTP cache, as a returning user has).
          const page = await browser.newPage();
          await page.goto(url, { waitUntil: 'load' });
          const fcp = await page.evaluate(
            () =>
              new Promise<number>((resolve) => {
                const seen = performance.getEntriesByName('first-contentful-paint')[0];
                if (seen) return resolve(seen.startTime);
                new PerformanceObserver((list) => {
                  const e = list.getEntries().find((x) => x.name === 'first-contentful-paint');
                  if (e) resolve(e.startTime);
                }).observe({ type: 'paint', buffered: true } as never); // runs in the page, where 'paint' is an entry type
                setTimeout(() => resolve(Number.NaN), 10_000);
              }),
          );
          if (Number.isNaN(fcp)) throw new Error(`no first-contentful-paint entry for ${url}`);
          paints.push(fcp);
          await page.close();
        }
        const m = median(paints);
        process.stdout.write(`${label.padEnd(52)} ${`${m.toFixed(0)} ms`.padStart(11)} ${`${Math.min(...paints).toFixed(0)}`.padStart(7)} ${`${Math.max(...paints).toFixed(0)}`.padStart(7)}   ${GOAL_MS} ms   ${(GOAL_MS / m).toFixed(1)}x ${m < GOAL_MS ? '(goal met)' : '(goal NOT met)'}\n`);
      }
    } finally {
      await browser.close();
    }
  } finally {
    calls.close();
    await server.stop();
    rmSync(profile, { recursive: true, force: true });
  }
}
