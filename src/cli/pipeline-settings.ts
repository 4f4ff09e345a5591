/**
 * What the InfraMonitoring system is made of on Stepwise, from a few settings: the functions (with
 * their environment), the raw-metrics bucket and its notification, the alerts topic and where it
 * delivers, the execution role and the hourly rule — as `stepwise serve` arguments. Settings come
 * from `STEPWISE_PIPELINE_*` environment variables and `npm start` flags (docs in the README).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServeArgs } from './serve-command.js';
import type { RuleDeclaration } from '../scheduler/rules.js';
import { arns, collectorRolePolicy, executionRolePolicy, PIPELINE, processorRolePolicy } from '../pipeline/resources.js';

export const SIMULATIONS = ['collector-failure'] as const;
export type Simulation = (typeof SIMULATIONS)[number];

export interface PipelineSettings {
  /** Make a part fail on purpose (the seed's "Failed Execution (Simulated)"). */
  simulate?: Simulation;
  /** HTTP(S) endpoints the collector checks (status, latency). */
  endpoints: string[];
  thresholds: { cpu: number; memory: number; disk: number };
  /** A Slack-compatible incoming webhook for notifications. */
  webhookUrl?: string;
  /** An email address for notifications (sent through the configured smtp server). */
  email?: string;
  /** Notifications as JSON lines (always). */
  notificationsFile: string;
  /** The collector's CPU/IO sampling interval (ms). */
  sampleIntervalMs?: number;
  /** How often IsProcessed waits again for the processor before giving up. */
  maxRechecks: number;
  /** Execution-history alerts to the topic: failure rate over the last N, p95 duration. */
  alerts: { failureRate: number; lastN: number; p95Seconds: number };
}

export class PipelineSettingsError extends Error {}

function number(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number, max = 100, what = 'a percentage from 0 to 100'): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const v = Number(text);
  if (!Number.isFinite(v) || v <= 0 || v > max) throw new PipelineSettingsError(`${name} must be ${what}, got '${text}'`);
  return v;
}

