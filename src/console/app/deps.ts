/** What the console needs from the server: the services it reads and acts through, and its security settings. */
import type { ExecutionQueries } from '../../service/execution-queries.js';
import type { SessionPersistence } from './session.js';
import type { ExecutionService } from '../../service/executions.js';
import type { StateMachineService } from '../../service/state-machines.js';

/** An access key pair that may sign in (the API's configured credentials). */
export interface ConsoleCredential {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/**
 * A schedule rule that starts a machine (the machine itself, or one of its versions or aliases:
 * `<arn>:<qualifier>`), as the machine's page shows it.
 */
export interface ConsoleSchedule {
  readonly name: string;
  readonly description?: string | undefined;
  /** `rate()`, `cron()` or `at()`; a rule has this, an event pattern, or both. */
  readonly scheduleExpression?: string | undefined;
  /** An EventBridge event pattern (JSON text). */
  readonly eventPattern?: string | undefined;
  readonly timeZone?: string | undefined;
  /** PAUSED: enabled but paused, so that its ticks pass without firing. */
  readonly state: 'ENABLED' | 'DISABLED' | 'PAUSED';
  /** Missed ticks: `skip`, `latest` or `all`, within `windowMs` (undefined: the scheduler's default window). */
  readonly catchUp: { readonly policy: string; readonly windowMs?: number | undefined };
  /** `allow` or `skip` (not while the previous execution it started runs). */
  readonly overlap: string;
  /** The rule's targets that are this machine, a version or an alias of it. */
  readonly targets: readonly string[];
  /** The next fire times, epoch ms (a disabled or paused rule's too, for planning). */
  readonly nextFireTimes: readonly number[];
  /** How many times it fires in the next `countDays` days, when asked for. */
  readonly firesWithin?: number | undefined;
}

export interface ScheduleQuery {
  /** How many next fire times (default 3). */
  readonly next?: number;
  /** Count the fire times in this many days from now (`firesWithin`). */
  readonly countDays?: number;
}

/** One log line of an execution, as CloudWatch Logs keeps it: epoch ms and the message (often JSON text). */
export interface ConsoleLogEntry {
  readonly timestamp: number;
  readonly message: string;
}

export interface ConsoleDeps {
  readonly stateMachines: StateMachineService;
  readonly executions: ExecutionService;
  readonly queries: ExecutionQueries;
  /**
   * Sign-in required for every console path: true with `--require-auth` or when the server does
   * not listen on loopback (serve-command's `strict`). When false the console is open, as the API
   * accepts test/test there.
   */
  readonly requireAuth: boolean;
  /** The access keys that may sign in (serve-command's `credentials`). */
  readonly credentials: readonly ConsoleCredential[];
  /** When the next scheduled run of a machine is (an ISO date, or any text), if a schedule rule targets it. */
  readonly nextRunFor?: (stateMachineArn: string) => Promise<string | undefined>;
  /** The schedule rules that target a machine, its versions or its aliases. */
  readonly schedulesFor?: (stateMachineArn: string, query?: ScheduleQuery) => Promise<readonly ConsoleSchedule[]>;
  /** The log entries of an execution, when the server keeps them. */
  readonly logsFor?: (executionArn: string) => Promise<readonly ConsoleLogEntry[]>;
  /** Where the console is mounted (default `/console`): links and cookies are scoped to it. */
  readonly basePath?: string;
  /** How long a sign-in lasts (default 8 hours). */
  readonly sessionTtlMs?: number;
  /** Real time for session expiry (default Date.now); executions are timed by the services' clock. */
  readonly now?: () => number;
  /** Where unexpected errors are reported (they answer 500). */
  readonly onError?: (err: unknown) => void;
  /** Where sign-ins outlive the process, shared by a cluster (default: this process's memory only). */
  readonly sessions?: SessionPersistence;
}

/** An execution as the services return it. */
export type ExecutionRecord = Awaited<ReturnType<ExecutionQueries['execution']>>;
/** A history event as the services return it (the engine's shape; wire.ts gives AWS's). */
export type EngineHistoryEvent = Awaited<ReturnType<ExecutionQueries['history']>>['events'][number];
