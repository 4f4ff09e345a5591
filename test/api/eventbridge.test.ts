/**
 * EventBridge's rule operations on stepwise serve, driven by the real `@aws-sdk/client-eventbridge`
 * (AWS JSON 1.1, `X-Amz-Target: AWSEvents.*`): the rules are the store records the scheduler
 * runs, so put-rule + put-targets fire a state machine on the scheduler's next pass.
 */
import {
  DeleteRuleCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  EventBridgeClient,
  ListRuleNamesByTargetCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { CreateStateMachineCommand, DescribeExecutionCommand, ListExecutionsCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RULE_KIND, ruleArn } from '../../src/scheduler/rules.js';
import { BUS_EVENT_KIND, busEventArn } from '../../src/service/event-bus.js';
import { errorOf, eventually, ROLE, startHarness, type Harness } from './harness.js';

const PASS = JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } });
const ARN = (name: string) => `arn:aws:events:us-east-1:123456789012:rule/${name}`;

describe('EventBridge rules over AWS JSON 1.1', () => {
  let h: Harness;
  let eb: EventBridgeClient;
  let machineArn: string;
  beforeAll(async () => {
    h = await startHarness();
    eb = new EventBridgeClient({ endpoint: h.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    machineArn = (await h.client().send(new CreateStateMachineCommand({ name: 'Scheduled', definition: PASS, roleArn: ROLE }))).stateMachineArn as string;
  });
  afterAll(async () => {
    eb.destroy();
    await h.stop();
  });

  it('put-rule + put-targets: the scheduler fires the target with its input', async () => {
    const before = Date.now();
    const { RuleArn } = await eb.send(new PutRuleCommand({ Name: 'every-minute', ScheduleExpression: 'rate(1 minute)', Description: 'tick' }));
    expect(RuleArn).toBe(ARN('every-minute'));
    const put = await eb.send(new PutTargetsCommand({ Rule: 'every-minute', Targets: [{ Id: 'sm', Arn: machineArn, Input: '{"from":"rule"}', RoleArn: ROLE }] }));
    expect(put).toMatchObject({ FailedEntryCount: 0, FailedEntries: [] });
    // The stored record is the scheduler's: anchored now, with the target.
    const rec = await h.server.store.getResource(RULE_KIND, ruleArn('every-minute'));
    expect(rec?.doc).toMatchObject({ name: 'every-minute', scheduleExpression: 'rate(1 minute)', state: 'ENABLED', targets: [{ id: 'sm', stateMachineArn: machineArn, input: '{"from":"rule"}', roleArn: ROLE }] });
    const anchor = (rec?.doc as { createdAt: number }).createdAt;
    expect(anchor).toBeGreaterThanOrEqual(before);
    // A pass one period later fires the first tick.
    await h.server.scheduler.tick(anchor + 60_000);
    const { executions } = await eventually(
      () => h.client().send(new ListExecutionsCommand({ stateMachineArn: machineArn })),
      (r) => (r.executions ?? []).length === 1,
    );
    const exec = await h.client().send(new DescribeExecutionCommand({ executionArn: executions?.[0]?.executionArn }));
    expect(exec.name).toMatch(/^every-minute-\d{8}T\d{6}Z$/);
    expect(JSON.parse(exec.input ?? 'null')).toEqual({ from: 'rule' });
    // The fire is counted on /metrics.
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toContain('stepwise_schedule_fires_total{rule="every-minute"} 1');
    // Targets must go before the rule can.
    await eb.send(new DisableRuleCommand({ Name: 'every-minute' }));
    expect(await errorOf(eb.send(new DeleteRuleCommand({ Name: 'every-minute' })))).toMatchObject({ name: 'ValidationException', message: "Rule can't be deleted since it has targets.", status: 400 });
    await eb.send(new RemoveTargetsCommand({ Rule: 'every-minute', Ids: ['sm'] }));
    await eb.send(new DeleteRuleCommand({ Name: 'every-minute' }));
    expect(await h.server.store.getResource(RULE_KIND, ruleArn('every-minute'))).toBeUndefined();
  });

  it('describe, list with prefix and pages, enable/disable (enabling restarts the rate anchor), delete', async () => {
    for (const n of ['nightly-a', 'nightly-b', 'nightly-c', 'other']) await eb.send(new PutRuleCommand({ Name: n, ScheduleExpression: 'cron(0 3 * * ? *)', State: 'DISABLED' }));
    expect(await eb.send(new DescribeRuleCommand({ Name: 'nightly-a' }))).toMatchObject({ Name: 'nightly-a', Arn: ARN('nightly-a'), ScheduleExpression: 'cron(0 3 * * ? *)', State: 'DISABLED', EventBusName: 'default', CreatedBy: '123456789012' });
    const page1 = await eb.send(new ListRulesCommand({ NamePrefix: 'nightly-', Limit: 2 }));
    expect(page1.Rules?.map((r) => r.Name)).toEqual(['nightly-a', 'nightly-b']);
    expect(page1.NextToken).toBeDefined();
    const page2 = await eb.send(new ListRulesCommand({ NamePrefix: 'nightly-', Limit: 2, NextToken: page1.NextToken }));
    expect(page2.Rules?.map((r) => r.Name)).toEqual(['nightly-c']);
    expect(page2.NextToken).toBeUndefined();

    await eb.send(new PutRuleCommand({ Name: 'rated', ScheduleExpression: 'rate(5 minutes)', State: 'DISABLED' }));
    const createdAt = async () => ((await h.server.store.getResource(RULE_KIND, ruleArn('rated')))?.doc as { createdAt: number; state: string });
    const first = await createdAt();
    await new Promise((r) => setTimeout(r, 5));
    await eb.send(new EnableRuleCommand({ Name: 'rated' }));
    const enabled = await createdAt();
    expect(enabled.state).toBe('ENABLED');
    expect(enabled.createdAt).toBeGreaterThan(first.createdAt);
    expect((await eb.send(new DescribeRuleCommand({ Name: 'rated' }))).State).toBe('ENABLED');
    await eb.send(new DisableRuleCommand({ Name: 'rated' }));
    expect((await eb.send(new DescribeRuleCommand({ Name: 'rated' }))).State).toBe('DISABLED');

    await eb.send(new DeleteRuleCommand({ Name: 'other' }));
    expect(await errorOf(eb.send(new DescribeRuleCommand({ Name: 'other' })))).toMatchObject({ name: 'ResourceNotFoundException', message: 'Rule other does not exist on EventBus default.', status: 400 });
    // Deleting a rule that does not exist succeeds, as on AWS.
    await eb.send(new DeleteRuleCommand({ Name: 'other' }));
  });

  it('targets: list, list rule names by target, failed entries, limits', async () => {
    await eb.send(new PutRuleCommand({ Name: 't1', ScheduleExpression: 'rate(1 hour)' }));
    await eb.send(new PutRuleCommand({ Name: 't2', ScheduleExpression: 'rate(1 hour)' }));
    const put = await eb.send(
      new PutTargetsCommand({
        Rule: 't1',
        Targets: [
          { Id: 'a', Arn: machineArn },
          { Id: 'lambda', Arn: 'arn:aws:lambda:us-east-1:123456789012:function:f' },
          { Id: 'bad-input', Arn: machineArn, Input: '{not json' },
        ],
      }),
    );
    expect(put.FailedEntryCount).toBe(2);
    expect(put.FailedEntries?.map((e) => [e.TargetId, e.ErrorCode])).toEqual([
      ['lambda', 'ValidationException'],
      ['bad-input', 'ValidationException'],
    ]);
    await eb.send(new PutTargetsCommand({ Rule: 't2', Targets: [{ Id: 'x', Arn: machineArn, Input: '{}' }] }));
    expect((await eb.send(new ListTargetsByRuleCommand({ Rule: 't1' }))).Targets).toEqual([{ Id: 'a', Arn: machineArn }]);
    expect((await eb.send(new ListTargetsByRuleCommand({ Rule: 't2' }))).Targets).toEqual([{ Id: 'x', Arn: machineArn, Input: '{}' }]);
    expect((await eb.send(new ListRuleNamesByTargetCommand({ TargetArn: machineArn }))).RuleNames).toEqual(['t1', 't2']);
    const limited = await eb.send(new ListRuleNamesByTargetCommand({ TargetArn: machineArn, Limit: 1 }));
    expect(limited.RuleNames).toEqual(['t1']);
    expect((await eb.send(new ListRuleNamesByTargetCommand({ TargetArn: machineArn, Limit: 1, NextToken: limited.NextToken }))).RuleNames).toEqual(['t2']);
    // Five targets per rule.
    const six = Array.from({ length: 6 }, (_, i) => ({ Id: `n${i}`, Arn: machineArn }));
    expect(await errorOf(eb.send(new PutTargetsCommand({ Rule: 't2', Targets: six })))).toMatchObject({ name: 'LimitExceededException' });
    expect(await errorOf(eb.send(new PutTargetsCommand({ Rule: 'missing', Targets: [{ Id: 'a', Arn: machineArn }] })))).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Rule missing does not exist on EventBus default.',
    });
    expect(await errorOf(eb.send(new ListTargetsByRuleCommand({ Rule: 'missing' })))).toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it("refuses what AWS refuses, in AWS's error shapes", async () => {
    expect(await errorOf(eb.send(new PutRuleCommand({ Name: 'bad', ScheduleExpression: 'rate(1 minutes)' })))).toMatchObject({ name: 'ValidationException', message: 'Parameter ScheduleExpression is not valid.' });
    expect(await errorOf(eb.send(new PutRuleCommand({ Name: 'none' })))).toMatchObject({ name: 'ValidationException', message: 'Parameter(s) EventPattern or ScheduleExpression must be specified.' });
    expect(await errorOf(eb.send(new PutRuleCommand({ Name: 'pattern', EventPattern: '{"source":"x"}' })))).toMatchObject({ name: 'InvalidEventPatternException', message: expect.stringMatching(/^Event pattern is not valid\. Reason: /) });
    expect(await errorOf(eb.send(new PutRuleCommand({ Name: 'bus', ScheduleExpression: 'rate(1 hour)', EventBusName: 'custom' })))).toMatchObject({ name: 'ResourceNotFoundException', message: 'Event bus custom does not exist.' });
    expect(await errorOf(eb.send(new EnableRuleCommand({ Name: 'nope' })))).toMatchObject({ name: 'ResourceNotFoundException', message: 'Rule nope does not exist on EventBus default.' });
    expect(await errorOf(eb.send(new PutRuleCommand({ Name: 'bad name!', ScheduleExpression: 'rate(1 hour)' })))).toMatchObject({ name: 'ValidationException' });
  });

  it('PutEvents puts valid entries on the local bus and reports the others per entry', async () => {
    const out = await eb.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'app', DetailType: 'created', Detail: '{"id":1}' },
          { Source: 'app', DetailType: 'created', Detail: '[1]' },
        ],
      }),
    );
    expect(out.FailedEntryCount).toBe(1);
    expect(out.Entries?.[0]?.EventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.Entries?.[1]).toEqual({ ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' });
    const stored = (await h.server.store.listResources(BUS_EVENT_KIND, { arnPrefix: 'default/', limit: 1000 })).find((r) => r.arn.endsWith(`/${out.Entries?.[0]?.EventId}`));
    expect(stored?.doc).toMatchObject({ source: 'app', 'detail-type': 'created', detail: { id: 1 }, dispatched: true });
  });

  it('an event-pattern rule starts its target for each matching event, with the transformed input, once', async () => {
    await eb.send(new PutRuleCommand({ Name: 'orders', EventPattern: JSON.stringify({ source: ['shop'], 'detail-type': ['order'], detail: { total: [{ numeric: ['>', 100] }] } }) }));
    await eb.send(
      new PutTargetsCommand({
        Rule: 'orders',
        Targets: [{ Id: 'sm', Arn: machineArn, InputTransformer: { InputPathsMap: { id: '$.detail.id', total: '$.detail.total' }, InputTemplate: '{"order": <id>, "total": <total>, "rule": "<aws.events.rule-name>"}' } }],
      }),
    );
    expect((await eb.send(new DescribeRuleCommand({ Name: 'orders' }))).EventPattern).toContain('"numeric"');
    const before = (await h.client().send(new ListExecutionsCommand({ stateMachineArn: machineArn }))).executions?.length ?? 0;
    const put = await eb.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'shop', DetailType: 'order', Detail: '{"id":"o-1","total":250}' },
          { Source: 'shop', DetailType: 'order', Detail: '{"id":"o-2","total":5}' },
          { Source: 'other', DetailType: 'order', Detail: '{"id":"o-3","total":500}' },
        ],
      }),
    );
    const { executions } = await eventually(
      () => h.client().send(new ListExecutionsCommand({ stateMachineArn: machineArn })),
      (r) => (r.executions ?? []).length === before + 1,
    );
    const started = executions?.find((e) => e.name === `orders-${put.Entries?.[0]?.EventId}`);
    expect(started).toBeDefined();
    const exec = await h.client().send(new DescribeExecutionCommand({ executionArn: started?.executionArn }));
    expect(JSON.parse(exec.input ?? '{}')).toEqual({ order: 'o-1', total: 250, rule: 'orders' });
    await eb.send(new RemoveTargetsCommand({ Rule: 'orders', Ids: ['sm'] }));
    await eb.send(new DeleteRuleCommand({ Name: 'orders' }));
  });

  it("Step Functions' own Execution Status Change events reach rules", async () => {
    const failing = (await h.client().send(new CreateStateMachineCommand({ name: 'Breaks', definition: JSON.stringify({ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Boom', Cause: 'on purpose' } } }), roleArn: ROLE }))).stateMachineArn as string;
    const onCall = (await h.client().send(new CreateStateMachineCommand({ name: 'OnCall', definition: PASS, roleArn: ROLE }))).stateMachineArn as string;
    await eb.send(new PutRuleCommand({ Name: 'failures', EventPattern: JSON.stringify({ source: ['aws.states'], 'detail-type': ['Step Functions Execution Status Change'], detail: { status: ['FAILED'], stateMachineArn: [failing] } }) }));
    await eb.send(new PutTargetsCommand({ Rule: 'failures', Targets: [{ Id: 'page', Arn: onCall, InputPath: '$.detail' }] }));
    await h.client().send(new StartExecutionCommand({ stateMachineArn: failing, name: 'first' }));
    const { executions } = await eventually(
      () => h.client().send(new ListExecutionsCommand({ stateMachineArn: onCall })),
      (r) => (r.executions ?? []).length === 1,
    );
    const exec = await h.client().send(new DescribeExecutionCommand({ executionArn: executions?.[0]?.executionArn }));
    expect(JSON.parse(exec.input ?? '{}')).toMatchObject({ name: 'first', status: 'FAILED', error: 'Boom', cause: 'on purpose', stateMachineArn: failing });
  });

  it('an event stored by a process that died before matching it is matched by the next scheduler pass, once', async () => {
    await eb.send(new PutRuleCommand({ Name: 'recovered', EventPattern: JSON.stringify({ source: ['crashy'] }) }));
    await eb.send(new PutTargetsCommand({ Rule: 'recovered', Targets: [{ Id: 'sm', Arn: machineArn }] }));
    const rule = (await h.server.store.getResource(RULE_KIND, ruleArn('recovered')))?.doc as { createdAt: number };
    // As the bus stores it, a minute after the rule was put; never marked dispatched.
    const at = rule.createdAt + 60_000;
    const id = '11111111-2222-3333-4444-555555555555';
    const event = { version: '0', id, 'detail-type': 'x', source: 'crashy', account: '123456789012', time: new Date(at).toISOString(), region: 'us-east-1', resources: [], detail: {}, eventBusName: 'default', dispatched: false };
    await h.server.store.createResource(BUS_EVENT_KIND, busEventArn('default', at, id), 'crashy', event, at);
    await h.server.scheduler.tick(at + 45_000);
    await h.server.scheduler.tick(at + 90_000);
    const { executions } = await h.client().send(new ListExecutionsCommand({ stateMachineArn: machineArn }));
    expect(executions?.filter((e) => e.name === `recovered-${id}`)).toHaveLength(1);
    const rec = await h.server.store.getResource(BUS_EVENT_KIND, busEventArn('default', at, id));
    expect(rec?.doc).toMatchObject({ dispatched: true });
    // Events are kept a day.
    await h.server.scheduler.tick(at + 25 * 3_600_000);
    expect(await h.server.store.getResource(BUS_EVENT_KIND, busEventArn('default', at, id))).toBeUndefined();
  });
});
