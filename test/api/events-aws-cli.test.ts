/**
 * The AWS CLI drives EventBridge's rule operations on Stepwise unchanged with --endpoint-url
 * (AWS JSON 1.1): put-rule, put-targets, describe-rule, list-rules, list-targets-by-rule,
 * disable-rule, the error for deleting a rule with targets, remove-targets, delete-rule,
 * put-events. Skipped with a message when `aws` is not on PATH.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CreateStateMachineCommand, ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, ROLE, startHarness, type Harness } from './harness.js';

const run = promisify(execFile);
const hasCli = await run('aws', ['--version']).then(
  () => true,
  () => false,
);
if (!hasCli) console.warn('AWS CLI EventBridge test SKIPPED: `aws` is not on PATH');

describe.skipIf(!hasCli)('the AWS CLI against EventBridge rules on stepwise serve', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.stop();
  });

  const env = { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' };
  const aws = async (...args: string[]): Promise<Record<string, unknown>> => {
    const { stdout } = await run('aws', ['events', ...args, '--endpoint-url', h.url, '--output', 'json'], { env });
    return stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {};
  };

  it('puts a rule and a target, lists and describes them, refuses to delete a rule with targets, deletes it after', async () => {
    const { stateMachineArn } = await h.client().send(new CreateStateMachineCommand({ name: 'FromCli', definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }), roleArn: ROLE }));
    expect(await aws('put-rule', '--name', 'cli-rule', '--schedule-expression', 'rate(5 minutes)', '--description', 'from the cli')).toEqual({ RuleArn: 'arn:aws:events:us-east-1:123456789012:rule/cli-rule' });
    expect(await aws('put-targets', '--rule', 'cli-rule', '--targets', JSON.stringify([{ Id: '1', Arn: stateMachineArn, Input: '{"a":1}', RoleArn: ROLE }]))).toEqual({ FailedEntryCount: 0, FailedEntries: [] });
    expect(await aws('describe-rule', '--name', 'cli-rule')).toMatchObject({ Name: 'cli-rule', ScheduleExpression: 'rate(5 minutes)', State: 'ENABLED', Description: 'from the cli', EventBusName: 'default' });
    expect(((await aws('list-rules', '--name-prefix', 'cli-')) as { Rules: { Name: string }[] }).Rules.map((r) => r.Name)).toEqual(['cli-rule']);
    expect(await aws('list-targets-by-rule', '--rule', 'cli-rule')).toEqual({ Targets: [{ Id: '1', Arn: stateMachineArn, Input: '{"a":1}', RoleArn: ROLE }] });
    expect(await aws('list-rule-names-by-target', '--target-arn', stateMachineArn as string)).toEqual({ RuleNames: ['cli-rule'] });
    await aws('disable-rule', '--name', 'cli-rule');
    expect(await aws('describe-rule', '--name', 'cli-rule')).toMatchObject({ State: 'DISABLED' });
    await aws('enable-rule', '--name', 'cli-rule');
    expect(await aws('describe-rule', '--name', 'cli-rule')).toMatchObject({ State: 'ENABLED' });
    const refused = await aws('delete-rule', '--name', 'cli-rule').then(
      () => '',
      (err: { stderr?: string }) => err.stderr ?? '',
    );
    expect(refused).toContain("(ValidationException) when calling the DeleteRule operation: Rule can't be deleted since it has targets.");
    expect(await aws('remove-targets', '--rule', 'cli-rule', '--ids', '1')).toEqual({ FailedEntryCount: 0, FailedEntries: [] });
    await aws('delete-rule', '--name', 'cli-rule');
    const missing = await aws('describe-rule', '--name', 'cli-rule').then(
      () => '',
      (err: { stderr?: string }) => err.stderr ?? '',
    );
    expect(missing).toContain('(ResourceNotFoundException) when calling the DescribeRule operation: Rule cli-rule does not exist on EventBus default.');
    // An event-pattern rule with an InputPath target, fired by put-events.
    await aws('put-rule', '--name', 'cli-pattern', '--event-pattern', JSON.stringify({ source: ['cli'], detail: { kind: [{ prefix: 'deploy' }] } }));
    await aws('put-targets', '--rule', 'cli-pattern', '--targets', JSON.stringify([{ Id: 'p', Arn: stateMachineArn, InputPath: '$.detail' }]));
    const events = (await aws('put-events', '--entries', JSON.stringify([{ Source: 'cli', DetailType: 'd', Detail: '{"kind":"deploy-web"}' }, { Source: 'cli', DetailType: 'd', Detail: '{"kind":"other"}' }]))) as { FailedEntryCount: number; Entries: { EventId?: string }[] };
    expect(events.FailedEntryCount).toBe(0);
    const started = await eventually(
      () => h.client().send(new ListExecutionsCommand({ stateMachineArn })),
      (r) => (r.executions ?? []).some((e) => e.name === `cli-pattern-${events.Entries[0]?.EventId}`),
    );
    expect(started.executions?.filter((e) => e.name?.startsWith('cli-pattern-'))).toHaveLength(1);
  }, 60_000);
});
