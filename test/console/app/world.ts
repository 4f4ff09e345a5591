/**
 * A real Stepwise server (serve-command's startServer: SQLite in a temp dir, the durable runner,
 * local Lambda, DynamoDB and SNS) with the InfraMonitoring pipeline deployed, and the console
 * mounted at /console on a Hono app built over the same store with the services the API uses
 * (optionally listening on 127.0.0.1 for a browser).
 *
 * Time: the server's clock is real time plus an offset that a skipper moves forward whenever the
 * only work left is a timer (the pipeline's 10-second Wait, retry back-offs), so executions
 * finish in milliseconds; `skipper.pause()` keeps one running to watch it live.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { Hono } from 'hono';
import { listen, type Listening } from '../../../src/api/listen.js';
import { startServer, type RunningServer } from '../../../src/cli/serve-command.js';
import type { Clock } from '../../../src/engine/clock.js';
import type { LambdaHandler } from '../../../src/integrations/lambda-local.js';
import type { RuleDeclaration } from '../../../src/scheduler/rules.js';
import { consoleRoutes, type ConsoleDeps } from '../../../src/console/app/index.js';
import { ExecutionQueries } from '../../../src/service/execution-queries.js';
import { ExecutionService } from '../../../src/service/executions.js';
import { StateMachineService } from '../../../src/service/state-machines.js';
import { PIPELINE_DEFINITION, PIPELINE_DEFINITION_OBJECT } from './pipeline-definition.js';

export { PIPELINE_DEFINITION };

export const KEY = { accessKeyId: 'AKIACONSOLETEST0001', secretAccessKey: 'console-secret-key/with+odd=chars' };
export const ROLE = 'arn:aws:iam::123456789012:role/InfraMonitoringRole';
export const PIPELINE = 'InfraMonitoring-Pipeline';
export const PIPELINE_STATES = Object.keys(PIPELINE_DEFINITION_OBJECT.States);

/** Real time, moved forward by `offset`. */
export class SkippingClock implements Clock {
  offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
}

