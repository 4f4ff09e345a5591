/** What the console needs from the server: the services it reads and acts through, and its security settings. */
import type { ExecutionQueries } from '../../service/execution-queries.js';
import type { ExecutionService } from '../../service/executions.js';
import type { StateMachineService } from '../../service/state-machines.js';

/** An access key pair that may sign in (the API's configured credentials). */
export interface ConsoleCredential {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
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
}

/** An execution as the services return it. */
export type ExecutionRecord = Awaited<ReturnType<ExecutionQueries['execution']>>;
/** A history event as the services return it (the engine's shape; wire.ts gives AWS's). */
export type EngineHistoryEvent = Awaited<ReturnType<ExecutionQueries['history']>>['events'][number];
