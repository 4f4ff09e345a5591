/**
 * The scheduler on a fake clock over a real SQLite file store: each tick fires once, on time,
 * across two schedulers on one store (two processes' worth) and across restarts.
 */
import { describe, expect, it } from 'vitest';
import { StateMachineService } from '../../src/service/state-machines.js';
import { declareRules, ruleArn, RULE_KIND, stateMachineRef } from '../../src/scheduler/rules.js';
import { executionName, TICK_KIND } from '../../src/scheduler/scheduler.js';
import { openStore } from '../../src/stores/open.js';
import { postgresOrSkip, postgresStore } from '../durable/stores.js';
import { DEFINITION, MIN, rule, T0, useSchedulerWorld } from './fixture.js';

const world = useSchedulerWorld();
const { open, scheduler, names, run } = world;

describe('Scheduler', () => {
  it('fires rate(10 minutes) six times in an hour, first one period after creation', async () => {
    const store = world.store;
    const fired: string[] = [];
    await declareRules(store, [rule('Every10', 'rate(10 minutes)')], world.clock.now());
    const s = scheduler(store, { onFired: (r) => fired.push(r) });
    await run(9, s);
    expect(await names(store)).toEqual([]);
    await run(51, s);
    expect(await names(store)).toEqual(['Every10-20260101T001000Z', 'Every10-20260101T002000Z', 'Every10-20260101T003000Z', 'Every10-20260101T004000Z', 'Every10-20260101T005000Z', 'Every10-20260101T010000Z']);
    expect(fired).toEqual(Array(6).fill('Every10'));
    const first = await store.getExecution('arn:aws:states:us-east-1:123456789012:execution:Pipeline:Every10-20260101T001000Z');
    expect(first?.startTime).toBe(T0 + 10 * MIN);
    // No Input: EventBridge's Scheduled Event.
    expect(JSON.parse(first?.input ?? '{}')).toMatchObject({ 'detail-type': 'Scheduled Event', source: 'aws.events', time: '2026-01-01T00:10:00Z', resources: [ruleArn('Every10')] });
    const tick = await store.getResource(TICK_KIND, `${ruleArn('Every10')}#${T0 + 10 * MIN}`);
    expect(tick?.doc).toMatchObject({ status: 'fired', targets: [{ id: 't1', name: 'Every10-20260101T001000Z' }] });
  });

  it('fires cron(0/15 * * * ? *) at :00, :15, :30 and :45, with the target input', async () => {
    const store = world.store;
    await declareRules(store, [rule('Quarter', 'cron(0/15 * * * ? *)', { targets: [{ id: 'a', stateMachineArn: stateMachineRef('Pipeline'), input: '{"k":1}' }] })], world.clock.now());
    const s = scheduler(store);
    await run(60, s);
    expect(await names(store)).toEqual(['Quarter-20260101T001500Z', 'Quarter-20260101T003000Z', 'Quarter-20260101T004500Z', 'Quarter-20260101T010000Z']);
    const e = await store.getExecution('arn:aws:states:us-east-1:123456789012:execution:Pipeline:Quarter-20260101T003000Z');
    expect(e?.input).toBe('{"k":1}');
  });

  it('fires each tick once with two schedulers (two store connections) ticking the same instants', async () => {
    const a = world.store;
    const b = open();
    await declareRules(a, [rule('Every10', 'rate(10 minutes)'), rule('Quarter', 'cron(0/15 * * * ? *)')], world.clock.now());
    const firedA: string[] = [];
    const firedB: string[] = [];
    const sa = scheduler(a, { onFired: (r) => firedA.push(r) });
    const sb = scheduler(b, { onFired: (r) => firedB.push(r) });
    // Concurrently at each instant, as two processes would.
    for (let i = 0; i < 60; i++) {
      world.clock.advance(MIN);
      await Promise.all([sa.tick(world.clock.now()), sb.tick(world.clock.now())]);
    }
    expect(await names(a)).toHaveLength(10);
    expect(firedA.length + firedB.length).toBe(10);
    const ticks = await a.listResources(TICK_KIND, { limit: 100 });
    expect(ticks).toHaveLength(10);
    expect(ticks.every((t) => (t.doc as { status: string }).status === 'fired')).toBe(true);
  });

  it('fires nothing twice after a restart, and skips the ticks missed while down', async () => {
    const store = world.store;
    await declareRules(store, [rule('Every10', 'rate(10 minutes)')], world.clock.now());
    const first = scheduler(store);
    await run(20, first);
    await first.stop();
    expect(await names(store)).toEqual(['Every10-20260101T001000Z', 'Every10-20260101T002000Z']);
    // Restart at the same instant: the 00:20 tick is not fired again.
    const again = scheduler(open());
    await again.tick(world.clock.now());
    expect(await names(store)).toHaveLength(2);
    // Down from 00:20 to 00:45: 00:30 and 00:40 are skipped; the next start fires from 00:50 on.
    world.clock.advance(25 * MIN);
    const later = scheduler(open());
    await run(15, later);
    expect(await names(store)).toEqual(['Every10-20260101T001000Z', 'Every10-20260101T002000Z', 'Every10-20260101T005000Z', 'Every10-20260101T010000Z']);
  });

  it('fires nothing for a DISABLED rule, and re-anchors rate() when it is enabled', async () => {
    const store = world.store;
    await declareRules(store, [rule('Off', 'rate(10 minutes)', { state: 'DISABLED' })], world.clock.now());
    const s = scheduler(store);
    await run(60, s);
    expect(await names(store)).toEqual([]);
    expect(await store.countResources(TICK_KIND, { limit: 10 })).toBe(0);
    await declareRules(store, [rule('Off', 'rate(10 minutes)')], world.clock.now() + 5 * MIN);
    world.clock.advance(5 * MIN);
    await run(10, s);
    expect(await names(store)).toEqual(['Off-20260101T011500Z']);
  });

  it('records a tick whose target machine does not exist as failed, and does not retry it', async () => {
    const store = world.store;
    await declareRules(store, [rule('Ghost', 'rate(10 minutes)', { targets: [{ id: 'x', stateMachineArn: stateMachineRef('Missing') }] })], world.clock.now());
    const s = scheduler(store, { staleClaimMs: MIN });
    await run(10, s);
    const arn = `${ruleArn('Ghost')}#${T0 + 10 * MIN}`;
    const rec = await store.getResource(TICK_KIND, arn);
    expect(rec?.doc).toMatchObject({ status: 'failed', targets: [{ id: 'x', error: 'StateMachineDoesNotExist' }] });
    await run(5, s);
    expect((await store.getResource(TICK_KIND, arn))?.revision).toBe(2);
    expect(await names(store)).toEqual([]);
  });

  it('recovers a tick claimed by a process that died before starting it, once', async () => {
    const store = world.store;
    await declareRules(store, [rule('Every10', 'rate(10 minutes)')], world.clock.now());
    // A process claimed the 00:10 tick and died.
    const tick = T0 + 10 * MIN;
    world.clock.set(tick);
    expect(await store.createResource(TICK_KIND, `${ruleArn('Every10')}#${tick}`, 'Every10', { rule: 'Every10', tick, status: 'claimed' }, tick)).toBe(true);
    const s = scheduler(open(), { staleClaimMs: 2 * MIN });
    await s.tick(world.clock.now());
    expect(await names(store)).toEqual([]); // not stale yet: its owner may still be starting it
    await run(3, s);
    expect(await names(store)).toEqual(['Every10-20260101T001000Z']);
    expect((await store.getResource(TICK_KIND, `${ruleArn('Every10')}#${tick}`))?.doc).toMatchObject({ status: 'fired' });
    // A crash after the start but before completing the claim: the retry finds the execution by name.
    await store.updateResource(TICK_KIND, `${ruleArn('Every10')}#${tick}`, { rule: 'Every10', tick, status: 'claimed' }, 2, world.clock.now());
    await run(3, s);
    expect(await names(store)).toEqual(['Every10-20260101T001000Z']);
    expect((await store.getResource(TICK_KIND, `${ruleArn('Every10')}#${tick}`))?.doc).toMatchObject({ status: 'fired' });
  });

  it('runs on the clock port with start() and stop()', async () => {
    const store = world.store;
    await declareRules(store, [rule('Every10', 'rate(10 minutes)')], world.clock.now());
    const s = scheduler(store, { pollMs: 1 });
    s.start();
    world.clock.advance(10 * MIN);
    await expect.poll(() => names(store), { timeout: 2000, interval: 5 }).toEqual(['Every10-20260101T001000Z']);
    await s.stop();
  });

  it('keeps rules in the store, anchored when created', async () => {
    const store = world.store;
    await declareRules(store, [rule('A', 'rate(1 hour)', { description: 'hourly' })], T0);
    await declareRules(store, [rule('A', 'rate(1 hour)', { description: 'changed' })], T0 + MIN);
    expect((await store.getResource(RULE_KIND, ruleArn('A')))?.doc).toMatchObject({ createdAt: T0, description: 'changed' });
    await declareRules(store, [rule('A', 'rate(2 hours)')], T0 + 2 * MIN);
    expect((await store.getResource(RULE_KIND, ruleArn('A')))?.doc).toMatchObject({ createdAt: T0 + 2 * MIN });
    await expect(declareRules(store, [rule('B', 'rate(1 hours)')], T0)).rejects.toThrow(/rule 'B': invalid scheduleExpression/);
  });

  it('derives execution names within 80 characters, distinct per target of one machine', () => {
    const arn = stateMachineRef('Pipeline');
    const long = { name: 'r'.repeat(64), scheduleExpression: 'rate(1 hour)', state: 'ENABLED' as const, createdAt: T0, targets: [{ id: 'a', stateMachineArn: arn }, { id: 'b', stateMachineArn: arn }] };
    const [a, b] = long.targets.map((t) => executionName(long, t, T0));
    expect(a).toHaveLength(80);
    expect(a).not.toBe(b);
    expect(a?.endsWith('-20260101T000000Z')).toBe(true);
  });
});