export function pipelineSettings(env: Readonly<Record<string, string | undefined>>, dataDir: string, simulate?: string): PipelineSettings {
  const sim = simulate ?? env['STEPWISE_PIPELINE_SIMULATE'];
  if (sim !== undefined && sim !== '' && !(SIMULATIONS as readonly string[]).includes(sim)) throw new PipelineSettingsError(`--simulate takes ${SIMULATIONS.join(', ')}, got '${sim}'`);
  const endpoints = (env['STEPWISE_PIPELINE_ENDPOINTS'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const e of endpoints) if (!/^https?:\/\/\S+$/.test(e)) throw new PipelineSettingsError(`STEPWISE_PIPELINE_ENDPOINTS: '${e}' is not an http(s) URL`);
  const webhookUrl = env['STEPWISE_PIPELINE_WEBHOOK_URL'];
  if (webhookUrl && !/^https?:\/\/\S+$/.test(webhookUrl)) throw new PipelineSettingsError(`STEPWISE_PIPELINE_WEBHOOK_URL must be an http(s) URL, got '${webhookUrl}'`);
  const email = env['STEPWISE_PIPELINE_EMAIL'];
  if (email && !/^[^@\s]+@[^@\s]+$/.test(email)) throw new PipelineSettingsError(`STEPWISE_PIPELINE_EMAIL must be an email address, got '${email}'`);
  return {
    ...(sim ? { simulate: sim as Simulation } : {}),
    endpoints,
    thresholds: { cpu: number(env, 'STEPWISE_PIPELINE_CPU_THRESHOLD', 90), memory: number(env, 'STEPWISE_PIPELINE_MEMORY_THRESHOLD', 90), disk: number(env, 'STEPWISE_PIPELINE_DISK_THRESHOLD', 90) },
    ...(webhookUrl ? { webhookUrl } : {}),
    ...(email ? { email } : {}),
    notificationsFile: join(dataDir, 'notifications.jsonl'),
    maxRechecks: Math.round(number(env, 'STEPWISE_PIPELINE_MAX_RECHECKS', 3, 50, 'a count from 1 to 50')),
    alerts: {
      failureRate: number(env, 'STEPWISE_PIPELINE_ALERT_FAILURE_RATE', 0.5, 1, 'a share from 0 to 1'),
      lastN: Math.round(number(env, 'STEPWISE_PIPELINE_ALERT_LAST_N', 10, 1000, 'a count from 1 to 1000')),
      p95Seconds: number(env, 'STEPWISE_PIPELINE_ALERT_P95_SECONDS', 120, 86_400, 'seconds from 1 to 86400'),
    },
  };
}

/** The folder of one pipeline function, compiled (dist) or from sources (under tsx). */
export function functionFolder(name: string): { codeDir: string; module: string } {
  const codeDir = fileURLToPath(new URL(`../pipeline/functions/${name}/`, import.meta.url));
  const module = ['index.js', 'index.ts'].map((f) => join(codeDir, f)).find((f) => existsSync(f));
  if (!module) throw new PipelineSettingsError(`the ${name} function is missing from ${codeDir} (run npm install to build it)`);
  return { codeDir, module };
}

/** The pipeline's resources as `stepwise serve` arguments. */
export function pipelineServeArgs(s: PipelineSettings): Required<Pick<ServeArgs, 'functions' | 'buckets' | 'tables' | 'topics' | 'roles' | 'rules' | 'monitors'>> {
  // The SDK's notice that its 2027 releases need Node 22 would fill every invocation's log on Node 20.
  const quiet = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  const fn = (name: string, timeout: number, environment: Record<string, string>, role?: string) => ({
    name,
    ...functionFolder(name),
    exportName: 'handler',
    handler: 'index.handler',
    timeout,
    memorySize: 256,
    concurrency: 2,
    environment: { ...quiet, ...environment },
    ...(role !== undefined && { role }),
  });
  const functions = [
    fn(PIPELINE.collector, 30, {
      RAW_BUCKET: PIPELINE.bucket,
      ENDPOINTS: JSON.stringify(s.endpoints),
      ...(s.simulate === 'collector-failure' ? { SIMULATE_FAILURE: 'collector' } : {}),
      ...(s.sampleIntervalMs !== undefined ? { SAMPLE_INTERVAL_MS: String(s.sampleIntervalMs) } : {}),
    }, PIPELINE.collectorRole),
    fn(PIPELINE.processor, 30, { TABLE_NAME: PIPELINE.table, CPU_THRESHOLD: String(s.thresholds.cpu), MEMORY_THRESHOLD: String(s.thresholds.memory), DISK_THRESHOLD: String(s.thresholds.disk) }, PIPELINE.processorRole),
    ...(s.webhookUrl ? [fn(PIPELINE.notifier, 15, { WEBHOOK_URL: s.webhookUrl })] : []),
  ];
  const subscriptions = [
    { protocol: 'file' as const, endpoint: s.notificationsFile },
    ...(s.webhookUrl ? [{ protocol: 'lambda' as const, endpoint: arns.fn(PIPELINE.notifier) }] : []),
    ...(s.email ? [{ protocol: 'email' as const, endpoint: s.email }] : []),
  ];
  const rule: RuleDeclaration = { name: PIPELINE.rule, scheduleExpression: PIPELINE.schedule, state: 'ENABLED', description: 'Runs InfraMonitoring-Pipeline every hour', targets: [{ id: 'pipeline', stateMachineArn: arns.stateMachine }] };
  return {
    functions,
    buckets: [{ name: PIPELINE.bucket, notifications: [{ id: 'raw-metrics-to-processor', events: ['s3:ObjectCreated:*'], function: PIPELINE.processor, prefix: 'raw/', suffix: '.json' }] }],
    tables: [{ name: PIPELINE.table, partitionKey: { name: 'runId', type: 'S' } }],
    topics: [{ name: PIPELINE.topic, displayName: 'InfraMonitoring alerts', subscriptions }],
    roles: [
      { name: PIPELINE.role, policies: [executionRolePolicy()] },
      { name: PIPELINE.collectorRole, policies: [collectorRolePolicy()] },
      { name: PIPELINE.processorRole, policies: [processorRolePolicy()] },
    ],
    rules: [rule],
    monitors: [{ stateMachineArn: arns.stateMachine, topicArn: arns.topic, failureRate: s.alerts.failureRate, lastN: s.alerts.lastN, durationP95Ms: s.alerts.p95Seconds * 1000 }],
  };
}
