/**
 * What operators need beyond EventBridge, on a fake clock over a real SQLite store: catch-up
 * after an outage (skip, latest, all within a window), overlap (skip while the rule's previous
 * execution runs), pause/resume, flexible windows, Scheduler-style schedules, claim pruning.
 */
import { describe, expect, it } from 'vitest';
import { DurableRunner } from '../../src/engine/runner.js';
import { declareRules, pauseRule, resumeRule, ruleArn, stateMachineRef, type CatchUp } from '../../src/scheduler/rules.js';
import { TICK_KIND } from '../../src/scheduler/scheduler.js';
import { upcomingFireTimes } from '../../src/scheduler/schedule-ops.js';
import { fireTime, type TickDoc } from '../../src/scheduler/ticks.js';
import { postgresOrSkip, postgresStore } from '../durable/stores.js';
import { openStore } from '../../src/stores/open.js';
import { StateMachineService } from '../../src/service/state-machines.js';
import { DEFINITION, HOUR, MIN, rule, T0, useSchedulerWorld } from './fixture.js';

const world = useSchedulerWorld();
const hourly = (name: string, catchUp?: CatchUp) => rule(name, 'rate(1 hour)', { targets: [{ id: 'p', stateMachineArn: stateMachineRef('Pipeline'), input: '{"source":"schedule"}' }], ...(catchUp && { catchUp }) });
/** `Hourly-20260101T050000Z` for hour 5. */
const at = (h: number) => `Hourly-${new Date(T0 + h * HOUR).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '')}`;
const hours = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => at(from + i));

/** Up 5 h (ticks 1–5), down 10 h (ticks 6–15 missed), up again 3 h (ticks 16–18). */
async function outage(catchUp?: CatchUp): Promise<void> {
  await declareRules(world.store, [hourly('Hourly', catchUp)], world.clock.now());
  const before = world.scheduler(world.store);
  await world.run(5 * 60, before);
  await before.stop();
  world.clock.advance(10 * HOUR);
  const after = world.scheduler(world.open());
  await world.run(3 * 60, after);
}

describe('an hourly rule', () => {
  it('starts exactly 48 executions over 48 simulated hours, each with the target input', async () => {
    await declareRules(world.store, [hourly('Hourly')], world.clock.now());
    await world.run(48 * 60, world.scheduler(world.store));
    const recs = await world.store.listExecutions({ limit: 1000 });
    expect(recs.map((r) => r.name).sort()).toEqual(hours(1, 48));
    expect(recs.every((r) => r.input === '{"source":"schedule"}')).toBe(true);
  });
});

describe('catch-up after a 10-hour outage', () => {
  it('skip (the default, as EventBridge): none of the ten missed ticks fire', async () => {
    await outage();
    expect(await world.names()).toEqual([...hours(1, 5), ...hours(16, 18)]);
  });

  it('latest: only the last missed tick fires, once, at restart', async () => {
    await outage({ policy: 'latest' });
    expect(await world.names()).toEqual([...hours(1, 5), at(15), ...hours(16, 18)]);
    const e = await world.store.getExecution(`arn:aws:states:us-east-1:123456789012:execution:Pipeline:${at(15)}`);
    expect(e?.startTime).toBe(T0 + 15 * HOUR + 1 * MIN); // started when the scheduler came back, not at 15:00
    const claim = await world.store.getResource(TICK_KIND, `${ruleArn('Hourly')}#${T0 + 15 * HOUR}`);
    expect(claim?.doc).toMatchObject({ status: 'fired', catchUp: true });
  });

  it('all: every missed tick fires once', async () => {
    await outage({ policy: 'all' });
    expect(await world.names()).toEqual(hours(1, 18));
  });

  it('all within a 4-hour window: only the missed ticks of the last 4 hours fire', async () => {
    await outage({ policy: 'all', windowMs: 4 * HOUR });
    expect(await world.names()).toEqual([...hours(1, 5), ...hours(12, 18)]);
  });

  it('all, with another process up all along: nothing fires twice', async () => {
    await declareRules(world.store, [hourly('Hourly', { policy: 'all' })], world.clock.now());
    const steady = world.scheduler(world.store);
    await world.run(10 * 60, steady);
    const late = world.scheduler(world.open());
    await world.run(2 * 60, steady, late);
    expect(await world.names()).toEqual(hours(1, 12));
  });
});

