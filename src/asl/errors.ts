/** ASL runtime errors: a name as it appears on the wire (`States.Timeout`, a task's own error type) and a cause. */
export class StatesError extends Error {
  override readonly name: string;
  override readonly cause: string | undefined;
  constructor(name: string, cause?: string) {
    super(cause ?? name);
    this.name = name;
    this.cause = cause;
  }
}

export const StatesErrors = {
  ALL: 'States.ALL',
  TaskFailed: 'States.TaskFailed',
  Timeout: 'States.Timeout',
  HeartbeatTimeout: 'States.HeartbeatTimeout',
  Permissions: 'States.Permissions',
  ResultPathMatchFailure: 'States.ResultPathMatchFailure',
  ParameterPathFailure: 'States.ParameterPathFailure',
  QueryEvaluationError: 'States.QueryEvaluationError',
  BranchFailed: 'States.BranchFailed',
  NoChoiceMatched: 'States.NoChoiceMatched',
  IntrinsicFailure: 'States.IntrinsicFailure',
  ExceedToleratedFailureThreshold: 'States.ExceedToleratedFailureThreshold',
  ItemReaderFailed: 'States.ItemReaderFailed',
  ResultWriterFailed: 'States.ResultWriterFailed',
  DataLimitExceeded: 'States.DataLimitExceeded',
  Runtime: 'States.Runtime',
} as const;

/** Normalise anything thrown at a boundary into a StatesError. */
export function toStatesError(err: unknown): StatesError {
  if (err instanceof StatesError) return err;
  if (err instanceof Error) return new StatesError(err.name && err.name !== 'Error' ? err.name : 'Error', err.message);
  return new StatesError('Error', String(err));
}
