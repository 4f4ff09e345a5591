/**
 * `npm start`: Stepwise with the InfraMonitoring system deployed on it. Starts the server (the
 * embedded store under ./.stepwise unless stepwise.yaml says otherwise), deploys the pipeline
 * idempotently, starts one execution at once and shows it state by state, prints the outcome,
 * where the notification went, the console address and the next scheduled run; then keeps
 * serving the hourly schedule (or, with --once, exits with the execution's status).
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ApiCallError, StepwiseApiClient } from './api-client.js';
import { startServer, type RunningServer, type ServeArgs } from './serve-command.js';
import { serveArgsFromConfig } from './serve-config.js';
import { loadConfig } from '../config/load.js';
import { fromDoc, RULE_KIND, ruleArn } from '../scheduler/rules.js';
import { upcomingFireTimes } from '../scheduler/schedule-ops.js';
import { deployPipeline } from './pipeline-deploy.js';
import { arns, PIPELINE } from '../pipeline/resources.js';
import { pipelineServeArgs, pipelineSettings, type PipelineSettings } from './pipeline-settings.js';

export interface PipelineRunOptions {
  once: boolean;
  simulate?: string;
  port?: number;
  dataDir?: string;
  configFile?: string;
  print?: (line: string) => void;
  env?: Readonly<Record<string, string | undefined>>;
  /** Override for tests (e.g. a shorter sampling interval). */
  tweak?: (s: PipelineSettings) => PipelineSettings;
}

export interface PipelineRun {
  server: RunningServer;
  executionArn: string;
  status: string;
  /** Print one line for each later execution of the pipeline when it ends (the schedule's), until stopped. */
  watch(print?: (line: string) => void, pollMs?: number): void;
  stop(): Promise<void>;
}

type Row = Record<string, unknown>;

