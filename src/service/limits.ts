/**
 * The account-level quotas of the Step Functions API that Stepwise enforces, with AWS's default
 * values (Step Functions' "Quotas" page). Each is configurable (`limits:` in stepwise.yaml) so a
 * deployment can lower them, and so tests can reach them.
 */
export interface ServiceLimits {
  /** State machines per account and region (StateMachineLimitExceeded). */
  stateMachines: number;
  /** Activities per account and region (ActivityLimitExceeded). */
  activities: number;
  /** Open (RUNNING) Standard executions (ExecutionLimitExceeded). */
  openExecutions: number;
  /** Published versions per state machine (ServiceQuotaExceededException). */
  versionsPerStateMachine: number;
  /** Aliases per state machine (ServiceQuotaExceededException). */
  aliasesPerStateMachine: number;
  /** Concurrent GetActivityTask polls per activity (ActivityWorkerLimitExceeded). */
  activityPollers: number;
}

export const DEFAULT_LIMITS: Readonly<ServiceLimits> = Object.freeze({
  stateMachines: 10_000,
  activities: 10_000,
  openExecutions: 1_000_000,
  versionsPerStateMachine: 1_000,
  aliasesPerStateMachine: 100,
  activityPollers: 1_000,
});

export const LIMIT_NAMES = Object.keys(DEFAULT_LIMITS) as (keyof ServiceLimits)[];

/** Defaults with `overrides` applied; every value must be a positive integer. */
export function resolveLimits(overrides: Partial<ServiceLimits> = {}): ServiceLimits {
  const limits = { ...DEFAULT_LIMITS, ...overrides };
  for (const name of LIMIT_NAMES) {
    const v = limits[name];
    if (!Number.isSafeInteger(v) || v < 1) throw new RangeError(`limits.${name} must be a positive integer, got ${String(v)}`);
  }
  return limits;
}
