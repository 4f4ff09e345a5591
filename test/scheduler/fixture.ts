/**
 * A world for scheduler tests: a fake clock, a real SQLite file store with one state machine
 * `Pipeline`, and helpers to drive schedulers over it minute by minute.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { FakeClock } from '../../src/engine/clock.js';
import type { Store } from '../../src/engine/store.js';
import { ExecutionService } from '../../src/service/executions.js';
import { StateMachineService } from '../../src/service/state-machines.js';
import { stateMachineRef, type RuleDeclaration } from '../../src/scheduler/rules.js';
import { Scheduler, serviceStarter, storeIsRunning } from '../../src/scheduler/scheduler.js';
import { openStore } from '../../src/stores/open.js';

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const T0 = Date.UTC(2026, 0, 1);
export const DEFINITION = JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } });

export interface SchedulerWorld {
  readonly clock: FakeClock;
  /** The first store (migrated, with `Pipeline`). */
  readonly store: Store;
  /** Another connection to the same file, as another process would have. */
  open(): Store;
  scheduler(store: Store, extra?: Partial<ConstructorParameters<typeof Scheduler>[0]>): Scheduler;
  /** Names of all executions, sorted. */
  names(store?: Store): Promise<string[]>;
  /** Advance minute by minute through `minutes`, each scheduler ticking the same instants. */
  run(minutes: number, ...schedulers: Scheduler[]): Promise<void>;
}

/** Registers beforeEach/afterEach hooks; the world's members are valid inside tests. */
export function useSchedulerWorld(): SchedulerWorld {
  let dir = '';
  let stores: Store[] = [];
  let clock = new FakeClock(T0);
  const open = (): Store => {
    const s = openStore(`sqlite:${join(dir, 'stepwise.db')}`);
    stores.push(s);
    return s;
  };
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stepwise-scheduler-'));
    stores = [];
    clock = new FakeClock(T0);
    const store = open();
    await store.migrate();
    await new StateMachineService({ store, clock }).create({ name: 'Pipeline', definition: DEFINITION, roleArn: 'arn:aws:iam::123456789012:role/r' });
  });
  afterEach(async () => {
    for (const s of stores) await s.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    get clock() {
      return clock;
    },
    get store() {
      return stores[0] as Store;
    },
    open,
    scheduler(store, extra = {}) {
      const executions = new ExecutionService({ store, clock });
      const stateMachines = new StateMachineService({ store, clock });
      return new Scheduler({ store, clock, start: serviceStarter(executions, stateMachines), isRunning: storeIsRunning(store), log: () => undefined, ...extra });
    },
    async names(store = stores[0] as Store) {
      const recs = await store.listExecutions({ limit: 10_000 });
      return recs.map((r) => r.name).sort();
    },
    async run(minutes, ...schedulers) {
      for (let i = 0; i < minutes; i++) {
        clock.advance(MIN);
        for (const s of schedulers) await s.tick(clock.now());
      }
    },
  };
}

export function rule(name: string, scheduleExpression: string, extra: Partial<RuleDeclaration> = {}): RuleDeclaration {
  return { name, scheduleExpression, state: 'ENABLED', targets: [{ id: 't1', stateMachineArn: stateMachineRef('Pipeline') }], ...extra };
}