describe('Scheduler on PostgreSQL', () => {
  it('fires an hourly rule exactly 48 times over 48 hours with three processes', async () => {
    if (!(await postgresOrSkip())) return;
    const pgStore = await postgresStore();
    const others = [openStore(pgStore.url), openStore(pgStore.url)];
    try {
      await new StateMachineService({ store: pgStore.store, clock: world.clock }).create({ name: 'Pipeline', definition: DEFINITION, roleArn: 'arn:aws:iam::123456789012:role/r' });
      await declareRules(pgStore.store, [rule('Hourly', 'rate(1 hour)', { targets: [{ id: 'p', stateMachineArn: stateMachineRef('Pipeline'), input: '{"run":true}' }] })], world.clock.now());
      const fired: string[] = [];
      const schedulers = [pgStore.store, ...others].map((st) => scheduler(st, { onFired: (r) => fired.push(r) }));
      for (let i = 0; i < 48 * 4; i++) {
        world.clock.advance(15 * MIN);
        await Promise.all(schedulers.map((sc) => sc.tick(world.clock.now())));
      }
      const recs = await pgStore.store.listExecutions({ limit: 1000 });
      expect(recs).toHaveLength(48);
      expect(new Set(recs.map((r) => r.name)).size).toBe(48);
      expect(recs.every((r) => r.input === '{"run":true}')).toBe(true);
      expect(fired).toHaveLength(48);
    } finally {
      for (const o of others) await o.close();
      await pgStore.cleanup();
    }
  }, 60_000);
});
