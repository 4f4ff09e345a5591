/**
 * The console stays fast with 10,000 executions of one machine: every page reads a bounded page
 * of them (ListExecutions with a limit, one lookup by ARN), never all of them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleClient, executionPath } from './client.js';
import { seedExecutions } from './seed.js';
import { KEY, ROLE, startWorld, type World } from './world.js';

const BULK = JSON.stringify({ StartAt: 'Only', States: { Only: { Type: 'Pass', End: true } } });
const COUNT = 10_000;
let world: World;
let c: ConsoleClient;
let bulkArn: string;

beforeAll(async () => {
  world = await startWorld({ requireAuth: true });
  bulkArn = (await world.deps.stateMachines.create({ name: 'Bulk', definition: BULK, roleArn: ROLE })).stateMachineArn;
  await seedExecutions(world.server.store, bulkArn, BULK, COUNT);
  c = new ConsoleClient(world.app);
  await c.signIn(KEY);
}, 120_000);
afterAll(async () => world?.stop());

async function timed(path: string): Promise<{ text: string }> {
  const r = await c.get(path);
  expect(r.status).toBe(200);
  return { text: r.text };
}

describe(`with ${COUNT} executions of one machine`, () => {
  // How fast is the bench's business (npm run bench -- --only console); here: every page answers with a bounded page.
  it('renders the machines list, the machine page, a search and an execution page from bounded reads', async () => {
    const list = await timed('/console/');
    expect(list.text).toContain('of the latest 25');
    const machine = await timed('/console/machines/Bulk');
    expect(machine.text.match(/<tr data-execution=/g)).toHaveLength(50);
    expect(machine.text).toContain('bulk-09999');
    const failed = await timed('/console/machines/Bulk?status=FAILED');
    expect(failed.text).toContain('data-execution="bulk-09999" data-status="FAILED"');
    const exact = await timed('/console/machines/Bulk?q=bulk-00042');
    expect(exact.text.match(/<tr data-execution=/g)).toHaveLength(1);
    const miss = await timed('/console/machines/Bulk?q=no-such-part');
    expect(miss.text).toContain('No executions match among the 1000 looked at');
    expect(miss.text).toContain('Search older executions →');
    const execution = await timed(executionPath(`arn:aws:states:us-east-1:123456789012:execution:Bulk:bulk-00007`));
    expect(execution.text).toContain('data-execution-status="SUCCEEDED"');
    // The cost reads the latest 50 closed executions' histories; none of these started in the last 30 days.
    const cost = JSON.parse((await timed('/console/api/machines/Bulk/cost')).text) as { sample: { executions: number }; month: { basis: string; executions: number } };
    expect(cost).toMatchObject({ sample: { executions: 50 }, month: { basis: 'recent', executions: 0 } });
    const window = await timed('/console/machines/Bulk?startedAfter=2025-01-01T02:00&startedBefore=2025-01-01T02:30');
    expect(window.text.match(/<tr data-execution=/g)).toHaveLength(50);
    expect(window.text).toContain('data-execution="bulk-08999"');
  });
});
