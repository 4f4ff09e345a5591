/** The collector's own failures, named so that a state machine's Retry and Catch can tell them apart. */

/** No metrics could be collected, or the failure switch is on. */
export class CollectorFailure extends Error {
  override name = 'CollectorFailure';
}

/** An environment variable the collector cannot use. */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}
