/**
 * The integrations as a server wires them: one state machine started through the real SDK calls
 * a nested execution (.sync:2), DynamoDB, SNS (delivered to a file) and EventBridge, each for real.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { CreateTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { BUS_EVENT_KIND } from '../../src/service/event-bus.js';
import { eventually, ROLE, startHarness, type Harness } from './harness.js';

let h: Harness;
let sfn: SFNClient;
let ddb: DynamoDBClient;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'stepwise-integrations-'));
  h = await startHarness({ args: { topics: [{ name: 'Alerts', subscriptions: [{ protocol: 'file', endpoint: join(dir, 'alerts.jsonl') }] }] } });
  sfn = h.client();
  ddb = new DynamoDBClient({ endpoint: h.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
});

afterAll(async () => {
  ddb.destroy();
  await h.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('integrations in a server', () => {
  it('runs a nested execution, writes and reads DynamoDB, publishes to SNS and puts an event', async () => {
    await ddb.send(new CreateTableCommand({ TableName: 'Runs', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }));
    const child = await sfn.send(
      new CreateStateMachineCommand({ name: 'Child', roleArn: ROLE, definition: JSON.stringify({ StartAt: 'Double', States: { Double: { Type: 'Pass', Parameters: { 'twice.$': 'States.MathAdd($.n, $.n)' }, End: true } } }) }),
    );
    const definition = {
      StartAt: 'Nested',
      States: {
        Nested: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync:2', Parameters: { StateMachineArn: child.stateMachineArn, 'Input.$': '$', Name: 'child-of-parent' }, ResultSelector: { 'twice.$': '$.Output.twice' }, ResultPath: '$.child', Next: 'Save' },
        Save: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: { TableName: 'Runs', Item: { id: { S: 'run-1' }, twice: { 'N.$': 'States.Format(\'{}\', $.child.twice)' } } }, ResultPath: null, Next: 'Load' },
        Load: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', Parameters: { TableName: 'Runs', Key: { id: { S: 'run-1' } } }, ResultSelector: { 'twice.$': '$.Item.twice.N' }, ResultPath: '$.loaded', Next: 'Notify' },
        Notify: { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', Parameters: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:Alerts', Subject: 'done', 'Message.$': '$.loaded' }, ResultSelector: { 'id.$': '$.MessageId' }, ResultPath: '$.published', Next: 'Announce' },
        Announce: { Type: 'Task', Resource: 'arn:aws:states:::events:putEvents', Parameters: { Entries: [{ Source: 'stepwise.test', DetailType: 'run done', 'Detail.$': '$.loaded' }] }, ResultPath: '$.event', End: true },
      },
    };
    const parent = await sfn.send(new CreateStateMachineCommand({ name: 'Parent', roleArn: ROLE, definition: JSON.stringify(definition) }));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: parent.stateMachineArn, input: '{"n":21}' }));
    const done = await eventually(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
    expect([done.status, done.error, done.cause]).toEqual(['SUCCEEDED', undefined, undefined]);
    const out = JSON.parse(done.output!) as { child: { twice: number }; loaded: { twice: string }; published: { id: string }; event: { Entries: { EventId: string }[]; FailedEntryCount: number } };
    expect(out.child).toEqual({ twice: 42 });
    expect(out.loaded).toEqual({ twice: '42' });
    expect(out.event.FailedEntryCount).toBe(0);

    // The nested execution exists in its own right, and the parent's history says it was submitted.
    const childRun = await sfn.send(new DescribeExecutionCommand({ executionArn: `${child.stateMachineArn!.replace(':stateMachine:', ':execution:')}:child-of-parent` }));
    expect(childRun).toMatchObject({ status: 'SUCCEEDED', output: '{"twice":42}' });
    const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    const nested = events!.filter((e) => e.taskScheduledEventDetails?.resource === 'startExecution.sync:2' || e.taskSubmittedEventDetails || e.taskSucceededEventDetails?.resource === 'startExecution.sync:2');
    expect(nested.map((e) => e.type)).toEqual(['TaskScheduled', 'TaskSubmitted', 'TaskSucceeded']);

    const item = await ddb.send(new GetItemCommand({ TableName: 'Runs', Key: { id: { S: 'run-1' } } }));
    expect(item.Item).toEqual({ id: { S: 'run-1' }, twice: { N: '42' } });

    const lines = await eventually(
      async () => {
        try {
          return readFileSync(join(dir, 'alerts.jsonl'), 'utf8').trim().split('\n').filter(Boolean);
        } catch {
          return [];
        }
      },
      (l) => l.length === 1,
    );
    expect(lines[0]).toContain(out.published.id);
    const stored = await h.server.store.listResources(BUS_EVENT_KIND, { arnPrefix: 'default/', limit: 10 });
    expect(stored.map((r) => (r.doc as { id: string }).id)).toEqual([out.event.Entries[0]!.EventId]);
  });
});
