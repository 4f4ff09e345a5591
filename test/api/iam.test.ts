/**
 * IAM through a real server (issue #5, acceptance 4): a state machine whose role lacks
 * dynamodb:PutItem fails at that task with AWS's error and cause, while the same machine with a
 * role that grants it succeeds; a role that is not defined works with a warning in the log, and
 * fails under --strict-iam.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { CreateTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { startServer, type RunningServer } from '../../src/cli/serve-command.js';
import type { RoleDefinition } from '../../src/integrations/iam/index.js';
import { eventually, startHarness, type Harness } from './harness.js';

const ACCOUNT = '123456789012';
const TABLE_ARN = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/ProcessedMetrics`;
const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;

const roles: RoleDefinition[] = [
  // Reads the table, as the seed's role does ("DynamoDB read"), but may not write it.
  { name: 'ReadOnlyPipelineRole', policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Query'], Resource: TABLE_ARN }] }] },
  { name: 'WriterPipelineRole', policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem'], Resource: TABLE_ARN }] }] },
];

const definition = JSON.stringify({
  StartAt: 'Save',
  States: {
    Save: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: { TableName: 'ProcessedMetrics', Item: { runId: { 'S.$': '$.run' } } }, ResultPath: null, Next: 'Load' },
    Load: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', Parameters: { TableName: 'ProcessedMetrics', Key: { runId: { 'S.$': '$.run' } } }, ResultSelector: { 'runId.$': '$.Item.runId.S' }, End: true },
  },
});

let server: RunningServer;
let dir: string;
let sfn: SFNClient;
let ddb: DynamoDBClient;
const logs: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'stepwise-iam-'));
  server = await startServer({ port: 0, host: '127.0.0.1', dataDir: dir, requireAuth: false, roles }, { log: (l) => logs.push(l) });
  const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
  sfn = new SFNClient({ endpoint: server.url, region: 'us-east-1', credentials, disableHostPrefix: true, maxAttempts: 1 });
  ddb = new DynamoDBClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  await ddb.send(
    new CreateTableCommand({ TableName: 'ProcessedMetrics', KeySchema: [{ AttributeName: 'runId', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'runId', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }),
  );
});

afterAll(async () => {
  sfn.destroy();
  ddb.destroy();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function run(client: SFNClient, name: string, roleArn: string, input: object) {
  const machine = await client.send(new CreateStateMachineCommand({ name, roleArn, definition }));
  const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn: machine.stateMachineArn, input: JSON.stringify(input) }));
  const done = await eventually(() => client.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
  const { events } = await client.send(new GetExecutionHistoryCommand({ executionArn }));
  return { done, events: events ?? [] };
}

describe('IAM in a server', () => {
  it('fails the putItem task of a role without dynamodb:PutItem with DynamoDB.AmazonDynamoDBException and AWS cause', async () => {
    const { done, events } = await run(sfn, 'ReadOnlyPipeline', role('ReadOnlyPipelineRole'), { run: 'r-1' });
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('DynamoDB.AmazonDynamoDBException');
    const cause = new RegExp(
      `^User: arn:aws:sts::${ACCOUNT}:assumed-role/ReadOnlyPipelineRole/[A-Za-z]{32} is not authorized to perform: dynamodb:PutItem on resource: ${TABLE_ARN} because no identity-based policy allows the dynamodb:PutItem action \\(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: AccessDeniedException; Request ID: [A-Z0-9]{52}; Proxy: null\\)$`,
    );
    expect(done.cause).toMatch(cause);
    // It failed at that task: Save's TaskFailed, and Load never entered.
    const failed = events.find((e) => e.type === 'TaskFailed');
    expect(failed?.taskFailedEventDetails).toMatchObject({ resourceType: 'dynamodb', resource: 'putItem', error: 'DynamoDB.AmazonDynamoDBException' });
    expect(failed?.taskFailedEventDetails?.cause).toMatch(cause);
    expect(events.filter((e) => e.type === 'TaskStateEntered').map((e) => e.stateEnteredEventDetails?.name)).toEqual(['Save']);
    expect((await ddb.send(new GetItemCommand({ TableName: 'ProcessedMetrics', Key: { runId: { S: 'r-1' } } }))).Item).toBeUndefined();
  });

  it('runs the same machine to the end with a role that grants dynamodb:PutItem', async () => {
    const { done } = await run(sfn, 'WriterPipeline', role('WriterPipelineRole'), { run: 'r-2' });
    expect([done.status, done.output]).toEqual(['SUCCEEDED', '{"runId":"r-2"}']);
  });

  it('lets a role that is not defined call everything, with a warning in the log', async () => {
    const { done } = await run(sfn, 'UndefinedRolePipeline', role('NotConfigured'), { run: 'r-3' });
    expect(done.status).toBe('SUCCEEDED');
    expect(logs.filter((l) => l.includes('NotConfigured'))).toEqual([
      `stepwise iam: role '${role('NotConfigured')}' is not defined in the configuration (roles): its tasks may call everything (--strict-iam refuses them)`,
    ]);
  });
});

describe('IAM in a server under --strict-iam', () => {
  let h: Harness;
  let client: SFNClient;
  beforeAll(async () => {
    h = await startHarness({ args: { roles, strictIam: true } });
    client = h.client();
    const local = new DynamoDBClient({ endpoint: h.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    await local.send(
      new CreateTableCommand({ TableName: 'ProcessedMetrics', KeySchema: [{ AttributeName: 'runId', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'runId', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }),
    );
    local.destroy();
  });
  afterAll(() => h.stop());

  it('fails the tasks of a role that is not defined', async () => {
    const { done } = await run(client, 'StrictUndefined', role('NotConfigured'), { run: 'r-4' });
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('States.Runtime');
    expect(done.cause).toContain(`The role '${role('NotConfigured')}' is not defined in Stepwise's configuration, and Stepwise runs with --strict-iam`);
  });

  it('still runs a machine whose role is defined and allows its calls', async () => {
    const { done } = await run(client, 'StrictWriter', role('WriterPipelineRole'), { run: 'r-5' });
    expect(done.status).toBe('SUCCEEDED');
  });
});
