/**
 * Every service-free execution recorded against AWS runs through the engine; the share whose
 * outcome matches must not drop below the floor recorded in test/conformance/floor.json.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { conformanceDir, integrationCases, loadCases, notRunnable, runCase, serviceFree } from './conformance/cases.js';

const cases = loadCases();
const floors = JSON.parse(readFileSync(new URL('./conformance/floor.json', import.meta.url), 'utf8')) as { minPassRate: number; integrationMinPassed: number };
const floor = floors.minPassRate;

if (!cases) console.warn(`conformance: SKIPPED, no recorded cases at ${conformanceDir()}`);

describe.skipIf(!cases)('conformance with executions recorded against AWS', () => {
  it(`reproduces at least ${floor * 100}% of the service-free recorded outcomes`, async () => {
    const selected = serviceFree(cases ?? []);
    const results = [];
    for (const c of selected) results.push(await runCase(c));
    const passed = results.filter((r) => r.ok).length;
    const failing = results.filter((r) => !r.ok).map((r) => `${r.id}: ${r.reason ?? ''}`);
    console.log(`conformance: ${passed}/${results.length} outcomes match AWS`);
    expect(selected.length).toBeGreaterThan(0);
    expect(passed / results.length, failing.slice(0, 20).join('\n')).toBeGreaterThanOrEqual(floor);
  }, 120_000);

  it(`reproduces at least ${floors.integrationMinPassed} of the recorded cases that need services, with local integrations`, async () => {
    const selected = integrationCases(cases ?? []);
    let passed = 0;
    const failing: string[] = [];
    for (const c of selected) {
      const why = notRunnable(c);
      if (why) continue;
      const r = await runCase(c);
      if (r.ok) passed++;
      else failing.push(`${r.id}: ${r.reason ?? ''}`);
    }
    console.log(`conformance: ${passed}/${selected.length} outcomes of cases that need services match AWS`);
    expect(passed, failing.slice(0, 20).join('\n')).toBeGreaterThanOrEqual(floors.integrationMinPassed);
  }, 180_000);
});