export interface Skipper {
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

/** Whenever the earliest due work lies in the future (a timer), jump the clock to it. */
function startSkipper(server: RunningServer, clock: SkippingClock): Skipper {
  let paused = false;
  let running = true;
  const loop = (async () => {
    while (running) {
      if (!paused) {
        const now = clock.now();
        const next = await server.store.nextDueAt(now).catch(() => undefined);
        if (next !== undefined && next > now && !paused) {
          clock.offset += next - now;
          server.runner.wake();
        }
      }
      await new Promise((r) => setTimeout(r, 15));
    }
  })();
  return {
    pause: () => void (paused = true),
    resume: () => void (paused = false),
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

export interface World {
  readonly server: RunningServer;
  readonly clock: SkippingClock;
  readonly skipper: Skipper;
  readonly deps: ConsoleDeps;
  /** The console mounted at /console (and nothing else). */
  readonly app: Hono;
  readonly machineArn: string;
  /** Calls of the collector, by execution name. */
  readonly collected: string[];
  /** The console's own listener, when asked for. */
  readonly web: Listening | undefined;
  startPipeline(name: string, input?: unknown): Promise<string>;
  waitForStatus(executionArn: string, status: string, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface WorldOptions {
  requireAuth?: boolean;
  listen?: boolean;
  extraDeps?: Partial<ConsoleDeps>;
  /** Schedule rules the server declares at start (stepwise.yaml `rules`). */
  rules?: readonly RuleDeclaration[];
}

/**
 * The data collector: on AWS it writes metrics to S3, whose notification runs the processor,
 * which writes DynamoDB. Here it writes the processed item itself (with the real AWS SDK, as a
 * Lambda function would), so the pipeline's check finds it; names starting with `fail` make it
 * throw, so that the retries run out and the Catch routes to NotifyFailure; names starting with
 * `slow` write nothing, so that the pipeline re-waits until it gives up (RecordNotProcessed).
 */
function collector(endpoint: () => string, clock: SkippingClock): LambdaHandler {
  return async (event: unknown) => {
    const e = event as { executionName?: string };
    const runId = e.executionName ?? 'unknown';
    if (runId.startsWith('fail')) throw new Error(`collector cannot reach the metrics source for ${runId}`);
    if (runId.startsWith('slow')) return { runId, bucket: 'infra-metrics', key: `raw/${runId}.json`, summary: { hosts: 0, alerts: 0 } };
    const ddb = new DynamoDBClient({ endpoint: endpoint(), region: 'us-east-1', credentials: KEY, maxAttempts: 1, systemClockOffset: clock.offset });
    try {
      await ddb.send(new PutItemCommand({ TableName: 'ProcessedMetrics', Item: { runId: { S: runId }, status: { S: 'PROCESSED' }, summary: { S: `Run ${runId}: 3 hosts, CPU 41%, memory 63%, no alerts.` } } }));
    } finally {
      ddb.destroy();
    }
    return { runId, bucket: 'infra-metrics', key: `raw/${runId}.json`, summary: { hosts: 3, alerts: 0 } };
  };
}

export async function startWorld(opts: WorldOptions = {}): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-console-'));
  const clock = new SkippingClock();
  const collected: string[] = [];
  let url = '';
  const collect = collector(() => url, clock);
  const handlers = new Map<string, LambdaHandler>([
    [
      'data-collector',
      (event: unknown, context) => {
        collected.push(String((event as { executionName?: string }).executionName));
        return collect(event, context, () => undefined);
      },
    ],
  ]);
  const requireAuth = opts.requireAuth ?? true;
  const server = await startServer(
    {
      port: 0,
      host: '127.0.0.1',
      dataDir: dir,
      requireAuth,
      credentials: [KEY],
      topics: [{ name: 'InfraMonitoring-Alerts', subscriptions: [{ protocol: 'file', endpoint: join(dir, 'notifications.jsonl') }] }],
      ...(opts.rules && { rules: opts.rules }),
    },
    { clock, handlers, log: () => undefined },
  );
  url = server.url;
  const ddb = new DynamoDBClient({ endpoint: server.url, region: 'us-east-1', credentials: KEY, maxAttempts: 1 });
  await ddb.send(new CreateTableCommand({ TableName: 'ProcessedMetrics', KeySchema: [{ AttributeName: 'runId', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'runId', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }));
  ddb.destroy();

  // The services, built as serve-command builds them, over the server's store and clock.
  const stateMachines = new StateMachineService({ store: server.store, clock });
  const executions = new ExecutionService({ store: server.store, clock, wake: () => server.runner.wake() });
  const queries = new ExecutionQueries({ store: server.store, clock, stateMachines });
  const { stateMachineArn: machineArn } = await stateMachines.create({
    name: PIPELINE,
    definition: PIPELINE_DEFINITION,
    roleArn: ROLE,
    loggingConfiguration: { level: 'ALL', includeExecutionData: true, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: 'arn:aws:logs:us-east-1:123456789012:log-group:/stepwise/infra-monitoring:*' } }] },
  });
  const deps: ConsoleDeps = { stateMachines, executions, queries, requireAuth, credentials: [KEY], ...opts.extraDeps };
  const app = new Hono();
  app.route('/console', consoleRoutes(deps));
  const web = opts.listen ? await listen(app, { host: '127.0.0.1', port: 0 }) : undefined;
  const skipper = startSkipper(server, clock);

  return {
    server,
    clock,
    skipper,
    deps,
    app,
    machineArn,
    collected,
    web,
    async startPipeline(name, input = {}) {
      const r = await executions.startExecution({ stateMachineArn: machineArn, definition: PIPELINE_DEFINITION, roleArn: ROLE, name, input: JSON.stringify(input) });
      return r.executionArn;
    },
    async waitForStatus(executionArn, status, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const rec = await queries.execution(executionArn);
        if (rec.status === status) return;
        if (rec.status !== 'RUNNING') throw new Error(`${executionArn} ended ${rec.status} (${rec.error ?? ''}: ${rec.cause ?? ''}), not ${status}`);
        if (Date.now() > deadline) throw new Error(`${executionArn} still ${rec.status} after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async stop() {
      await skipper.stop();
      await web?.close();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
