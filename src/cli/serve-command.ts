/**
 * `stepwise serve`: the composition root of the server. Opens and migrates the store, starts the
 * durable runner with the local Lambda invoker, and serves the API; on SIGTERM/SIGINT it stops
 * taking requests, lets in-flight tasks finish, and closes the store.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Json } from '../lib/json.js';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { StatesError } from '../asl/errors.js';
import { systemClock, type Clock } from '../engine/clock.js';
import type { TaskInvoker } from '../engine/local-run.js';
import { DurableRunner } from '../engine/runner.js';
import type { Store } from '../engine/store.js';
import { parseHandlerSpec, type LambdaHandler } from '../integrations/lambda-local.js';
import { lambdaInvoker, LambdaRuntime, type ModuleFunction } from '../integrations/lambda-runtime.js';
import { ExecutionQueries } from '../service/execution-queries.js';
import { ExecutionService } from '../service/executions.js';
import { machineLabel, Metrics } from '../service/metrics.js';
import { ActivityService } from '../service/activities.js';
import { activityInvoker } from '../integrations/activities.js';
import { dynamoDbIntegration } from '../integrations/dynamodb/task-integration.js';
import { LocalDynamoDb } from '../integrations/dynamodb/local-dynamodb.js';
import { dynamoDbHttpHandler } from '../integrations/dynamodb/http.js';
import { remoteDynamoDb, type RemoteDynamoDbOptions } from '../integrations/dynamodb/passthrough.js';
import { LocalS3, type BucketDeclaration } from '../integrations/s3/local-s3.js';
import { s3Integration } from '../integrations/s3/task-integration.js';
import { s3HttpHandler } from '../integrations/s3/http.js';
import { remoteS3, type RemoteS3Options } from '../integrations/s3/passthrough.js';
import { StateMachineService, type LoggingConfiguration } from '../service/state-machines.js';
import type { TableConfig } from '../config/types.js';
import { DynamoDbError } from '../integrations/dynamodb/errors.js';
import { ExecutionLogs, logGroupName, logStreamName } from '../service/execution-logs.js';
import { consoleRoutes } from '../console/app/index.js';
import { FunctionIdentities } from '../integrations/iam/function-identities.js';
import { s3Action } from '../api/iam-actions.js';
import type { SessionPersistence } from '../console/app/session.js';
import { Hono } from 'hono';
import { upcomingFireTimes } from '../scheduler/schedule-ops.js';
import { ExecutionMonitor, type MonitorConfig } from '../service/execution-monitor.js';
import { logsApi } from '../api/logs-api.js';
import { NestedExecutions } from '../service/nested-executions.js';
import { BUS_EVENT_RETENTION_MS, StoreEventBus } from '../service/event-bus.js';
import { nestedExecutionInvoker } from '../integrations/states.js';
import { eventsInvoker } from '../integrations/events.js';
import { putEventEntries } from '../integrations/events.js';
import { httpInvoker, type HttpConnection } from '../integrations/http/index.js';
import { snsIntegration, type SnsIntegration } from '../integrations/sns/index.js';
import { snsQueryApi } from '../integrations/sns/index.js';
import type { SmtpSettings, TopicDeclaration } from '../integrations/sns/index.js';
import { TestStateService } from '../service/test-state.js';
import { MapRunService } from '../service/map-runs.js';
import { resolveLimits, type ServiceLimits } from '../service/limits.js';
import { openStore } from '../stores/open.js';
import { createApi } from '../api/app.js';
import { listen } from '../api/listen.js';
import type { Credential } from '../api/sigv4.js';
import { UsageError } from './run-command.js';
import { iamInvoker, type RoleDefinition } from '../integrations/iam/index.js';
import { mockInvoker } from '../integrations/mocks.js';
import type { MockConfig } from '../integrations/mock-config.js';
import { parseExecutionArn } from '../service/arns.js';
import { ConfigError } from '../config/errors.js';
import { declareRules, listRules, RuleDeclarationError, type RuleDeclaration } from '../scheduler/rules.js';
import { Scheduler, serviceStarter, storeIsRunning } from '../scheduler/scheduler.js';
import { EventRules } from '../scheduler/event-rules.js';
import { executionStatusChangeEvent } from '../scheduler/sfn-status-event.js';
import { ruleApi } from '../scheduler/rule-api.js';

export interface ServeArgs {
  port: number;
  host: string;
  /** Where the embedded SQLite store lives (default `./.stepwise`). */
  dataDir?: string;
  /** A `postgres://…` URL (or any URL openStore knows) instead of the embedded store. */
  databaseUrl?: string;
  requireAuth: boolean;
  /** Local Lambda functions from the configuration, run isolated in worker threads. */
  functions?: ModuleFunction[];
  /** `Name=./file.js[#export]` specs of local Lambda handlers (isolated too; Lambda's defaults); they override `functions` of the same name. */
  handlers?: string[];
  /** Access keys besides (or, with requireAuth or off loopback, instead of) test/test. */
  credentials?: Credential[];
  /** Pass DynamoDB Task states to this endpoint (real AWS or an emulator) instead of the local tables. */
  dynamodb?: RemoteDynamoDbOptions;
  /** Quotas lower (or higher) than AWS's defaults. */
  limits?: Partial<ServiceLimits>;
  /** SNS topics (with their subscriptions) and the SMTP server email subscriptions use. */
  topics?: readonly TopicDeclaration[];
  smtp?: SmtpSettings;
  /** IAM roles (stepwise.yaml `roles`): a state machine whose role is one of them may make only the calls its policies allow. */
  roles?: readonly RoleDefinition[];
  /** --strict-iam: tasks of a role that is not defined fail, instead of calling everything with a warning. */
  strictIam?: boolean;
  /** Step Functions Local's mock configuration file (--mock-config, SFN_MOCK_CONFIG): executions started as `arn#TestCase` use it. */
  mockConfig?: MockConfig;
  /** EventBridge connections (stepwise.yaml `connections`) that HTTP Tasks (`arn:aws:states:::http:invoke`) call through. */
  connections?: readonly HttpConnection[];
  /** Local S3 buckets (stepwise.yaml `buckets`) with the notifications that invoke local functions. */
  buckets?: readonly BucketDeclaration[];
  /** Pass S3 Task states to this endpoint (real AWS or an emulator) instead of the local buckets. */
  s3?: RemoteS3Options;
  /** The largest object the local buckets store (default 16 MiB). */
  s3MaxObjectBytes?: number;
  /** Local DynamoDB tables created at startup when missing (stepwise.yaml `tables`). */
  tables?: readonly TableConfig[];
  /** Where execution logs are exported as JSON lines (default <dataDir>/logs with SQLite); false: none. */
  logExportDir?: string | false;
  /** Execution-history monitors: alerts published to a topic when a machine's failure rate or p95 duration crosses a threshold. */
  monitors?: readonly MonitorConfig[];
  /** EventBridge schedule rules (stepwise.yaml `rules`), kept in the store so that a cluster fires them once. */
  rules?: readonly RuleDeclaration[];
}

