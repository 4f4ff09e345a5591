/** `stepwise schedules …` against a running server: list, describe, next fire times, pause and resume. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { RULE_KIND, ruleArn, stateMachineRef } from '../../src/scheduler/rules.js';
import { startHarness, type Harness } from '../api/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    args: {
      rules: [
        { name: 'Hourly', scheduleExpression: 'rate(1 hour)', state: 'ENABLED', targets: [{ id: 'p', stateMachineArn: stateMachineRef('Pipeline') }], catchUp: { policy: 'latest' }, overlap: 'skip' },
        { name: 'Nightly', scheduleExpression: 'cron(30 2 * * ? *)', state: 'DISABLED', targets: [] },
      ],
    },
  });
});
afterAll(async () => {
  await h.stop();
});

async function cli(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main([...args, '--endpoint', h.url], (l) => out.push(l), (l) => err.push(l));
  return { code, out, err };
}

async function anchor(name: string): Promise<number> {
  const rec = await h.server.store.getResource(RULE_KIND, ruleArn(name));
  return (rec?.doc as { createdAt: number }).createdAt;
}

describe('stepwise schedules', () => {
  it('lists rules with their next fire time and policies', async () => {
    const r = await cli('schedules', 'list', '--json');
    expect(r.code).toBe(0);
    const { rules } = JSON.parse(r.out[0] as string) as { rules: Record<string, unknown>[] };
    const first = new Date((await anchor('Hourly')) + 3_600_000).toISOString();
    expect(rules).toEqual([
      { name: 'Hourly', schedule: 'rate(1 hour)', state: 'ENABLED', next: first, catchUp: 'latest', overlap: 'skip' },
      { name: 'Nightly', schedule: 'cron(30 2 * * ? *)', state: 'DISABLED', next: expect.stringMatching(/T02:30:00\.000Z$/), catchUp: 'skip', overlap: 'allow' },
    ]);
    const table = await cli('schedules', 'list');
    expect(table.out[0]).toMatch(/^name\s+schedule\s+state\s+next\s+catchUp\s+overlap$/);
  });

  it('previews the next fire times, one period apart from the anchor', async () => {
    const a = await anchor('Hourly');
    const r = await cli('schedules', 'next', 'Hourly', '--count', '3');
    expect(r.code).toBe(0);
    expect(r.out).toEqual([1, 2, 3].map((k) => new Date(a + k * 3_600_000).toISOString()));
    const cron = await cli('schedules', 'next', 'Nightly', '--count', '2');
    expect(cron.out[0]).toBe('note: rule Nightly is disabled; these are the times it would fire');
    expect(cron.out.slice(1)).toHaveLength(2);
    expect(cron.out.slice(1).every((t) => t.endsWith('T02:30:00.000Z'))).toBe(true);
  });

  it('pauses and resumes a rule; describe shows it', async () => {
    expect((await cli('schedules', 'pause', 'Hourly', '--note', 'maintenance')).out).toEqual(['paused Hourly']);
    const d = JSON.parse((await cli('schedules', 'describe', 'Hourly', '--json')).out[0] as string) as Record<string, unknown>;
    expect(d).toMatchObject({ Name: 'Hourly', State: 'ENABLED', Paused: { Note: 'maintenance' }, CatchUp: { Policy: 'latest' }, Overlap: 'skip' });
    const listed = JSON.parse((await cli('schedules', 'list', '--json')).out[0] as string) as { rules: { name: string; state: string }[] };
    expect(listed.rules.find((x) => x.name === 'Hourly')?.state).toBe('PAUSED');
    const resumed = await cli('schedules', 'resume', 'Hourly');
    expect(resumed.out[0]).toMatch(/^resumed Hourly; next: \d{4}-/);
    const after = JSON.parse((await cli('schedules', 'describe', 'Hourly', '--json')).out[0] as string) as Record<string, unknown>;
    expect(after['Paused']).toBeUndefined();
  });

  it('answers an unknown rule with ResourceNotFoundException', async () => {
    const r = await cli('schedules', 'next', 'Nope');
    expect(r.code).not.toBe(0);
    expect(r.err.join('\n')).toMatch(/ResourceNotFoundException|does not exist/);
  });

  it('creates a Scheduler-style schedule from the CLI (time zone, policies), refuses invalid ones with AWS errors, and deletes it', async () => {
    const r = await cli('schedules', 'create', 'Berlin', '--expression', 'cron(30 9 * * ? *)', '--target', 'Pipeline', '--input', '{"from":"cli"}', '--time-zone', 'Europe/Berlin', '--catch-up', 'latest', '--catch-up-window', '3600', '--overlap', 'skip', '--json');
    expect(r.code).toBe(0);
    const d = JSON.parse(r.out[0] as string) as Record<string, unknown>;
    expect(d).toMatchObject({ Name: 'Berlin', ScheduleExpression: 'cron(30 9 * * ? *)', TimeZone: 'Europe/Berlin', CatchUp: { Policy: 'latest', WindowSeconds: 3600 }, Overlap: 'skip' });
    // 09:30 in Berlin is 08:30 UTC in winter, 07:30 in summer.
    expect((d['NextFireTimes'] as string[])[0]).toMatch(/T0[78]:30:00\.000Z$/);
    const bad = await cli('schedules', 'create', 'Bad', '--expression', 'cron(0 9 * * * *)', '--target', 'Pipeline');
    expect(bad.code).not.toBe(0);
    expect(bad.err.join('\n')).toMatch(/ValidationException|not valid/);
    const zone = await cli('schedules', 'create', 'Zone', '--expression', 'rate(1 hour)', '--target', 'Pipeline', '--time-zone', 'Mars/Olympus');
    expect(zone.err.join('\n')).toMatch(/ScheduleExpressionTimezone is not valid/);
    expect((await cli('schedules', 'delete', 'Berlin')).out).toEqual(['deleted Berlin']);
    expect((await cli('schedules', 'next', 'Berlin')).code).not.toBe(0);
  });
});
