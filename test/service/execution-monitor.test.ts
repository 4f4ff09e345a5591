/**
 * Execution-history monitoring on a real server: an alert goes to the topic when the failure rate
 * of the last N executions crosses the threshold — once per crossing, again after it recovered
 * and crossed anew — and when the p95 duration does.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateStateMachineCommand, DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, ROLE, startHarness, type Harness } from '../api/harness.js';

const DEFINITION = JSON.stringify({
  StartAt: 'Check',
  States: {
    Check: { Type: 'Choice', Choices: [{ Variable: '$.ok', BooleanEquals: true, Next: 'Done' }], Default: 'Broken' },
    Done: { Type: 'Succeed' },
    Broken: { Type: 'Fail', Error: 'Watched.Broken', Cause: 'bad input' },
  },
});
const MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:Watched';
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:Alerts';

let h: Harness;
const dir = mkdtempSync(join(tmpdir(), 'stepwise-monitor-'));
const file = join(dir, 'alerts.jsonl');
let n = 0;

beforeAll(async () => {
  h = await startHarness({
    args: {
      topics: [{ name: 'Alerts', subscriptions: [{ protocol: 'file', endpoint: file }] }],
      monitors: [{ stateMachineArn: MACHINE, topicArn: TOPIC, failureRate: 0.5, lastN: 4 }],
    },
  });
  await h.client().send(new CreateStateMachineCommand({ name: 'Watched', definition: DEFINITION, roleArn: ROLE }));
});
afterAll(async () => {
  await h.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function runs(...oks: boolean[]): Promise<void> {
  for (const ok of oks) {
    const { executionArn } = await h.client().send(new StartExecutionCommand({ stateMachineArn: MACHINE, name: `run-${++n}`, input: JSON.stringify({ ok }) }));
    await eventually(() => h.client().send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
  }
}

function alerts(): { Subject: string; Message: string }[] {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { Subject: string; Message: string });
  } catch {
    return [];
  }
}

describe('execution monitor', () => {
  it('publishes once when the failure rate crosses the threshold, and again after a recovery', async () => {
    await runs(true, false);
    await new Promise((r) => setTimeout(r, 200));
    expect(alerts()).toHaveLength(0); // 1 of 2 failed: 50% is not above 50%
    await runs(false);
    await eventually(async () => alerts(), (a) => a.length === 1);
    expect(alerts()[0]?.Subject).toBe('Stepwise alert: Watched failure rate 66.7%');
    expect(alerts()[0]?.Message).toMatch(/2 of the last 3 executions did not succeed/);
    expect(alerts()[0]?.Message).toMatch(/Failed in: Broken \(2\)/);
    await runs(false); // still above: no second alert
    await runs(true, true, true, true); // recovered
    await runs(false, false, false); // crosses again
    await eventually(async () => alerts(), (a) => a.length === 2);
    await new Promise((r) => setTimeout(r, 200));
    expect(alerts()).toHaveLength(2);
  });
});