export async function runPipeline(opts: PipelineRunOptions): Promise<PipelineRun> {
  const print = opts.print ?? ((l: string) => console.log(l));
  const env = opts.env ?? process.env;
  const config = loadConfig({ ...(opts.configFile !== undefined && { configFile: opts.configFile }), flags: { port: opts.port ?? 8083, dataDir: opts.dataDir } });
  const base = serveArgsFromConfig(config);
  const dataDir = resolve('dataDir' in base && base.dataDir ? base.dataDir : '.stepwise');
  let settings = pipelineSettings(env, dataDir, opts.simulate);
  if (opts.tweak) settings = opts.tweak(settings);
  const pipeline = pipelineServeArgs(settings);
  const named = <T extends { name: string }>(mine: readonly T[] | undefined, theirs: readonly T[]) => [...(mine ?? []), ...theirs.filter((t) => !(mine ?? []).some((m) => m.name === t.name))];
  const args: ServeArgs = {
    ...base,
    functions: named(base.functions, pipeline.functions),
    buckets: named(base.buckets, pipeline.buckets),
    tables: named(base.tables, pipeline.tables),
    topics: named(base.topics, pipeline.topics),
    roles: named(base.roles, pipeline.roles),
    rules: named(base.rules, pipeline.rules),
    monitors: [...(base.monitors ?? []), ...pipeline.monitors],
  };
  if (config.file) print(`Stepwise: configuration from ${config.file}`);
  if (settings.simulate) print(`Stepwise: simulating ${settings.simulate} (the collector fails on every attempt)`);
  // The functions' own log lines (START/END/REPORT, their console) go to a file, as to CloudWatch; the terminal shows the pipeline.
  const functionLog = resolve(dataDir, 'logs', 'functions.log');
  mkdirSync(dirname(functionLog), { recursive: true });
  const server = await startServer(args, {
    log: (l) => {
      if (/^\[[\w-]+\] /.test(l)) appendFileSync(functionLog, l + '\n');
      else print(l);
    },
  });
  const key = args.credentials?.[0] ?? { accessKeyId: 'test', secretAccessKey: 'test' };
  const api = new StepwiseApiClient({ endpoint: server.url, region: 'us-east-1', ...key });
  try {
    const deployed = await deployPipeline(api, { maxRechecks: settings.maxRechecks });
    for (const a of deployed.actions) print(`deploy: ${a}`);
    print(`deploy: functions ${pipeline.functions.map((f) => f.name).join(', ')}; table ${PIPELINE.table}; bucket ${PIPELINE.bucket} → ${PIPELINE.processor}; topic ${PIPELINE.topic}; role ${PIPELINE.role}; rule ${PIPELINE.rule} (${PIPELINE.schedule})`);
    const name = `manual-${new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z')}`;
    const { executionArn } = await api.call<{ executionArn: string }>('StartExecution', { stateMachineArn: arns.stateMachine, name, input: '{}' });
    print(`\n${PIPELINE.stateMachine}: execution ${name}`);
    const status = await follow(api, executionArn, print);
    const described = await api.call<Row>('DescribeExecution', { executionArn });
    print(`\noutcome: ${status}${described['error'] ? ` — ${String(described['error'])}: ${readableCause(described['cause'])}` : ''}`);
    const output = typeof described['output'] === 'string' ? (JSON.parse(described['output']) as Row) : undefined;
    const published = (output?.['notification'] as Row | undefined)?.['MessageId'] ?? (await lastPublished(api, executionArn));
    await printNotification(settings, typeof published === 'string' ? published : undefined, print);
    print(`console: ${server.url}/console/`);
    print(`logs: stepwise logs tail ${PIPELINE.stateMachine} --endpoint ${server.url}   (also ${resolve(dataDir, 'logs')}; functions: ${functionLog})`);
    const rule = await server.store.getResource(RULE_KIND, ruleArn(PIPELINE.rule));
    const next = rule ? upcomingFireTimes(fromDoc(rule.doc), Date.now(), 1)[0] : undefined;
    print(`next scheduled run: ${next !== undefined ? new Date(next).toISOString() : '(none)'} (${PIPELINE.rule}, ${PIPELINE.schedule})`);
    let watching: ReturnType<typeof setInterval> | undefined;
    return {
      server,
      executionArn,
      status,
      watch(out = print, pollMs = 5000) {
        const reported = new Set<string>([executionArn]);
        let busy = false;
        watching = setInterval(() => {
          if (busy) return;
          busy = true;
          reportClosed(api, reported, out)
            .catch((err: unknown) => out(`stepwise: ${err instanceof Error ? err.message : String(err)}`))
            .finally(() => (busy = false));
        }, pollMs);
      },
      stop: async () => {
        if (watching) clearInterval(watching);
        await server.stop();
      },
    };
  } catch (err) {
    await server.stop();
    throw err;
  }
}

/** One line per execution of the pipeline that ended since the last look (newest page only). */
export async function reportClosed(api: StepwiseApiClient, reported: Set<string>, out: (l: string) => void): Promise<void> {
  const { executions } = await api.call<{ executions: Row[] }>('ListExecutions', { stateMachineArn: arns.stateMachine, maxResults: 20 });
  for (const e of [...executions].reverse()) {
    const arn = String(e['executionArn']);
    if (reported.has(arn) || e['status'] === 'RUNNING') continue;
    reported.add(arn);
    const d = await api.call<Row>('DescribeExecution', { executionArn: arn });
    const took = d['stopDate'] !== undefined ? ` in ${(Number(d['stopDate']) - Number(d['startDate'])).toFixed(1)} s` : '';
    out(`${new Date(Number(d['stopDate'] ?? d['startDate']) * 1000).toISOString()}  ${String(e['name'])}  ${String(d['status'])}${took}${d['error'] ? `  ${String(d['error'])}: ${truncate(readableCause(d['cause']))}` : ''}`);
  }
}