export interface RunningServer {
  readonly url: string;
  readonly store: Store;
  readonly runner: DurableRunner;
  /** Execution logs (tests `flush()` them before reading). */
  readonly logs: ExecutionLogs;
  /** The schedule rules' loop (tests drive a pass with `tick(now)`). */
  readonly scheduler: Scheduler;
  /** Stop taking requests, stop the runner (in-flight tasks finish), close the store. */
  stop(): Promise<void>;
}

/**
 * Console sign-ins in the store, so every process of a cluster (and a restarted one) knows them.
 * Records are keyed by a hash of the session id: reading the database does not hand out sessions.
 */
function storeSessions(store: Store, clock: Clock): SessionPersistence {
  const KIND = 'consoleSession';
  const key = (id: string) => createHash('sha256').update(id).digest('hex');
  return {
    async get(id) {
      const rec = await store.getResource(KIND, key(id));
      if (!rec) return undefined;
      const d = rec.doc as { accessKeyId: string; csrf: string; expiresAt: number };
      return { id, accessKeyId: d.accessKeyId, csrf: d.csrf, expiresAt: d.expiresAt };
    },
    async put(s) {
      const now = clock.now();
      await store.createResource(KIND, key(s.id), s.accessKeyId, { accessKeyId: s.accessKeyId, csrf: s.csrf, expiresAt: s.expiresAt }, now);
      // Sign-ins are few: each one also clears some expired records.
      for (const r of await store.listResources(KIND, { limit: 200 })) {
        if ((r.doc as { expiresAt: number }).expiresAt <= now) await store.deleteResource(KIND, r.arn);
      }
    },
    async delete(id) {
      await store.deleteResource(KIND, key(id));
    },
  };
}

