/**
 * `stepwise cost`, `stepwise stats` and `stepwise export cloudformation` against a running server:
 * transitions counted from real histories, the month projected from the rule that targets the
 * machine, stats with an alert published to a topic, and the template of the pipeline.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateStateMachineCommand, DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { stateMachineRef } from '../../src/scheduler/rules.js';
import definition from '../../src/pipeline/infra-monitoring.asl.json' with { type: 'json' };
import { eventually, ROLE, startHarness, type Harness } from '../api/harness.js';

const DEFINITION = JSON.stringify({
  StartAt: 'Prepare',
  States: {
    Prepare: { Type: 'Pass', Next: 'Check' },
    Check: { Type: 'Choice', Choices: [{ Variable: '$.ok', BooleanEquals: true, Next: 'Done' }], Default: 'Broken' },
    Done: { Type: 'Succeed' },
    Broken: { Type: 'Fail', Error: 'Report.Broken', Cause: 'the input said so' },
  },
});

let h: Harness;
const dir = mkdtempSync(join(tmpdir(), 'stepwise-reports-'));
beforeAll(async () => {
  h = await startHarness({
    args: {
      topics: [{ name: 'Alerts', subscriptions: [{ protocol: 'file', endpoint: join(dir, 'alerts.jsonl') }] }],
      rules: [{ name: 'Hourly', scheduleExpression: 'rate(1 hour)', state: 'ENABLED', targets: [{ id: 'm', stateMachineArn: stateMachineRef('Reported') }] }],
    },
  });
  const { stateMachineArn } = await h.client().send(new CreateStateMachineCommand({ name: 'Reported', definition: DEFINITION, roleArn: ROLE }));
  for (const [name, ok] of [['one', true], ['two', true], ['three', false]] as const) {
    const { executionArn } = await h.client().send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify({ ok }) }));
    await eventually(() => h.client().send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
  }
});
afterAll(async () => {
  await h.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function cli(...args: string[]): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const code = await main([...args, '--endpoint', h.url], (l) => out.push(l), (l) => out.push(l));
  return { code, out };
}

describe('stepwise cost', () => {
  it('counts billed transitions from history and projects the month from the hourly rule', async () => {
    const r = await cli('cost', 'Reported', '--json');
    expect(r.code).toBe(0);
    const report = (JSON.parse(r.out[0] as string) as { reports: Record<string, unknown>[] }).reports[0] as Record<string, unknown>;
    // Each execution entered three states (Prepare, Check, Done|Broken): 9 transitions.
    expect(report).toMatchObject({ stateMachine: 'Reported', type: 'STANDARD' });
    expect(JSON.stringify(report)).toContain('"total":9');
    const text = await cli('cost', 'Reported');
    const printed = text.out.join('\n');
    // 720 scheduled executions a month × 3 transitions = 2,160, inside the 4,000 free.
    expect(printed).toMatch(/720/);
    expect(printed).toMatch(/2,?160/);
    expect(printed).toMatch(/\$0\.00/);
    expect(printed).toMatch(/counted executions, not transitions/);
  });
});

describe('stepwise stats', () => {
  it('reports the success rate and the failing state, and publishes an alert over the threshold', async () => {
    const r = await cli('stats', 'Reported', '--json', '--alert-failure-rate', '0.2', '--publish', 'Alerts');
    expect(r.code).toBe(0);
    const s = (JSON.parse(r.out[0] as string) as { stats: Record<string, unknown>[] }).stats[0] as { alerts: { subject: string }[] } & Record<string, unknown>;
    expect(JSON.stringify(s)).toContain('Broken');
    expect(JSON.stringify(s)).toContain('Report.Broken');
    expect(s.alerts).toHaveLength(1);
    const delivered = await eventually(
      async () => {
        try {
          return readFileSync(join(dir, 'alerts.jsonl'), 'utf8');
        } catch {
          return '';
        }
      },
      (t) => t.length > 0,
    );
    expect(JSON.parse(delivered.trim().split('\n')[0] as string)).toMatchObject({ Subject: s.alerts[0]?.subject });
    const text = await cli('stats', 'Reported');
    expect(text.out.join('\n')).toMatch(/66\.7|67/);
  });
});

describe('stepwise export cloudformation', () => {
  it('writes a template whose state machine has the local definition', async () => {
    const file = join(dir, 'template.json');
    const out: string[] = [];
    expect(await main(['export', 'cloudformation', '--out', file], (l) => out.push(l))).toBe(0);
    expect(out[0]).toMatch(/^wrote .*template\.json \(\d+ resources\)/);
    const t = JSON.parse(readFileSync(file, 'utf8')) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
    const types = Object.values(t.Resources).map((x) => x.Type);
    for (const type of ['AWS::StepFunctions::StateMachine', 'AWS::IAM::Role', 'AWS::Lambda::Function', 'AWS::S3::Bucket', 'AWS::DynamoDB::Table', 'AWS::SNS::Topic', 'AWS::Events::Rule', 'AWS::Logs::LogGroup']) expect(types).toContain(type);
    const machine = Object.values(t.Resources).find((x) => x.Type === 'AWS::StepFunctions::StateMachine');
    const subs = { Partition: 'aws', Region: 'us-east-1', AccountId: '123456789012' };
    const filled = JSON.parse(JSON.stringify(machine?.Properties['Definition']).replace(/\$\{(Partition|Region|AccountId)\}/g, (_, k: keyof typeof subs) => subs[k]));
    expect(filled).toEqual(definition);
  });
});