/** Prints the execution's history as it grows, until it closes; returns its status. */
async function follow(api: StepwiseApiClient, executionArn: string, print: (l: string) => void): Promise<string> {
  let seen = 0;
  let t0: number | undefined;
  for (;;) {
    const events: Row[] = [];
    for (let token: string | undefined; ; ) {
      const page = await api.call<{ events: Row[]; nextToken?: string }>('GetExecutionHistory', { executionArn, maxResults: 1000, ...(token && { nextToken: token }) });
      events.push(...page.events);
      token = page.nextToken;
      if (!token) break;
    }
    for (const e of events.slice(seen)) {
      const at = Number(e['timestamp']) * (Number(e['timestamp']) < 1e12 ? 1000 : 1);
      t0 ??= at;
      print(`${`+${((at - t0) / 1000).toFixed(1)}s`.padStart(8)}  ${describeEvent(e)}`);
    }
    seen = events.length;
    const d = await api.call<{ status: string }>('DescribeExecution', { executionArn });
    if (d.status !== 'RUNNING' && seen === events.length) {
      const more = await api.call<{ events: Row[] }>('GetExecutionHistory', { executionArn, maxResults: 1000, reverseOrder: true });
      if ((more.events[0]?.['id'] as number | undefined) === (events.at(-1)?.['id'] as number | undefined)) return d.status;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A failed execution has no output: the MessageId is in NotifyFailure's TaskSucceeded event. */
async function lastPublished(api: StepwiseApiClient, executionArn: string): Promise<unknown> {
  const { events } = await api.call<{ events: Row[] }>('GetExecutionHistory', { executionArn, maxResults: 50, reverseOrder: true });
  for (const e of events) {
    const d = e['taskSucceededEventDetails'] as Row | undefined;
    if (d?.['resourceType'] === 'sns' && typeof d['output'] === 'string') return (JSON.parse(d['output']) as Row)['MessageId'];
  }
  return undefined;
}

function describeEvent(e: Row): string {
  const type = String(e['type']);
  const details = Object.entries(e).find(([k]) => k.endsWith('EventDetails'))?.[1] as Row | undefined;
  const bits = [type];
  if (details?.['name'] !== undefined) bits.push(String(details['name']));
  if (details?.['error'] !== undefined) bits.push(`${String(details['error'])}${details['cause'] ? `: ${truncate(readableCause(details['cause']))}` : ''}`);
  return bits.join('  ');
}

/** A Lambda error payload as the cause reads best as its errorMessage. */
function readableCause(cause: unknown): string {
  const text = typeof cause === 'string' ? cause : '';
  try {
    const payload = JSON.parse(text) as Row;
    if (typeof payload['errorMessage'] === 'string') return payload['errorMessage'];
  } catch {
    // Not JSON: the cause as it is.
  }
  return text;
}

function truncate(s: string, n = 160): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}

/** The notification the execution published, as the file subscription received it (deliveries are asynchronous: wait a little). */
async function printNotification(settings: PipelineSettings, messageId: string | undefined, print: (l: string) => void): Promise<void> {
  const file = settings.notificationsFile;
  const deadline = Date.now() + 5000;
  let found: Row | undefined;
  while (messageId !== undefined && !found && Date.now() < deadline) {
    if (existsSync(file) && statSync(file).size > 0) {
      found = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Row).find((n) => n['MessageId'] === messageId);
    }
    if (!found) await new Promise((r) => setTimeout(r, 100));
  }
  if (found) {
    print(`\nnotification (${PIPELINE.topic}): ${String(found['Subject'] ?? '')}`);
    for (const line of String(found['Message']).split('\n')) print(`  ${line}`);
  } else if (messageId !== undefined) print(`\nnotification ${messageId} was published but has not reached ${file} yet`);
  const where = [`file ${file}`, ...(settings.webhookUrl ? [`webhook ${settings.webhookUrl}`] : []), ...(settings.email ? [`email ${settings.email}`] : [])];
  print(`notifications go to: ${where.join('; ')}`);
}

export { ApiCallError };
