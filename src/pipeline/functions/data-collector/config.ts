/** The collector's configuration: environment variables, as Lambda passes them. */
import { parseEndpoints, type Endpoint } from './endpoints.js';
import { ConfigurationError } from './errors.js';

export interface CollectorConfig {
  /** RAW_BUCKET, default `raw-metrics`. */
  bucket: string;
  /** SAMPLE_INTERVAL_MS, default 1000: time between the two samples of CPU, network and disk I/O. */
  sampleIntervalMs: number;
  /** ENDPOINTS: a JSON array of URLs or `{ "name", "url" }`; none by default. */
  endpoints: Endpoint[];
  /** ENDPOINT_TIMEOUT_MS, default 5000: an endpoint slower than this is down. */
  endpointTimeoutMs: number;
  /** PROC_ROOT, default `/proc`. */
  procRoot: string;
  /** SIMULATE_FAILURE lists `collector` (a comma-separated list): fail at once, to show retries and the failure route. */
  simulateFailure: boolean;
}

export const COLLECTOR_DEFAULTS = Object.freeze({ bucket: 'raw-metrics', sampleIntervalMs: 1000, endpointTimeoutMs: 5000, procRoot: '/proc' });

function milliseconds(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const text = env[name];
  if (text === undefined || text.trim() === '') return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > 60_000) throw new ConfigurationError(`${name} must be a whole number of milliseconds from ${min} to 60000, not '${text}'`);
  return n;
}

export function readConfig(env: NodeJS.ProcessEnv): CollectorConfig {
  let endpoints: Endpoint[];
  try {
    endpoints = parseEndpoints(env['ENDPOINTS']);
  } catch (err) {
    throw new ConfigurationError(err instanceof Error ? err.message : String(err));
  }
  return {
    bucket: env['RAW_BUCKET']?.trim() || COLLECTOR_DEFAULTS.bucket,
    sampleIntervalMs: milliseconds(env, 'SAMPLE_INTERVAL_MS', COLLECTOR_DEFAULTS.sampleIntervalMs, 1),
    endpoints,
    endpointTimeoutMs: milliseconds(env, 'ENDPOINT_TIMEOUT_MS', COLLECTOR_DEFAULTS.endpointTimeoutMs, 1),
    procRoot: env['PROC_ROOT']?.trim() || COLLECTOR_DEFAULTS.procRoot,
    simulateFailure: (env['SIMULATE_FAILURE'] ?? '')
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .includes('collector'),
  };
}
