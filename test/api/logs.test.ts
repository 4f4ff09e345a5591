/**
 * Execution logs as CloudWatch Logs would hold them: a machine logging at level ALL with execution
 * data gets one record per history event in its log group (store + JSON lines); ERROR keeps only
 * failure events; includeExecutionData false drops inputs and outputs; FilterLogEvents (the
 * CloudWatch Logs API subset), `stepwise logs tail` and the AWS CLI read them.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateStateMachineCommand, DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { logsCommand } from '../../src/cli/logs-commands.js';
import { SignedPoster } from '../../src/cli/api-client.js';
import { eventually, ROLE, startHarness, type Harness } from './harness.js';

const run = promisify(execFile);
const DEFINITION = JSON.stringify({
  StartAt: 'Check',
  States: {
    Check: { Type: 'Choice', Choices: [{ Variable: '$.ok', BooleanEquals: true, Next: 'Fine' }], Default: 'Broken' },
    Fine: { Type: 'Pass', Result: { all: 'good' }, End: true },
    Broken: { Type: 'Fail', Error: 'Pipeline.Broken', Cause: 'input said so' },
  },
});
const group = (name: string) => `arn:aws:logs:us-east-1:123456789012:log-group:/aws/vendedlogs/states/${name}:*`;

let h: Harness;
const dataDir = mkdtempSync(join(tmpdir(), 'stepwise-logs-'));
const arns: Record<string, string> = {};

async function runToEnd(machine: string, name: string, input: unknown): Promise<void> {
  const { executionArn } = await h.client().send(new StartExecutionCommand({ stateMachineArn: arns[machine], name, input: JSON.stringify(input) }));
  await eventually(() => h.client().send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
  await h.server.logs.flush();
}

async function filter(logGroupName: string, extra: Record<string, unknown> = {}): Promise<{ events: { logStreamName: string; message: string; timestamp: number }[]; nextToken?: string }> {
  const r = await logsCall('FilterLogEvents', { logGroupName, ...extra });
  expect(r.status).toBe(200);
  return JSON.parse(r.text) as never;
}

function logsCall(op: string, body: Record<string, unknown>): Promise<{ status: number; text: string }> {
  const poster = new SignedPoster({ endpoint: h.url, accessKeyId: 'test', secretAccessKey: 'test', region: 'us-east-1' }, 'logs');
  return poster.post({ 'x-amz-target': `Logs_20140328.${op}`, 'content-type': 'application/x-amz-json-1.1' }, JSON.stringify(body));
}

beforeAll(async () => {
  h = await startHarness({ args: { dataDir } });
  for (const [name, level, data] of [['AllData', 'ALL', true], ['ErrorsOnly', 'ERROR', true], ['NoData', 'ALL', false], ['Silent', 'OFF', false]] as const) {
    const loggingConfiguration = level === 'OFF' ? { level } : { level, includeExecutionData: data, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: group(name) } }] };
    arns[name] = (await h.client().send(new CreateStateMachineCommand({ name, definition: DEFINITION, roleArn: ROLE, loggingConfiguration }))).stateMachineArn as string;
  }
  await runToEnd('AllData', 'good', { ok: true });
  await runToEnd('AllData', 'bad', { ok: false });
  await runToEnd('ErrorsOnly', 'bad', { ok: false });
  await runToEnd('NoData', 'good', { ok: true });
  await runToEnd('Silent', 'good', { ok: true });
});
afterAll(async () => {
  await h.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('execution logs', () => {
  it('level ALL with execution data: one record per history event, in order, in the shape CloudWatch holds', async () => {
    const { events } = await filter('/aws/vendedlogs/states/AllData', { logStreamNames: ['states/AllData/good'] });
    const records = events.map((e) => JSON.parse(e.message) as Record<string, unknown>);
    expect(records.map((r) => r['type'])).toEqual(['ExecutionStarted', 'ChoiceStateEntered', 'ChoiceStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
    expect(records[0]).toEqual({
      id: '1',
      type: 'ExecutionStarted',
      details: { input: '{"ok":true}', inputDetails: { truncated: false }, roleArn: ROLE },
      previous_event_id: '0',
      event_timestamp: expect.stringMatching(/^\d{13}$/),
      execution_arn: 'arn:aws:states:us-east-1:123456789012:execution:AllData:good',
      redrive_count: '0',
    });
    expect(records[5]).toMatchObject({ details: { output: '{"all":"good"}', outputDetails: { truncated: false } } });
    expect(events.every((e) => e.logStreamName === 'states/AllData/good')).toBe(true);
    // The group holds both executions' streams.
    const all = await filter('/aws/vendedlogs/states/AllData');
    expect(new Set(all.events.map((e) => e.logStreamName))).toEqual(new Set(['states/AllData/good', 'states/AllData/bad']));
  });

  it('level ERROR keeps only failure events; OFF logs nothing', async () => {
    const { events } = await filter('/aws/vendedlogs/states/ErrorsOnly');
    expect(events.map((e) => (JSON.parse(e.message) as { type: string }).type)).toEqual(['FailStateEntered', 'ExecutionFailed']);
    expect(JSON.parse(events[1]?.message ?? '{}')).toMatchObject({ details: { error: 'Pipeline.Broken', cause: 'input said so' } });
    const groups = JSON.parse((await logsCall('DescribeLogGroups', {})).text) as { logGroups: { logGroupName: string }[] };
    expect(groups.logGroups.map((g) => g.logGroupName).sort()).toEqual(['/aws/vendedlogs/states/AllData', '/aws/vendedlogs/states/ErrorsOnly', '/aws/vendedlogs/states/NoData']);
  });

  it('includeExecutionData false leaves inputs and outputs out', async () => {
    const { events } = await filter('/aws/vendedlogs/states/NoData');
    const records = events.map((e) => JSON.parse(e.message) as { details: Record<string, unknown> });
    expect(records).toHaveLength(6);
    expect(records[0]?.details).toEqual({ roleArn: ROLE });
    expect(records.every((r) => !('input' in r.details) && !('output' in r.details))).toBe(true);
  });

  it('pages with nextToken and writes the same records as JSON lines under the data directory', async () => {
    const first = await filter('/aws/vendedlogs/states/AllData', { limit: 4 });
    expect(first.events).toHaveLength(4);
    const rest = await filter('/aws/vendedlogs/states/AllData', { nextToken: first.nextToken });
    const all = await filter('/aws/vendedlogs/states/AllData');
    expect([...first.events, ...rest.events].map((e) => e.message)).toEqual(all.events.map((e) => e.message));
    const file = join(dataDir, 'logs', 'aws_vendedlogs_states_AllData.jsonl');
    expect(existsSync(file)).toBe(true);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines.sort()).toEqual(all.events.map((e) => e.message).sort());
  });

  it('stepwise logs tail prints a machine\'s records', async () => {
    const out: string[] = [];
    expect(await main(['logs', 'tail', 'ErrorsOnly', '--endpoint', h.url], (l) => out.push(l))).toBe(0);
    expect(out).toEqual([expect.stringMatching(/states\/ErrorsOnly\/bad {2}FailStateEntered {2}Broken {2}input {"ok":false}$/), expect.stringMatching(/ExecutionFailed {2}Pipeline\.Broken: input said so$/)]);
    const json: string[] = [];
    await main(['logs', 'tail', 'AllData', '--execution', 'bad', '--json', '--endpoint', h.url], (l) => json.push(l));
    expect(json.map((l) => (JSON.parse(l) as { type: string }).type)).toEqual(['ExecutionStarted', 'ChoiceStateEntered', 'ChoiceStateExited', 'FailStateEntered', 'ExecutionFailed']);
    const silent: string[] = [];
    expect(await main(['logs', 'tail', 'Silent', '--endpoint', h.url], (l) => silent.push(l), (l) => silent.push(l))).toBe(2);
    expect(silent.join('\n')).toMatch(/does not log/);
  });

  it('stepwise logs tail --follow prints records as later executions log them, until stopped', async () => {
    const out: string[] = [];
    const stop = new AbortController();
    const following = logsCommand(['tail', 'ErrorsOnly', '--follow', '--endpoint', h.url], (l) => out.push(l), { pollMs: 20, signal: stop.signal });
    await eventually(async () => out.length, (n) => n === 2);
    await runToEnd('ErrorsOnly', 'later', { ok: false });
    await eventually(async () => out.length, (n) => n === 4);
    stop.abort();
    expect(await following).toBe(0);
    expect(out.slice(2)).toEqual([expect.stringContaining('states/ErrorsOnly/later  FailStateEntered'), expect.stringContaining('states/ErrorsOnly/later  ExecutionFailed')]);
  });

  it('the AWS CLI reads them (filter-log-events) when it is on PATH', async () => {
    const hasCli = await run('aws', ['--version']).then(() => true, () => false);
    if (!hasCli) {
      console.warn('the AWS CLI check SKIPPED: `aws` is not on PATH');
      return;
    }
    const env = { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' };
    const { stdout } = await run('aws', ['logs', 'filter-log-events', '--log-group-name', '/aws/vendedlogs/states/ErrorsOnly', '--log-stream-names', 'states/ErrorsOnly/bad', '--output', 'json', '--endpoint-url', h.url], { env });
    const answer = JSON.parse(stdout) as { events: { logStreamName: string; message: string }[] };
    expect(answer.events.map((e) => (JSON.parse(e.message) as { type: string }).type)).toEqual(['FailStateEntered', 'ExecutionFailed']);
    expect(answer.events[0]?.logStreamName).toBe('states/ErrorsOnly/bad');
  });
});
