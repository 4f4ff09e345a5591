import { ServiceError } from '../service/errors.js';

/**
 * The message EventBridge's PutRule answers for any malformed ScheduleExpression
 * (`ValidationException: Parameter ScheduleExpression is not valid.`, as quoted in e.g.
 * localstack/localstack#12156 and buildkite/buildkite-agent-scaler#100). AWS gives no detail;
 * ours is in `reason`, for logs and the CLI, never on the wire.
 */
export const INVALID_SCHEDULE_EXPRESSION = 'Parameter ScheduleExpression is not valid.';

/** A schedule that AWS would refuse, named after the wire error (`ValidationException`). */
export class ScheduleExpressionError extends ServiceError {
  constructor(
    readonly reason: string,
    message: string = INVALID_SCHEDULE_EXPRESSION,
  ) {
    super('ValidationException', message);
  }
}