describe('Scheduler on PostgreSQL after an outage', () => {
  it('three processes catching up with policy all fire each missed tick once', async () => {
    if (!(await postgresOrSkip())) return;
    const pg = await postgresStore();
    const stores = [pg.store, openStore(pg.url), openStore(pg.url)];
    try {
      await new StateMachineService({ store: pg.store, clock: world.clock }).create({ name: 'Pipeline', definition: DEFINITION, roleArn: 'arn:aws:iam::123456789012:role/r' });
      await declareRules(pg.store, [hourly('Hourly', { policy: 'all' })], world.clock.now());
      const first = stores.map((st) => world.scheduler(st));
      for (let i = 0; i < 5 * 4; i++) {
        world.clock.advance(15 * MIN);
        await Promise.all(first.map((sc) => sc.tick(world.clock.now())));
      }
      world.clock.advance(10 * HOUR);
      const again = stores.map((st) => world.scheduler(st));
      for (let i = 0; i < 3 * 4; i++) {
        world.clock.advance(15 * MIN);
        await Promise.all(again.map((sc) => sc.tick(world.clock.now())));
      }
      expect(await world.names(pg.store)).toEqual(hours(1, 18));
    } finally {
      for (const s of stores.slice(1)) await s.close();
      await pg.cleanup();
    }
  }, 60_000);
});

describe('overlap', () => {
  // No runner runs these executions: they stay RUNNING, like a long pipeline run, until one does.
  async function finish(name: string): Promise<void> {
    const runner = new DurableRunner({ store: world.store, clock: world.clock, invoker: { invoke: () => Promise.reject(new Error('no tasks here')) } });
    while ((await world.store.getExecution(`arn:aws:states:us-east-1:123456789012:execution:Pipeline:${name}`))?.status === 'RUNNING') await runner.runOnce();
  }

  it('allow (the default): every tick starts an execution, running or not', async () => {
    await declareRules(world.store, [rule('Every10', 'rate(10 minutes)')], world.clock.now());
    await world.run(30, world.scheduler(world.store));
    expect(await world.names()).toHaveLength(3);
  });

  it('skip: no new execution while the previous one of the rule runs; records why', async () => {
    const skipped: string[] = [];
    await declareRules(world.store, [rule('Every10', 'rate(10 minutes)', { overlap: 'skip' })], world.clock.now());
    const s = world.scheduler(world.store, { onSkipped: (r, why) => skipped.push(`${r}:${why}`) });
    await world.run(30, s);
    expect(await world.names()).toEqual(['Every10-20260101T001000Z']);
    expect(skipped).toEqual(['Every10:overlap', 'Every10:overlap']);
    const claim = await world.store.getResource(TICK_KIND, `${ruleArn('Every10')}#${T0 + 20 * MIN}`);
    expect(claim?.doc).toMatchObject({ status: 'skipped', targets: [{ id: 't1', skipped: 'overlap' }] });
    await finish('Every10-20260101T001000Z');
    await world.run(10, s);
    expect(await world.names()).toEqual(['Every10-20260101T001000Z', 'Every10-20260101T004000Z']);
  });

  it('skip looks only at executions this rule started', async () => {
    await declareRules(world.store, [rule('Every10', 'rate(10 minutes)', { overlap: 'skip' }), rule('Other', 'rate(5 minutes)')], world.clock.now());
    await world.run(20, world.scheduler(world.store));
    expect((await world.names()).filter((n) => n.startsWith('Every10-'))).toEqual(['Every10-20260101T001000Z']);
    expect((await world.names()).filter((n) => n.startsWith('Other-'))).toHaveLength(4);
  });
});

