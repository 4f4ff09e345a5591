/**
 * `stepwise render` against a real server running the InfraMonitoring pipeline: the bare diagram,
 * a succeeded execution and a failed one, as SVG (and PNG), every state drawn with its status.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateStateMachineCommand, DescribeExecutionCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { CreateTableCommand, DynamoDBClient, PutItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { LambdaHandler } from '../../src/integrations/lambda-local.js';
import { isObject, type JsonObject } from '../../src/lib/json.js';
import { collectMetrics, newWorld } from '../../src/pipeline/stand-ins.js';
import { renderCommand } from '../../src/cli/render-command.js';
import { UsageError } from '../../src/cli/run-command.js';
import { eventually, ROLE, startHarness, type Harness } from '../api/harness.js';

const PIPELINE = JSON.parse(readFileSync(new URL('../../src/pipeline/infra-monitoring.asl.json', import.meta.url), 'utf8')) as JsonObject;
const STATES = Object.keys(PIPELINE['States'] as JsonObject);
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * The pipeline as deployed, made quick for a test on the system clock: no 10-second Wait, one
 * retry a second later. The states and their transitions are the definition's own.
 */
function quick(definition: JsonObject): JsonObject {
  const states = Object.entries(definition['States'] as JsonObject).map(([name, state]) => {
    const s = { ...(state as JsonObject) };
    if (s['Type'] === 'Wait') s['Seconds'] = 0;
    if (Array.isArray(s['Retry'])) s['Retry'] = s['Retry'].map((r) => ({ ...(r as JsonObject), IntervalSeconds: 1, MaxAttempts: 1 }));
    return [name, s];
  });
  return { ...definition, States: Object.fromEntries(states) };
}

let h: Harness;
let sfn: SFNClient;
let ddb: DynamoDBClient;
const dir = mkdtempSync(join(tmpdir(), 'stepwise-render-'));
const artifacts = resolve('test-artifacts/render');

/**
 * data-collector, stood in: `collector-down` can collect nothing; `flaky-…` fails its first call;
 * otherwise it collects, and the processor (which S3's notification would run) writes the
 * run's PROCESSED item to the server's ProcessedMetrics table.
 */
function collector(): LambdaHandler {
  const world = newWorld(() => ({ cpuCount: 2, load1: 0.3, memoryPercent: 41.5, uptimeSeconds: 3600 }));
  const calls = new Map<string, number>();
  return async (event) => {
    const e = isObject(event) ? event : {};
    const name = String(e['executionName']);
    calls.set(name, (calls.get(name) ?? 0) + 1);
    if (name === 'collector-down' || (name.startsWith('flaky-') && calls.get(name) === 1)) {
      throw Object.assign(new Error('No metrics could be collected; nothing was written.'), { name: 'CollectorFailure' });
    }
    const result = collectMetrics(world, e);
    const item = world.processed.get(String(result['runId'])) as unknown as Record<string, AttributeValue>;
    await ddb.send(new PutItemCommand({ TableName: 'ProcessedMetrics', Item: item }));
    return result;
  };
}

