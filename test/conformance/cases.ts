/** Loads the conformance cases recorded against AWS and runs them through the engine. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runLocal, type LocalRunResult, type TaskInvoker } from '../../src/engine/local-run.js';
import { localLambdaInvoker, type LambdaHandler } from '../../src/integrations/lambda-local.js';
import { eventsInvoker, MemoryEventBus } from '../../src/integrations/events.js';
import { systemClock } from '../../src/engine/clock.js';
import { openStore } from '../../src/stores/open.js';
import { LocalDynamoDb } from '../../src/integrations/dynamodb/local-dynamodb.js';
import { dynamoDbIntegration } from '../../src/integrations/dynamodb/task-integration.js';
import { snsIntegration } from '../../src/integrations/sns/index.js';
import { LocalS3 } from '../../src/integrations/s3/local-s3.js';
import { s3Integration } from '../../src/integrations/s3/task-integration.js';
import { nestedExecutionInvoker, type NestedExecutionPort, type NestedOutcome } from '../../src/integrations/states.js';
import { canonicalSketch, compareOutcome, type RecordedCase } from './compare.js';
import { CONFORMANCE_FUNCTIONS, functionNameOfHandler } from './lambda-functions.js';

const here = dirname(fileURLToPath(import.meta.url));

export function conformanceDir(): string {
  return process.env['STEPWISE_CONFORMANCE_DIR'] ?? resolve(here, '../../../shared/conformance');
}

export function loadCases(): RecordedCase[] | undefined {
  const file = resolve(conformanceDir(), 'cases.json');
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as RecordedCase[];
}

export function serviceFree(cases: RecordedCase[]): RecordedCase[] {
  return cases.filter((c) => c.needs.length === 0);
}

/** The needs issue #5 covers: cases needing only these run with Stepwise's local integrations. */
export const INTEGRATION_NEEDS = ['lambda', 'sns', 'dynamodb', 'aws-sdk:dynamodb', 's3', 'aws-sdk:s3', 'stepfunctions', 'events', 'task-token-callback'] as const;

/** Cases that need services, all of them among INTEGRATION_NEEDS. */
export function integrationCases(cases: RecordedCase[]): RecordedCase[] {
  return cases.filter((c) => c.needs.length > 0 && c.needs.every((n) => (INTEGRATION_NEEDS as readonly string[]).includes(n)));
}

/** The needs Stepwise can serve in this harness today; a case needing anything else is reported as not runnable. */
const SERVED_NEEDS = new Set(['lambda', 'stepfunctions', 'events', 'sns', 'dynamodb', 'aws-sdk:dynamodb', 's3', 'aws-sdk:s3']);
/**
 * Setup steps the harness reproduces: Lambda functions, an SNS topic (and its deletion), a
 * DynamoDB table with the fixture's key (`id`, a string), an S3 bucket; the events fixture only
 * observes the bus, and `s3.get_object` reads back what a case wrote. An `s3.put_object` cannot be
 * reproduced: the recordings do not give the object's content.
 */
