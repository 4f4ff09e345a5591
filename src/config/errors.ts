/**
 * A configuration that Stepwise refuses: a file with a problem (`stepwise.yaml:LINE:COL: reason`),
 * an environment variable it cannot read, or a missing file named by --config. The message never
 * repeats a configured string value, so a secret cannot leak into a log through it.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