beforeAll(async () => {
  h = await startHarness({ handlers: new Map([['data-collector', collector()]]), args: { topics: [{ name: 'InfraMonitoring-Alerts', subscriptions: [] }] } });
  sfn = h.client();
  ddb = new DynamoDBClient({ endpoint: h.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  await ddb.send(new CreateTableCommand({ TableName: 'ProcessedMetrics', KeySchema: [{ AttributeName: 'runId', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'runId', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }));
  mkdirSync(artifacts, { recursive: true });
});

afterAll(async () => {
  ddb.destroy();
  await h.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** `stepwise render …` into the temp dir (a copy kept under test-artifacts/render), and what it printed. */
async function render(file: string, ...args: string[]): Promise<{ code: number; out: string[]; path: string }> {
  const out: string[] = [];
  const path = join(dir, file);
  const code = await renderCommand([...args, '--out', path, '--endpoint', h.url], (l) => out.push(l));
  copyFileSync(path, join(artifacts, file));
  return { code, out, path };
}

/** Each drawn state's `data-status`, by its `data-state`. */
function drawn(svg: string): Record<string, string | undefined> {
  const states = svg.split('\n').filter((line) => line.startsWith('<g class="sw-state"'));
  return Object.fromEntries(states.map((e) => [/ data-state="([^"]*)"/.exec(e)?.[1], / data-status="([^"]*)"/.exec(e)?.[1]]));
}

/** Every state of the pipeline not reached, but for those given. */
const reached = (states: Record<string, string>): Record<string, string> => ({ ...Object.fromEntries(STATES.map((n) => [n, 'notReached'])), ...states });

async function run(stateMachineArn: string, name: string): Promise<{ executionArn: string; status: string | undefined }> {
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name }));
  const done = await eventually(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
  return { executionArn: executionArn as string, status: done.status };
}

describe('stepwise render', () => {
  it('draws the InfraMonitoring pipeline, then a succeeded and a failed execution of it, with each state’s status', async () => {
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'InfraMonitoring', roleArn: ROLE, definition: JSON.stringify(quick(PIPELINE)) }));
    const [ok, failed] = await Promise.all([run(stateMachineArn as string, 'flaky-then-fine'), run(stateMachineArn as string, 'collector-down')]);
    expect([ok.status, failed.status]).toEqual(['SUCCEEDED', 'FAILED']);
    expect(STATES).toHaveLength(10);

    const diagram = await render('infra-monitoring.svg', 'InfraMonitoring');
    expect(diagram).toMatchObject({ code: 0, out: [`wrote ${diagram.path}`] });
    const plain = readFileSync(diagram.path, 'utf8');
    expect(plain).toContain('>InfraMonitoring</text>');
    expect(drawn(plain)).toEqual(Object.fromEntries(STATES.map((n) => [n, 'none'])));

    const good = await render('infra-monitoring-succeeded.svg', 'InfraMonitoring', '--execution', 'flaky-then-fine');
    expect(good).toMatchObject({ code: 0, out: [`wrote ${good.path}`] });
    const green = readFileSync(good.path, 'utf8');
    expect(green).toContain('>InfraMonitoring · flaky-then-fine · SUCCEEDED</text>');
    expect(drawn(green)).toEqual(
      reached({ CollectMetrics: 'retried', WaitForS3Processing: 'succeeded', CheckProcessingComplete: 'succeeded', IsProcessed: 'succeeded', NotifySuccess: 'succeeded' }),
    );

    const bad = await render('infra-monitoring-failed.svg', stateMachineArn as string, '--execution', failed.executionArn);
    expect(bad).toMatchObject({ code: 0, out: [`wrote ${bad.path}`] });
    const red = readFileSync(bad.path, 'utf8');
    expect(red).toContain('>InfraMonitoring · collector-down · FAILED</text>');
    expect(drawn(red)).toEqual(reached({ CollectMetrics: 'caught', NotifyFailure: 'succeeded', PipelineFailed: 'failed' }));

    const png = await render('infra-monitoring-failed.png', 'InfraMonitoring', '--execution', 'collector-down', '--scale', '2');
    expect(png).toMatchObject({ code: 0, out: [`wrote ${png.path}`] });
    const bytes = readFileSync(png.path);
    expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(bytes.readUInt32BE(16)).toBe(2 * Number(/<svg [^>]*width="(\d+)"/.exec(red)?.[1]));
  });

  it('refuses an execution of another state machine', async () => {
    const other = await sfn.send(new CreateStateMachineCommand({ name: 'Other', roleArn: ROLE, definition: JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }) }));
    const { executionArn } = await run(other.stateMachineArn as string, 'elsewhere');
    await expect(renderCommand(['InfraMonitoring', '--execution', executionArn, '--out', join(dir, 'x.svg'), '--endpoint', h.url], () => undefined)).rejects.toThrow(/belongs to .*:stateMachine:Other, not to state machine 'InfraMonitoring'/);
  });

  it.each([
    ['an output that is neither SVG nor PNG', ['InfraMonitoring', '--out', 'diagram.pdf'], /--out must name a \.svg or \.png file/],
    ['no output', ['InfraMonitoring'], /needs --out/],
    ['no state machine', ['--out', 'diagram.svg'], /needs exactly one state machine/],
    ['a scale for an SVG', ['InfraMonitoring', '--out', 'diagram.svg', '--scale', '2'], /PNG .* only/],
    ['a scale that is no zoom', ['InfraMonitoring', '--out', 'diagram.png', '--scale', '0'], /--scale must be/],
  ])('is a usage error: %s', async (_, argv, message) => {
    const call = renderCommand([...argv, '--endpoint', h.url], () => undefined);
    await expect(call).rejects.toThrow(UsageError);
    await expect(call).rejects.toThrow(message);
  });
});
