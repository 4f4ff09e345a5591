/** The resolved configuration of `stepwise serve`, and its defaults in one place. */
import type { ServiceLimits } from '../service/limits.js';

export interface AccessKey {
  accessKeyId: string;
  secretAccessKey: string;
}

/** A local Lambda function, declared as AWS Lambda declares one. */
export interface FunctionConfig {
  /** The function's name: its ARN is arn:aws:lambda:<region>:<account>:function:<name>. */
  name: string;
  /** The `code` folder, absolute. */
  codeDir: string;
  /** `handler` as written: `<file without extension>.<export>`. */
  handler: string;
  /** The module `handler` names, absolute, with the extension found (.js, .mjs, .cjs or .ts). */
  module: string;
  /** The export `handler` names. */
  exportName: string;
  /** Seconds (Lambda's default is 3). Parsed and kept; the local invoker does not enforce it yet. */
  timeout: number;
  /** Concurrent invocations at most; undefined means unbounded. Parsed and kept; not enforced yet. */
  concurrency?: number;
}

/** Where executions are kept: one of the two. */
export type StoreConfig = { dataDir: string } | { databaseUrl: string };

export interface StepwiseConfig {
  /** The file read (absolute), or undefined when there was none. */
  file?: string;
  server: {
    host: string;
    port: number;
    /** Accepted access keys besides test/test (which is accepted only on loopback without requireAuth). */
    credentials: AccessKey[];
    requireAuth: boolean;
  };
  store: StoreConfig;
  /** Quotas that differ from AWS's defaults (service/limits.ts holds the defaults). */
  limits: Partial<ServiceLimits>;
  functions: FunctionConfig[];
}

export const DEFAULTS = Object.freeze({
  host: '127.0.0.1',
  port: 8083,
  requireAuth: false,
  /** Relative to the working directory. */
  dataDir: '.stepwise',
  /** Seconds, as AWS Lambda. */
  functionTimeout: 3,
  /** AWS Lambda's maximum timeout, in seconds. */
  maxFunctionTimeout: 900,
  /** Read from the working directory when --config is not given. */
  fileName: 'stepwise.yaml',
});

/** The store URLs openStore knows. */
export const STORE_URL = /^(?:postgres|postgresql):\/\/|^sqlite:/;

/** The keys of ServiceLimits; `satisfies` keeps this list and the interface in step at compile time. */
export const LIMIT_KEYS = Object.keys({
  stateMachines: true,
  activities: true,
  openExecutions: true,
  versionsPerStateMachine: true,
  aliasesPerStateMachine: true,
  activityPollers: true,
} as const satisfies Record<keyof ServiceLimits, true>) as (keyof ServiceLimits)[];
