/** The processor's own failures, named as Lambda reports them (the error's name). */

/** An environment variable the processor cannot use. */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

/** The event is not an S3 event notification. */
export class InvalidEvent extends Error {
  override name = 'InvalidEvent';
}

/** Records could not be processed (S3 or DynamoDB failed), or the failure switch is on. */
export class ProcessorFailure extends Error {
  override name = 'ProcessorFailure';
}