describe('pause and resume', () => {
  it('lets ticks pass while paused, never catches them up, and keeps the rate() anchor', async () => {
    await declareRules(world.store, [rule('Every10', 'rate(10 minutes)', { catchUp: { policy: 'all' } })], world.clock.now());
    const s = world.scheduler(world.store);
    await world.run(25, s);
    await pauseRule(world.store, 'Every10', () => world.clock.now(), 'maintenance');
    await world.run(30, s);
    expect(await world.names()).toEqual(['Every10-20260101T001000Z', 'Every10-20260101T002000Z']);
    await resumeRule(world.store, 'Every10', () => world.clock.now());
    // A restart after the resume must not catch up the paused ticks either.
    const restarted = world.scheduler(world.open());
    await world.run(10, restarted);
    expect(await world.names()).toEqual(['Every10-20260101T001000Z', 'Every10-20260101T002000Z', 'Every10-20260101T010000Z']);
  });

  it('survives a re-declaration of the same rules at startup', async () => {
    await declareRules(world.store, [rule('Every10', 'rate(10 minutes)')], world.clock.now());
    await pauseRule(world.store, 'Every10', () => world.clock.now());
    await declareRules(world.store, [rule('Every10', 'rate(10 minutes)')], world.clock.now());
    await world.run(30, world.scheduler(world.store));
    expect(await world.names()).toEqual([]);
  });
});

describe('Scheduler-style schedules', () => {
  it('flexible window: each tick fires once, within the window after it, at the same offset in every process', async () => {
    const decl = rule('Flex', 'rate(1 hour)', { flexibleWindowMinutes: 15 });
    await declareRules(world.store, [decl], world.clock.now());
    const a = world.scheduler(world.store);
    const b = world.scheduler(world.open());
    await world.run(6 * 60 + 15, a, b);
    const recs = await world.store.listExecutions({ limit: 100 });
    // A Scheduler rate() without a start date fires at once (00:00), then every hour.
    expect(recs).toHaveLength(7);
    for (const r of recs) {
      const tick = Date.parse(r.name.replace(/^Flex-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
      expect(r.startTime - tick).toBeGreaterThanOrEqual(0);
      expect(r.startTime - tick).toBeLessThan(15 * MIN + MIN);
    }
    const full = { ...decl, createdAt: T0 };
    expect(new Set([1, 2, 3, 4].map((h) => fireTime(full, T0 + h * HOUR) - (T0 + h * HOUR))).size).toBeGreaterThan(1);
  });

  it('at(): fires once at that wall-clock time in its zone', async () => {
    // 2026-01-01T03:30 in New York is 08:30 UTC.
    await declareRules(world.store, [rule('Once', 'at(2026-01-01T03:30:00)', { timeZone: 'America/New_York' })], world.clock.now());
    await world.run(12 * 60, world.scheduler(world.store));
    expect(await world.names()).toEqual(['Once-20260101T083000Z']);
  });

  it('cron in a time zone with start and end dates', async () => {
    // 09:00 in Berlin (08:00 UTC in winter), only from Jan 2 to Jan 4 (exclusive).
    await declareRules(world.store, [rule('Berlin', 'cron(0 9 * * ? *)', { timeZone: 'Europe/Berlin', startDate: Date.UTC(2026, 0, 2), endDate: Date.UTC(2026, 0, 4) })], world.clock.now());
    await world.run(5 * 24 * 60, world.scheduler(world.store));
    expect(await world.names()).toEqual(['Berlin-20260102T080000Z', 'Berlin-20260103T080000Z']);
  });

  it('previews the next fire times as the scheduler computes them', () => {
    const r = { ...rule('Every10', 'rate(10 minutes)'), createdAt: T0 };
    expect(upcomingFireTimes(r, T0 + 25 * MIN, 3).map((t) => new Date(t).toISOString())).toEqual(['2026-01-01T00:30:00.000Z', '2026-01-01T00:40:00.000Z', '2026-01-01T00:50:00.000Z']);
  });
});

describe('tick claims', () => {
  it('are pruned after seven days', async () => {
    await declareRules(world.store, [rule('Daily', 'rate(1 day)')], world.clock.now());
    const s = world.scheduler(world.store);
    for (let d = 0; d < 10; d++) {
      world.clock.advance(24 * HOUR);
      await s.tick(world.clock.now());
    }
    // Pruning runs at most hourly: an hour later the ticks of days 1-3 are past the seven days.
    world.clock.advance(HOUR + MIN);
    await s.tick(world.clock.now());
    const ticks = (await world.store.listResources(TICK_KIND, { limit: 100 })).map((r) => (r.doc as unknown as TickDoc).tick);
    expect(ticks.map((t) => (t - T0) / (24 * HOUR))).toEqual([4, 5, 6, 7, 8, 9, 10]);
    expect(await world.names()).toHaveLength(10);
  });
});
