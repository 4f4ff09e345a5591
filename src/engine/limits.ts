/** AWS Step Functions quotas the engine enforces. */
export const PAYLOAD_LIMIT_BYTES = 262_144;
/** A Standard execution fails when its history would exceed this many events. */
export const MAX_HISTORY_EVENTS = 25_000;
/** Default task timeout when TimeoutSeconds is absent. */
export const DEFAULT_TASK_TIMEOUT_SECONDS = 99_999_999;
/** Longest a Standard execution may run (one year). */
export const STANDARD_MAX_SECONDS = 365 * 24 * 3600;
/** Longest an Express execution may run (five minutes). */
export const EXPRESS_MAX_SECONDS = 300;
