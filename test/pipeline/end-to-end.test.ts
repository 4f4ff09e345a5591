/**
 * The InfraMonitoring system end to end, as `npm start` deploys it: the real functions (isolated
 * in worker threads), the bucket notification, the table, the topic delivering to a JSON-lines
 * file, a real local HTTP receiver (Slack-compatible webhook) and a real SMTP server, the role and
 * the logs. Time is a fake clock: the 10-second Wait and the retry back-offs pass when the test
 * advances it, and history timestamps are exact.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DescribeRuleCommand, EventBridgeClient, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { DescribeStateMachineCommand, GetExecutionHistoryCommand, ListExecutionsCommand, ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StepwiseApiClient } from '../../src/cli/api-client.js';
import { deployPipeline } from '../../src/cli/pipeline-deploy.js';
import { pipelineServeArgs, pipelineSettings } from '../../src/cli/pipeline-settings.js';
import { startServer, type RunningServer } from '../../src/cli/serve-command.js';
import { FakeClock } from '../../src/engine/clock.js';
import { arns, PIPELINE } from '../../src/pipeline/resources.js';
import { billedTransitions, costReport, formatCostReport } from '../../src/service/cost.js';
import { httpReceiver, smtpReceiver } from '../integrations/sns/helpers.js';

const creds = { accessKeyId: 'test', secretAccessKey: 'test' };
const run = promisify(execFile);
type Row = Record<string, unknown>;

interface World {
  server: RunningServer;
  clock: FakeClock;
  api: StepwiseApiClient;
  dir: string;
  webhook: Awaited<ReturnType<typeof httpReceiver>>;
  smtp: Awaited<ReturnType<typeof smtpReceiver>>;
}

async function world(simulate?: string): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-pipeline-'));
  const webhook = await httpReceiver();
  const smtp = await smtpReceiver();
  const settings = { ...pipelineSettings({ STEPWISE_PIPELINE_WEBHOOK_URL: webhook.url, STEPWISE_PIPELINE_EMAIL: 'ops@example.com' }, dir, simulate), sampleIntervalMs: 20 };
  // Starts at the real time: SigV4 signatures (signed by the SDK with the real time) must be current for the server.
  const clock = new FakeClock(Date.now());
  const server = await startServer(
    { host: '127.0.0.1', port: 0, dataDir: dir, requireAuth: false, ...pipelineServeArgs(settings), smtp: { host: '127.0.0.1', port: smtp.port, secure: false, from: 'stepwise@example.com' } },
    { clock, log: () => undefined },
  );
  const api = new StepwiseApiClient({ endpoint: server.url, region: 'us-east-1', ...creds });
  await deployPipeline(api);
  return { server, clock, api, dir, webhook, smtp };
}

async function close(w: World): Promise<void> {
  await w.server.stop();
  await w.webhook.close();
  await w.smtp.close();
  rmSync(w.dir, { recursive: true, force: true });
}

async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, what: string, step?: () => void): Promise<T> {
  for (let i = 0; i < 2000; i++) {
    const v = await read();
    if (done(v)) return v;
    step?.();
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function history(w: World, executionArn: string): Promise<Row[]> {
  return (await w.api.call<{ events: Row[] }>('GetExecutionHistory', { executionArn, maxResults: 1000 })).events;
}

const enteredStates = (events: Row[]) => events.filter((e) => String(e['type']).endsWith('StateEntered')).map((e) => (e['stateEnteredEventDetails'] as Row)['name']);
const at = (e: Row | undefined) => Math.round(Number(e?.['timestamp']) * 1000);

describe('the pipeline, success path', () => {
  let w: World;
  let executionArn: string;
  let events: Row[];
  beforeAll(async () => {
    w = await world();
    ({ executionArn } = await w.api.call<{ executionArn: string }>('StartExecution', { stateMachineArn: arns.stateMachine, name: 'e2e-success', input: '{}' }));
    // The collector runs, its object triggers the processor; the Wait holds until the clock moves.
    await until(() => history(w, executionArn), (ev) => ev.some((e) => e['type'] === 'WaitStateEntered'), 'the Wait');
    const ddb = new DynamoDBClient({ endpoint: w.server.url, region: 'us-east-1', credentials: creds });
    await until(() => ddb.send(new GetItemCommand({ TableName: PIPELINE.table, Key: { runId: { S: 'e2e-success' } } })), (r) => r.Item !== undefined, 'the processor');
    ddb.destroy();
    w.clock.advance(10_000);
    w.server.runner.wake();
    await until(() => w.api.call<{ status: string }>('DescribeExecution', { executionArn }), (d) => d.status !== 'RUNNING', 'the end');
    events = await history(w, executionArn);
    await w.server.logs.flush();
  }, 60_000);
  afterAll(async () => close(w));

  it('walks the seed\'s states in order and succeeds', async () => {
    expect(enteredStates(events)).toEqual(['CollectMetrics', 'WaitForS3Processing', 'CheckProcessingComplete', 'IsProcessed', 'NotifySuccess']);
    expect(events.at(-1)?.['type']).toBe('ExecutionSucceeded');
    const waited = at(events.find((e) => e['type'] === 'WaitStateExited')) - at(events.find((e) => e['type'] === 'WaitStateEntered'));
    expect(waited).toBe(10_000);
  });

  it('left the raw object in S3 and the processed item in DynamoDB', async () => {
    // raw/<yyyy>/<mm>/<dd>/<run>.json, dated by the execution's start.
    const key = `raw/${new Date(at(events[0])).toISOString().slice(0, 10).replace(/-/g, '/')}/e2e-success.json`;
    const s3 = new S3Client({ endpoint: w.server.url, region: 'us-east-1', credentials: creds, forcePathStyle: true });
    const obj = await s3.send(new GetObjectCommand({ Bucket: PIPELINE.bucket, Key: key }));
    const raw = JSON.parse(await obj.Body!.transformToString()) as Row;
    expect(raw).toMatchObject({ schemaVersion: 1, runId: 'e2e-success', executionName: 'e2e-success' });
    expect(raw['cpu']).not.toBeNull();
    s3.destroy();
    const ddb = new DynamoDBClient({ endpoint: w.server.url, region: 'us-east-1', credentials: creds });
    const { Item } = await ddb.send(new GetItemCommand({ TableName: PIPELINE.table, Key: { runId: { S: 'e2e-success' } } }));
    ddb.destroy();
    expect(Item?.['status']).toEqual({ S: 'PROCESSED' });
    expect(Item?.['sourceKey']).toEqual({ S: key });
  });

  it('delivered the summary to the file, the webhook (Slack-compatible) and by email', async () => {
    const line = await until(async () => { try { return readFileSync(join(w.dir, 'notifications.jsonl'), 'utf8'); } catch { return ''; } }, (t) => t.length > 0, 'the file delivery');
    const n = JSON.parse(line.trim()) as Row;
    expect(n['Subject']).toBe('InfraMonitoring run e2e-success succeeded');
    expect(String(n['Message'])).toMatch(/^Run e2e-success on .*: (OK, no threshold breached|\d+ thresholds? breached)\.\nCPU [\d.]+%, memory [\d.]+%/);
    await until(async () => w.webhook.received.length, (k) => k > 0, 'the webhook');
    expect(JSON.parse(w.webhook.received[0]?.body ?? '{}')).toEqual({ text: `*InfraMonitoring run e2e-success succeeded*\n${String(n['Message'])}` });
    await until(async () => w.smtp.mails.length, (k) => k > 0, 'the email');
    expect(w.smtp.mails[0]).toMatchObject({ to: ['ops@example.com'], headers: { subject: 'InfraMonitoring run e2e-success succeeded' } });
  });

  it('logged every history event at level ALL with execution data', async () => {
    const { events: logged } = await w.server.logs.list({ group: PIPELINE.logGroup, limit: 1000 });
    const records = logged.map((l) => JSON.parse(l.message) as Row);
    expect(records.map((r) => r['type'])).toEqual(events.map((e) => e['type']));
    expect(records[0]).toMatchObject({ type: 'ExecutionStarted', execution_arn: executionArn, details: { input: '{}' } });
  });

  it('is seen by the AWS SDK (machine, executions, history) and the EventBridge API (the rule), and by the AWS CLI when installed', async () => {
    const sfn = new SFNClient({ endpoint: w.server.url, region: 'us-east-1', credentials: creds, maxAttempts: 1 });
    const machines = await sfn.send(new ListStateMachinesCommand({}));
    expect(machines.stateMachines?.map((m) => m.name)).toContain(PIPELINE.stateMachine);
    const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arns.stateMachine }));
    expect(listed.executions?.map((e) => e.name)).toContain('e2e-success');
    const h = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(h.events?.length).toBe(events.length);
    const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arns.stateMachine }));
    expect(described).toMatchObject({ roleArn: arns.role, type: 'STANDARD', loggingConfiguration: { level: 'ALL', includeExecutionData: true } });
    sfn.destroy();
    const eb = new EventBridgeClient({ endpoint: w.server.url, region: 'us-east-1', credentials: creds, maxAttempts: 1 });
    expect(await eb.send(new DescribeRuleCommand({ Name: PIPELINE.rule }))).toMatchObject({ ScheduleExpression: 'rate(1 hour)', State: 'ENABLED' });
    expect((await eb.send(new ListTargetsByRuleCommand({ Rule: PIPELINE.rule }))).Targets).toEqual([{ Id: 'pipeline', Arn: arns.stateMachine }]);
    eb.destroy();
    const hasCli = await run('aws', ['--version']).then(() => true, () => false);
    if (!hasCli) {
      console.warn('AWS CLI check SKIPPED: `aws` is not on PATH');
      return;
    }
    const env = { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' };
    const cli = async (...args: string[]) => JSON.parse((await run('aws', [...args, '--endpoint-url', w.server.url, '--output', 'json'], { env })).stdout) as Row;
    expect(JSON.stringify(await cli('stepfunctions', 'list-executions', '--state-machine-arn', arns.stateMachine))).toContain('e2e-success');
    expect(((await cli('stepfunctions', 'get-execution-history', '--execution-arn', executionArn))['events'] as Row[]).length).toBe(events.length);
    expect(await cli('events', 'describe-rule', '--name', PIPELINE.rule)).toMatchObject({ ScheduleExpression: 'rate(1 hour)' });
  });

  it('costs five billed transitions a run: 3,600 a month hourly, inside the free tier', () => {
    const transitions = billedTransitions(events as never);
    expect(transitions.total).toBe(5);
    const report = costReport({ type: 'STANDARD', windowDays: 30, projectedExecutionsPerMonth: 720, executions: [{ startDate: at(events[0]), stopDate: at(events.at(-1)), transitions }] });
    const text = formatCostReport(report);
    expect(text).toMatch(/3,600/);
    expect(text).toMatch(/\$0\.00/);
  });
});

describe('the pipeline, simulated collector failure', () => {
  let w: World;
  let events: Row[];
  let described: Row;
  beforeAll(async () => {
    w = await world('collector-failure');
    const { executionArn } = await w.api.call<{ executionArn: string }>('StartExecution', { stateMachineArn: arns.stateMachine, name: 'e2e-failure', input: '{}' });
    // Move the clock 100 ms at a time so each back-off ends within 100 ms of its due time.
    described = await until(
      () => w.api.call<Row>('DescribeExecution', { executionArn }),
      (d) => d['status'] !== 'RUNNING',
      'the failure route',
      () => {
        w.clock.advance(100);
        w.server.runner.wake();
      },
    );
    events = await history(w, executionArn);
  }, 60_000);
  afterAll(async () => close(w));

  it('invokes the collector four times, backing off 1, 2 and 4 seconds', () => {
    const failed = events.filter((e) => e['type'] === 'TaskFailed');
    const scheduled = events.filter((e) => e['type'] === 'TaskScheduled');
    expect(failed.slice(0, 4).map((e) => (e['taskFailedEventDetails'] as Row)['error'])).toEqual(Array(4).fill('CollectorFailure'));
    const gaps = [1, 2, 3].map((i) => at(scheduled[i]) - at(failed[i - 1]));
    [1000, 2000, 4000].forEach((d, i) => {
      expect(gaps[i]).toBeGreaterThanOrEqual(d);
      expect(gaps[i]).toBeLessThanOrEqual(d + 100);
    });
  });

  it('routes to NotifyFailure and ends FAILED with the collector\'s error', () => {
    expect(enteredStates(events)).toEqual(['CollectMetrics', 'NotifyFailure', 'PipelineFailed']);
    expect(described).toMatchObject({ status: 'FAILED', error: 'CollectorFailure' });
    expect(String(described['cause'])).toContain('Simulated failure');
  });

  it('delivers a failure notification naming the execution, the state, the error and its cause', async () => {
    const line = await until(async () => { try { return readFileSync(join(w.dir, 'notifications.jsonl'), 'utf8'); } catch { return ''; } }, (t) => t.length > 0, 'the file delivery');
    const n = JSON.parse(line.trim()) as Row;
    expect(n['Subject']).toBe('InfraMonitoring pipeline failed');
    expect(String(n['Message'])).toMatch(/^InfraMonitoring execution e2e-failure failed in state CollectMetrics\.\nError: CollectorFailure\nCause: .*Simulated failure/s);
    await until(async () => w.smtp.mails.length, (k) => k > 0, 'the email');
    expect(w.smtp.mails[0]?.body).toContain('failed in state CollectMetrics');
  });
});