/** S3's answer to a request its signer's role does not allow (403, S3's XML, AWS's detailed message). */
function s3AccessDenied(message: string): { status: number; headers: Record<string, string>; body: string } {
  const id = randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase();
  const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return {
    status: 403,
    headers: { 'content-type': 'application/xml', 'x-amz-request-id': id },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>${esc(message)}</Message><RequestId>${id}</RequestId><HostId>${esc(Buffer.from(id).toString('base64'))}</HostId></Error>`,
  };
}

/** Create the declared tables that do not exist; one that exists with another key schema is refused. */
async function declareTables(dynamodb: LocalDynamoDb, tables: readonly TableConfig[]): Promise<void> {
  for (const t of tables) {
    const keys = [{ AttributeName: t.partitionKey.name, KeyType: 'HASH' }, ...(t.sortKey ? [{ AttributeName: t.sortKey.name, KeyType: 'RANGE' }] : [])];
    const existing = await dynamodb.call('DescribeTable', { TableName: t.name }).catch((err: unknown) => {
      if (err instanceof DynamoDbError && err.code === 'ResourceNotFoundException') return undefined;
      throw err;
    });
    if (existing) {
      const have = JSON.stringify((existing as { Table?: { KeySchema?: unknown } }).Table?.KeySchema);
      if (have !== JSON.stringify(keys)) throw new ConfigError(`table '${t.name}' exists with the key schema ${have}, not the configured ${JSON.stringify(keys)}; Stepwise does not drop tables to match the configuration`);
      continue;
    }
    const attributes = [{ AttributeName: t.partitionKey.name, AttributeType: t.partitionKey.type }, ...(t.sortKey ? [{ AttributeName: t.sortKey.name, AttributeType: t.sortKey.type }] : [])];
    await dynamodb.call('CreateTable', { TableName: t.name, KeySchema: keys, AttributeDefinitions: attributes, BillingMode: 'PAY_PER_REQUEST' });
  }
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Answers Task resources that no local handler or integration serves yet, with a clear error. */
const noIntegration: TaskInvoker = {
  invoke: async (req) => {
    throw new StatesError(
      'States.TaskFailed',
      `Stepwise has no integration for resource '${req.resource}' yet. Local Lambda functions are declared with 'stepwise serve --handler Name=./file.js[#export]'.`,
    );
  },
};

export async function startServer(args: ServeArgs, opts: { clock?: Clock; handlers?: Map<string, LambdaHandler>; log?: (line: string) => void } = {}): Promise<RunningServer> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const clock = opts.clock ?? systemClock;
  const credentials = args.credentials ?? [];
  const strict = args.requireAuth || !isLoopback(args.host);
  if (strict && credentials.length === 0) {
    throw new UsageError(
      `${args.requireAuth ? '--require-auth' : `listening on ${args.host} (not loopback)`} needs configured credentials: ` +
        'list them under server.credentials in stepwise.yaml, or set STEPWISE_ACCESS_KEY_ID and STEPWISE_SECRET_ACCESS_KEY (the default test/test pair is accepted only on loopback)',
    );
  }
  // Module functions run isolated in worker threads; closures given by an embedder (or a test) cannot, and run in-process.
  const functions = [...(args.functions ?? []), ...(args.handlers ?? []).map((spec) => parseHandlerSpec(spec))];
  const runtime = new LambdaRuntime({ functions, handlers: new Map(opts.handlers ?? []), log });
  // Functions with a role sign with keys of their own; their calls back to Stepwise are held to the role.
  const roleArnOf = (ref: string) => (ref.startsWith('arn:') ? ref : `arn:aws:iam::123456789012:role/${ref}`);
  let identities: FunctionIdentities;
  try {
    identities = new FunctionIdentities(
      functions.filter((f): f is typeof f & { role: string } => f.role !== undefined).map((f) => ({ name: f.name, role: roleArnOf(f.role) })),
      new Map((args.roles ?? []).map((r) => [roleArnOf(r.name), r.policies])),
    );
  } catch (err) {
    await runtime.close();
    throw new ConfigError(err instanceof Error ? err.message : String(err));
  }
  for (const id of identities.identities) runtime.setFunctionCredentials(id.functionName, id);
  const authorize = (accessKeyId: string, req: { action: string; resources: string[] }) => identities.authorize(accessKeyId, req.action, req.resources)?.message;
  const lambdas = lambdaInvoker(runtime, noIntegration);
  // Activity tasks are queued for workers (GetActivityTask); the service that serves them is built below.
  const activityQueued = { notify: (): void => undefined };

  let url = args.databaseUrl;
  if (url === undefined) {
    const dir = resolve(args.dataDir ?? '.stepwise');
    mkdirSync(dir, { recursive: true });
    url = `sqlite:${resolve(dir, 'stepwise.db')}`;
  }
  const store = openStore(url);
  try {
    await store.migrate();
  } catch (err) {
    await store.close();
    await runtime.close();
    throw err;
  }
  // Integrations, each passing what it does not serve to the next: DynamoDB, S3, SNS, HTTP,
  // EventBridge, nested executions, Lambda. Nested executions need the execution service, built below.
  const nestedPort: { current?: NestedExecutions } = {};
  const nested = nestedExecutionInvoker(
    {
      start: (req) => (nestedPort.current as NestedExecutions).start(req),
      closed: (arn) => (nestedPort.current as NestedExecutions).closed(arn),
    },
    lambdas,
  );
  const storeBus = new StoreEventBus({ store, clock });
  // Events put on the bus are matched against event-pattern rules once stored (the rules come to life below).
  const eventRulesPort: { current?: EventRules } = {};
  const bus = {
    async put(evts: Parameters<StoreEventBus['put']>[0]): Promise<void> {
      const arns = await storeBus.put(evts);
      const rules = eventRulesPort.current;
      // Not marked until matched: a process that dies in between leaves the event to recovery.
      if (!rules) return;
      await rules.dispatch(evts as unknown as Json[]);
      for (const arn of arns) await storeBus.markDispatched(arn);
    },
  };
  const events = eventsInvoker(bus, { region: 'us-east-1', account: '123456789012', now: () => clock.now() }, nested);
  // HTTP Tasks call their APIs for real, through the configured connections.
  const http = httpInvoker(args.connections ?? [], { region: 'us-east-1' }, events);
  let sns: SnsIntegration;
  try {
    sns = snsIntegration({
      store,
      clock,
      topics: args.topics ?? [],
      ...(args.smtp ? { smtp: args.smtp } : {}),
      invokeFunction: (functionArn, event) => runtime.invoke(functionArn.split(':')[6] ?? functionArn, functionArn, event as never),
      fallback: http,
      onError: (err) => log(`stepwise sns: ${err instanceof Error ? err.message : String(err)}`),
    });
    await sns.start();
  } catch (err) {
    await store.close();
    await runtime.close();
    throw err;
  }
  // Local S3 buckets live in the store; Task states, the S3 API and bucket notifications share them.
  const localS3 = new LocalS3(store, clock, {
    ...(args.s3MaxObjectBytes !== undefined ? { maxObjectBytes: args.s3MaxObjectBytes } : {}),
    invokeFunction: (functionArn, event) => runtime.invoke(functionArn.split(':')[6] ?? functionArn, functionArn, event as never),
    log,
  });
  try {
    await localS3.declare(args.buckets ?? []);
  } catch (err) {
    await sns.close();
    await store.close();
    await runtime.close();
    throw err;
  }
  const s3Tasks = s3Integration(store, clock, { local: localS3, next: sns, ...(args.s3 ? { backend: remoteS3(args.s3) } : {}) });
  // Local DynamoDB tables live in the store; Task states and the DynamoDB API share them.
  const dynamodb = new LocalDynamoDb(store, clock);
  try {
    await declareTables(dynamodb, args.tables ?? []);
  } catch (err) {
    await sns.close();
    localS3.close();
    await store.close();
    await runtime.close();
    throw err;
  }
  const services = dynamoDbIntegration(store, clock, { local: dynamodb, next: s3Tasks, ...(args.dynamodb ? { backend: remoteDynamoDb(args.dynamodb) } : {}) });
  // IAM wraps every integration (TestState's calls too): each call is checked against the task's role. Activities need no permission.
  const tasks = iamInvoker(args.roles ?? [], { region: 'us-east-1', account: '123456789012', ...(args.strictIam ? { strictIam: true } : {}), log }, services);
  // Mocks (Step Functions Local's MockConfigFile) answer first, before IAM checks and any integration.
  // A mocked .waitForTaskToken task completes as SendTaskSuccess would; the execution service is built below.
  const mockCallbacks: { executions?: ExecutionService } = {};
  const withMocks = (inner: TaskInvoker): TaskInvoker =>
    args.mockConfig
      ? mockInvoker(args.mockConfig, inner, {
          completeCallback: async (req, output) => {
            // Express executions run in memory, where the invoker's own answer completes the task.
            if (req.executionArn === undefined || req.taskToken === undefined || parseExecutionArn(req.executionArn).express) return;
            await (mockCallbacks.executions as ExecutionService).sendTaskSuccess(req.taskToken, JSON.stringify(output));
          },
        })
      : inner;
  const invoker = withMocks(activityInvoker(store, clock, tasks, () => activityQueued.notify()));
  const metrics = new Metrics();
  const monitor = new ExecutionMonitor({
    store,
    clock,
    monitors: args.monitors ?? [],
    publish: (topicArn, subject, message) => sns.publish({ TopicArn: topicArn, Subject: subject, Message: message }),
    log,
  });
  // CloudWatch-style execution logs: in the store, and as JSON lines beside an embedded database.
  const executionLogs = new ExecutionLogs({
    store,
    clock,
    ...(args.logExportDir !== undefined
      ? args.logExportDir === false
        ? {}
        : { exportDir: args.logExportDir }
      : args.databaseUrl === undefined && { exportDir: resolve(args.dataDir ?? '.stepwise', 'logs') }),
    configOf: (arn) => loggingOf(arn),
    onError: (err) => log(`stepwise logs: ${err instanceof Error ? err.message : String(err)}`),
  });
  const loggingCache = new Map<string, { at: number; logging: LoggingConfiguration }>();
  async function loggingOf(executionArn: string): Promise<{ logging: LoggingConfiguration; redriveCount: number } | undefined> {
    const { stateMachineName, express } = parseExecutionArn(executionArn);
    const machineArn = `arn:aws:states:us-east-1:123456789012:stateMachine:${stateMachineName}`;
    let cached = loggingCache.get(machineArn);
    if (!cached || cached.at < clock.now() - 5000) {
      const machine = await stateMachines.describe(machineArn).catch(() => undefined);
      if (!machine) return undefined;
      cached = { at: clock.now(), logging: machine.loggingConfiguration };
      loggingCache.set(machineArn, cached);
    }
    if (cached.logging.level === 'OFF') return undefined;
    const redriveCount = express ? 0 : ((await store.getExecution(executionArn))?.redriveCount ?? 0);
    return { logging: cached.logging, redriveCount };
  }
  const runner = new DurableRunner({
    store,
    invoker,
    clock,
    onClosed: (arn, status, t) => {
      nestedPort.current?.notifyClosed(arn);
      monitor.closed(arn);
      void emitStatusChange(arn);
      metrics.executionsClosed.inc({ state_machine: machineLabel(arn), status });
      metrics.executionDuration.observe((t.stopTime - t.startTime) / 1000, { state_machine: machineLabel(arn) });
    },
    onHistory: (arn, events) => {
      const entered = events.filter((e) => e.type.endsWith('StateEntered')).length;
      if (entered) metrics.stateTransitions.inc({ state_machine: machineLabel(arn) }, entered);
      executionLogs.record(arn, events);
    },
    onTask: (resource, ms, ok) => metrics.taskDuration.observe(ms / 1000, { resource, outcome: ok ? 'succeeded' : 'failed' }),
    onStoreOp: (operation, ms) => metrics.storeLatency.observe(ms / 1000, { operation }),
  });
  const limits = resolveLimits(args.limits);
  const executions = new ExecutionService({
    store,
    clock,
    limits,
    ...(args.mockConfig ? { mockTestCases: args.mockConfig } : {}),
    wake: () => runner.wake(),
    expressInvoker: invoker,
    onStarted: (machineArn, type, arn) => {
      metrics.executionsStarted.inc({ state_machine: machineLabel(machineArn), type });
      if (type === 'STANDARD') void emitStatusChange(arn);
    },
    onExpressHistory: (arn, events) => {
      const last = events.at(-1);
      const status = { ExecutionSucceeded: 'SUCCEEDED', ExecutionFailed: 'FAILED', ExecutionTimedOut: 'TIMED_OUT', ExecutionAborted: 'ABORTED' }[last?.type ?? ''];
      if (status) metrics.executionsClosed.inc({ state_machine: machineLabel(arn), status });
      const entered = events.filter((e) => e.type.endsWith('StateEntered')).length;
      if (entered) metrics.stateTransitions.inc({ state_machine: machineLabel(arn) }, entered);
      executionLogs.record(arn, events);
    },
  });
  mockCallbacks.executions = executions;
  const stateMachines = new StateMachineService({ store, clock, limits });
  const queries = new ExecutionQueries({ store, clock, stateMachines });
  const activities = new ActivityService({ store, clock, executions, limits, wake: () => runner.wake() });
  nestedPort.current = new NestedExecutions({ store, clock, executions, stateMachines });
  activityQueued.notify = () => activities.notify();
  // TestState calls local functions for Tasks without a mock (never the activity queue).
  const testState = new TestStateService({ invoker: tasks, clock });
  const mapRuns = new MapRunService({ store, clock, wake: () => runner.wake() });
  // Declared rules go to the store, where every process of the cluster finds them.
  try {
    await declareRules(store, args.rules ?? [], clock.now());
  } catch (err) {
    await sns.close();
    localS3.close();
    await store.close();
    await runtime.close();
    throw err instanceof RuleDeclarationError ? new ConfigError(err.message) : err;
  }
  const scheduler = new Scheduler({
    store,
    clock,
    start: serviceStarter(executions, stateMachines),
    isRunning: storeIsRunning(store),
    onFired: (rule) => metrics.scheduleFires.inc({ rule }),
    onSkipped: (rule, reason) => metrics.scheduleSkips.inc({ rule, reason }),
    afterPass: async (now) => {
      await busHousekeeping(now);
      await localS3.recoverNotifications();
    },
    log,
  });
  const eventRules = new EventRules({ store, clock, start: serviceStarter(executions, stateMachines), log });
  eventRulesPort.current = eventRules;
  // Events stored but never matched (their process died in between) are matched by whoever sees them after 30 s; events are kept a day.
  let lastPrune = -Infinity;
  // Each pass reads only the events stored since the last one looked (every older one was matched by then).
  let busCursor: string | undefined;
  async function busHousekeeping(now: number): Promise<void> {
    const { events: orphans, scannedTo } = await storeBus.undispatched('default', now - 3_600_000, now - 30_000, busCursor);
    for (const { arn, event } of orphans) {
      const storedAt = Number(arn.split('/')[1]);
      await eventRules.dispatch([event], storedAt);
      await storeBus.markDispatched(arn);
    }
    busCursor = scannedTo;
    if (now - lastPrune >= 3_600_000) {
      lastPrune = now;
      await storeBus.prune('default', now - BUS_EVENT_RETENTION_MS);
    }
  }
  // Step Functions' "Execution Status Change" events (Standard executions), built only when some event rule could want them.
  async function emitStatusChange(executionArn: string): Promise<void> {
    try {
      if (!(await eventRules.anyRules())) return;
      const rec = await store.getExecution(executionArn);
      if (!rec) return;
      const event = executionStatusChangeEvent(
        {
          executionArn,
          stateMachineArn: rec.stateMachineArn,
          name: rec.name,
          status: rec.status,
          startDate: rec.startTime,
          ...(rec.stopTime !== undefined && { stopDate: rec.stopTime }),
          input: rec.input,
          ...(rec.output !== undefined && { output: rec.output }),
          ...(rec.error !== undefined && { error: rec.error }),
          ...(rec.cause !== undefined && { cause: rec.cause }),
          redriveCount: rec.redriveCount,
          ...(rec.redriveDate !== undefined && { redriveDate: rec.redriveDate }),
        },
        randomUUID(),
        clock.now(),
      );
      await bus.put([{ ...event, eventBusName: 'default' } as never]);
    } catch (err) {
      log(`stepwise events: status change of ${executionArn}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  // EventBridge's rule operations (AWSEvents.*) on the rules the scheduler runs; PutEvents onto the local bus.
  const rawEventsApi = ruleApi({ store, clock, putEvents: (entries) => putEventEntries(bus, { region: 'us-east-1', account: '123456789012', now: () => clock.now() }, entries) });
  const eventsApi = {
    async handle(target: string, body: string): Promise<{ status: number; body: string }> {
      const answer = await rawEventsApi.handle(target, body);
      // A rule just put, enabled or removed takes effect for the next event.
      if (!target.endsWith('.PutEvents')) eventRules.invalidate();
      return answer;
    },
  };
  // The web console, with the API's credentials; next runs from the rules, logs from the log store.
  const consoleApp = consoleRoutes({
    stateMachines,
    executions,
    queries,
    requireAuth: strict,
    credentials,
    nextRunFor: async (machineArn) => {
      let next: number | undefined;
      for (const rule of await listRules(store)) {
        if (rule.state !== 'ENABLED' || rule.paused || !rule.targets.some((t) => t.stateMachineArn === machineArn || t.stateMachineArn.startsWith(`${machineArn}:`))) continue;
        const t = upcomingFireTimes(rule, clock.now(), 1)[0];
        if (t !== undefined && (next === undefined || t < next)) next = t;
      }
      return next === undefined ? undefined : new Date(next).toISOString();
    },
    // Every rule one of whose targets is the machine, a version or an alias of it (`<arn>:<qualifier>`).
    schedulesFor: async (machineArn, query = {}) => {
      const now = clock.now();
      const out = [];
      for (const rule of await listRules(store)) {
        const targets = rule.targets.map((t) => t.stateMachineArn).filter((t) => t === machineArn || t.startsWith(`${machineArn}:`));
        if (targets.length === 0) continue;
        const fires = (count: number) => (count > 0 ? upcomingFireTimes(rule, now, count) : []);
        // Fires before the horizon, counted one by one up to 2,000 (cron maths costs ~50 µs a fire), then at the rate of those.
        const firesUntil = (horizon: number) => {
          let times = fires(64);
          if (times.length === 64 && (times[63] ?? 0) <= horizon) times = fires(2_000);
          const within = times.filter((t) => t <= horizon).length;
          const last = times[times.length - 1];
          return within < times.length || times.length < 2_000 || last === undefined || last <= now ? within : Math.round((within * (horizon - now)) / (last - now));
        };
        out.push({
          name: rule.name,
          description: rule.description,
          scheduleExpression: rule.scheduleExpression,
          eventPattern: rule.eventPattern,
          timeZone: rule.timeZone,
          state: rule.paused ? ('PAUSED' as const) : rule.state,
          catchUp: { policy: rule.catchUp?.policy ?? 'skip', windowMs: rule.catchUp?.windowMs },
          overlap: rule.overlap ?? 'allow',
          targets,
          nextFireTimes: fires(query.next ?? 3),
          firesWithin: query.countDays === undefined ? undefined : firesUntil(now + query.countDays * 86_400_000),
        });
      }
      return out;
    },
    logsFor: async (executionArn) => {
      const cfg = await loggingOf(executionArn);
      const group = cfg ? logGroupName(cfg.logging) : undefined;
      if (!group) return [];
      const { events: logged } = await executionLogs.list({ group, streams: [logStreamName(executionArn)], limit: 500 });
      return logged.map((e) => ({ timestamp: e.timestamp, message: e.message }));
    },
    onError: (err) => log(`stepwise console: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
    sessions: storeSessions(store, clock),
  });
  const s3Http = s3HttpHandler(localS3);
  const app = createApi({
    stateMachines,
    executions,
    queries,
    activities,
    testState,
    mapRuns,
    credentials: [...credentials, ...identities.identities],
    requireAuth: strict,
    clock,
    metrics,
    authorize,
    dynamodb: dynamoDbHttpHandler(dynamodb),
    s3: {
      maxBodyBytes: s3Http.maxBodyBytes,
      async handle(req) {
        for (const r of s3Action(req.method, req.path, req.query, req.headers)) {
          const denial = authorize(req.accessKeyId, r);
          if (denial) return s3AccessDenied(denial);
        }
        return s3Http.handle(req);
      },
    },
    sns: snsQueryApi(sns), events: eventsApi,
    logs: logsApi(executionLogs),
    mounts: [{ path: '/console', app: new Hono().route('/', consoleApp) }],
  });
  runner.start();
  scheduler.start();
  let server;
  try {
    server = await listen(app, { host: args.host, port: args.port });
  } catch (err) {
    await scheduler.stop();
    await runner.stop();
    await sns.close();
    await store.close();
    await runtime.close();
    throw err;
  }
  // Handlers' AWS SDK calls come back here (only loopback keeps the test/test pair valid).
  const functionKey = strict ? credentials[0] : undefined;
  runtime.setEndpoints({ SFN: server.url, DYNAMODB: server.url }, functionKey ? { accessKeyId: functionKey.accessKeyId, secretAccessKey: functionKey.secretAccessKey } : undefined);
  runtime.setEndpoints({ S3: server.url });
  runtime.setEndpoints({ SNS: server.url });
  log(`Stepwise API listening on ${server.url} (store: ${url.startsWith('sqlite:') ? url : url.replace(/\/\/[^@/]*@/, '//…@')}); console at ${server.url}/console/`);
  let stopping: Promise<void> | undefined;
  const srv = server;
  return {
    url: server.url,
    store,
    runner,
    scheduler,
    logs: executionLogs,
    stop: () =>
      (stopping ??= (async () => {
        await srv.close();
        await scheduler.stop();
        await runner.stop();
        await executionLogs.flush();
        await monitor.settled();
        await sns.close();
        localS3.close();
        await runtime.close();
        await store.close();
      })()),
  };
}

/** Runs until SIGTERM or SIGINT, then shuts down gracefully. */
export async function serveCommand(args: ServeArgs, out: (line: string) => void): Promise<number> {
  // The STEPWISE_* credentials are already in args: src/config reads the environment.
  const server = await startServer(args, { log: out });
  await new Promise<void>((done) => {
    const onSignal = (signal: string) => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      out(`Stepwise: ${signal} received, shutting down`);
      done();
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
  await server.stop();
  out('Stepwise: stopped');
  return 0;
}