const HARMLESS_SETUP = [
  /^create_lambda_function\(/,
  /^fixture:events_to_sqs_queue$/,
  /^fixture:sns_create_topic$/,
  /^sns\.delete_topic$/,
  /^fixture:dynamodb_create_table$/,
  /^fixture:s3_create_bucket$/,
  /^s3\.get_object$/,
  // A client set up without the sync- host prefix: how the recording called StartSyncExecution.
  /^fixture:aws_client_no_sync_prefix$/,
];
const BUCKET = 'conformance-bucket';
const TOPIC = 'conformance-topic';
const TABLE = 'conformance-table';

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const lambdaArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;

interface Prepared {
  definition: Record<string, unknown>;
  input: unknown;
  invoker: TaskInvoker;
  /** Release what the case's resources hold (its store). */
  close(): Promise<void>;
}

/**
 * A case with its `{{name}}` parameters and masked input values replaced by local resources: each
 * Lambda function the case creates becomes a local function of the same behaviour.
 */
export async function prepareCase(c: RecordedCase): Promise<Prepared> {
  const handlers = new Map<string, LambdaHandler>();
  const addFunction = (handlerPath: string): string => {
    const name = functionNameOfHandler(handlerPath);
    const fn = CONFORMANCE_FUNCTIONS[name];
    if (!fn) throw new Error(`no local function for Lambda handler '${handlerPath}'`);
    handlers.set(name, fn);
    return name;
  };
  // The functions a case's setup creates; its masked input values and `uid` parameters name them.
  const created = (c.setup ?? []).map((s) => /^create_lambda_function\((.+)\)$/.exec(s)?.[1]).filter((h): h is string => h !== undefined).map(addFunction);
  const createdName = (index: number): string => {
    const name = created[index] ?? created[0];
    if (name === undefined) throw new Error('the case names a Lambda function that its setup does not create');
    return name;
  };
  const substitute = (text: string): string => {
    for (const [key, p] of Object.entries(c.params ?? {})) {
      let name: string;
      if (p.service === 'lambda' && p.lambdaHandler !== undefined) name = addFunction(p.lambdaHandler);
      else if (p.origin === 'uid') name = createdName(0);
      else throw new Error(`parameter '${key}' needs ${p.service ?? 'an unknown service'}`);
      text = text.split(`{{${key}}}`).join(p.origin === 'uid' ? name : lambdaArn(name));
    }
    // A function placeholder with no parameter names the function the setup creates.
    return text.replace(/\{\{(\w*function\w*)\}\}/g, () => lambdaArn(createdName(0)));
  };
  // Other state machines the case creates (nested executions): ConformanceChild0, 1, ...
  const children = (c.otherStateMachines ?? []).map((m, i) => ({ arn: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:ConformanceChild${i}`, definition: JSON.parse(substitute(JSON.stringify(m.definition))) as Record<string, unknown> }));
  const definition = substitute(JSON.stringify(c.definition));
  // Masked function names in the input (`<lambda_function_name>`, `lambda_function_name`,
  // `function_name_branch2`, ...) name the created functions: by their number, else in order.
  let input = JSON.stringify(c.input);
  let nth = 0;
  for (const token of c.inputPlaceholders ?? []) {
    if (!/function/i.test(token) || token.startsWith('arn:')) continue;
    const digits = /(\d+)\W*$/.exec(token.replace(/[_-]?name>?$/, ''))?.[1];
    const name = createdName(digits !== undefined ? Number(digits) - 1 : nth++);
    input = input.split('arn:<partition>:lambda:<region>:111111111111:function:').join(`arn:aws:lambda:${REGION}:${ACCOUNT}:function:`).split(token).join(name);
  }
  if (children[0]) {
    input = input.split('arn:<partition>:states:<region>:111111111111:stateMachine:<ArnPart_0idx>').join(children[0].arn);
    if ((c.inputPlaceholders ?? []).includes('state-machine-arn')) input = input.split('state-machine-arn').join(children[0].arn);
  }
  input = substitute(input);
  // SNS and DynamoDB keep their resources in a store of the case's own.
  const store = openStore('sqlite::memory:');
  await store.migrate();
  const clock = systemClock;
  const setup = c.setup ?? [];
  const fifo = JSON.stringify(c.definition).includes('MessageGroupId');
  const topicName = fifo ? `${TOPIC}.fifo` : TOPIC;
  const topicArn = `arn:aws:sns:${REGION}:${ACCOUNT}:${topicName}`;
  const topics = setup.includes('fixture:sns_create_topic') && !setup.includes('sns.delete_topic') ? [{ name: topicName, subscriptions: [] }] : [];
  for (const token of ['topic-arn', 'arn:<partition>:sns:<region>:111111111111:<resource:1>']) input = input.split(token).join(topicArn);
  for (const token of ['<test-table>', 'table-name']) if ((c.inputPlaceholders ?? []).includes(token)) input = input.split(token).join(TABLE);
  if ((c.inputPlaceholders ?? []).includes('bucket-name')) input = input.split('bucket-name').join(BUCKET);
  const s3Local = new LocalS3(store, clock);
  // The fixture's bucket: the one a definition names literally, if it does.
  const literalBucket = /"Bucket":"([a-z0-9.-]{3,63})"/.exec(definition)?.[1];
  if (setup.includes('fixture:s3_create_bucket')) await s3Local.declare([{ name: literalBucket ?? BUCKET }]);
  const local = new LocalDynamoDb(store, clock);
  if (setup.includes('fixture:dynamodb_create_table')) {
    await local.call('CreateTable', { TableName: TABLE, KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' });
  }
  const lambdas = localLambdaInvoker(handlers);
  const port = new LocalNestedExecutions(children);
  const events = eventsInvoker(new MemoryEventBus(), { region: REGION, account: ACCOUNT, now: () => Date.now() }, nestedExecutionInvoker(port, lambdas));
  const sns = snsIntegration({ store, clock, topics, fallback: events });
  await sns.start();
  const invoker = dynamoDbIntegration(store, clock, { local, next: s3Integration(store, clock, { local: s3Local, next: sns }) });
  port.invoker = invoker;
  return {
    definition: JSON.parse(definition) as Record<string, unknown>,
    input: JSON.parse(input) as unknown,
    invoker,
    close: async () => {
      s3Local.close();
      await sns.close();
      await store.close();
    },
  };
}

/** Nested executions run in process, each with its own simulated clock. */
class LocalNestedExecutions implements NestedExecutionPort {
  invoker: TaskInvoker | undefined;
  private readonly runs = new Map<string, Promise<NestedOutcome>>();

  constructor(private readonly machines: { arn: string; definition: Record<string, unknown> }[]) {}

  start(req: { stateMachineArn: string; input: string; name: string | undefined }): Promise<{ executionArn: string; startDate: number }> {
    const m = this.machines.find((x) => x.arn === req.stateMachineArn);
    if (!m) return Promise.reject(new Error(`no state machine ${req.stateMachineArn} in this case`));
    const name = req.name ?? `child-${this.runs.size}`;
    const smName = m.arn.split(':')[6] as string;
    const executionArn = `arn:aws:states:${REGION}:${ACCOUNT}:execution:${smName}:${name}`;
    const startDate = Date.now();
    const run = runLocal(m.definition, JSON.parse(req.input) as unknown, { name, stateMachineName: smName, ...(this.invoker ? { invoker: this.invoker } : {}) }).then(
      (r): NestedOutcome => ({
        executionArn,
        stateMachineArn: m.arn,
        name,
        status: r.status as NestedOutcome['status'],
        startDate,
        stopDate: Date.now(),
        input: req.input,
        output: r.output,
        error: r.error,
        cause: r.cause,
        redriveCount: 0,
        redriveStatus: r.status === 'SUCCEEDED' ? 'NOT_REDRIVABLE' : 'REDRIVABLE',
        redriveStatusReason: r.status === 'SUCCEEDED' ? 'Execution is SUCCEEDED and cannot be redriven' : undefined,
      }),
    );
    this.runs.set(executionArn, run);
    return Promise.resolve({ executionArn, startDate });
  }

  closed(executionArn: string): Promise<NestedOutcome> {
    return this.runs.get(executionArn) ?? Promise.reject(new Error(`unknown execution ${executionArn}`));
  }
}

/** Why a case cannot run with what Stepwise serves in this harness, if it cannot. */
export function notRunnable(c: RecordedCase): string | undefined {
  const missing = c.needs.filter((n) => !SERVED_NEEDS.has(n));
  if (missing.length) return `needs ${missing.join(', ')} (not served by the harness yet)`;
  const other = (c.setup ?? []).filter((s) => !HARMLESS_SETUP.some((re) => re.test(s)));
  if (other.length) return `setup not reproducible: ${other.join(', ')}`;
  return undefined;
}

export interface CaseResult {
  id: string;
  area: string;
  ok: boolean;
  reason: string | undefined;
  sketchOk: boolean | undefined;
  sketchReason: string | undefined;
}

const TIMEOUT_MS = 10_000;

export async function runCase(c: RecordedCase): Promise<CaseResult> {
  let run: LocalRunResult;
  let p: Prepared | undefined;
  try {
    p = c.needs.length === 0 ? undefined : await prepareCase(c);
    run = await Promise.race([
      runLocal(p?.definition ?? c.definition, p?.input ?? c.input, {
        type: c.stateMachineType,
        stateMachineName: 'ConformanceMachine',
        name: 'conformance-execution',
        ...(p ? { invoker: p.invoker } : {}),
      }),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no outcome within ${TIMEOUT_MS} ms`)), TIMEOUT_MS).unref()),
    ]);
  } catch (err) {
    const msg = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return { id: c.id, area: c.area, ok: false, reason: `engine error: ${msg}`, sketchOk: undefined, sketchReason: undefined };
  } finally {
    await p?.close();
  }
  const diffs = compareOutcome(c, run);
  let sketchOk: boolean | undefined;
  let sketchReason: string | undefined;
  if (c.historySketch) {
    const ours = canonicalSketch(sketchOf(run));
    const theirs = canonicalSketch(c.historySketch);
    sketchOk = ours.length === theirs.length && ours.every((e, i) => e === theirs[i]);
    if (!sketchOk) {
      const i = ours.findIndex((e, k) => e !== theirs[k]);
      sketchReason = `at #${i}: expected ${theirs[i] ?? '(end)'} got ${ours[i] ?? '(end)'}`;
    }
  }
  return { id: c.id, area: c.area, ok: diffs.length === 0, reason: diffs[0], sketchOk, sketchReason };
}

/** Our history as a sketch: event types, with the state name for state entered/exited events. */
export function sketchOf(run: LocalRunResult): string[] {
  return run.history.map((e) => {
    const name = (e.details as { name?: unknown } | undefined)?.name;
    return /State(Entered|Exited)$/.test(e.type) && typeof name === 'string' ? `${e.type}:${name}` : e.type;
  });
}
