/**
 * SNS service errors, and how a Task sees them. The optimised integration reports them as the
 * AWS SDK for Java v1 does (`SNS.NotFoundException`, cause `Topic does not exist (Service:
 * AmazonSNS; Status Code: 404; Error Code: NotFound; Request ID: …; Proxy: null)`, as recorded
 * against AWS); the `aws-sdk:sns:*` integrations as the v2 SDK does (`Sns.NotFoundException`,
 * `(Service: Sns, Status Code: 404, Request ID: …)`).
 */
import { randomUUID } from 'node:crypto';
import { StatesError } from '../../asl/errors.js';

/** An error SNS's API answers with: its exception, error code and HTTP status. */
export class SnsServiceError extends Error {
  override readonly name = 'SnsServiceError';
  constructor(
    /** The exception name without the service prefix; undefined for the service's generic one. */
    readonly exception: string | undefined,
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const snsErrors = {
  topicNotFound: () => new SnsServiceError('NotFoundException', 'NotFound', 404, 'Topic does not exist'),
  subscriptionNotFound: () => new SnsServiceError('NotFoundException', 'NotFound', 404, 'Subscription does not exist'),
  /** `Invalid parameter: <what>` (SNS's InvalidParameter). */
  invalidParameter: (what: string) => new SnsServiceError('InvalidParameterException', 'InvalidParameter', 400, `Invalid parameter: ${what}`),
  invalidParameterValue: (message: string) => new SnsServiceError('InvalidParameterValueException', 'ParameterValueInvalid', 400, message),
  /** A request that fails SNS's model validation (a missing required member). */
  validation: (message: string) => new SnsServiceError(undefined, 'ValidationError', 400, message),
};

export type ErrorStyle = 'optimised' | 'aws-sdk';

/** The Task error of a service error, in the integration's style. */
export function taskErrorOf(err: SnsServiceError, style: ErrorStyle): StatesError {
  const requestId = randomUUID();
  if (style === 'optimised') {
    return new StatesError(
      `SNS.${err.exception ?? 'AmazonSNSException'}`,
      `${err.message} (Service: AmazonSNS; Status Code: ${err.status}; Error Code: ${err.code}; Request ID: ${requestId}; Proxy: null)`,
    );
  }
  return new StatesError(`Sns.${err.exception ?? 'SnsException'}`, `${err.message} (Service: Sns, Status Code: ${err.status}, Request ID: ${requestId})`);
}
