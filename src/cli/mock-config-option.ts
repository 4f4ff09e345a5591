/**
 * Where `stepwise run` and `stepwise serve` find a mock configuration file: --mock-config FILE,
 * else the SFN_MOCK_CONFIG environment variable, as Step Functions Local reads it.
 */
import { ConfigError } from '../config/errors.js';
import { MockConfig, MockConfigError } from '../integrations/mock-config.js';

export function loadMockConfigOption(flag: string | undefined, env: Readonly<Record<string, string | undefined>> = process.env): MockConfig | undefined {
  // An empty variable counts as unset, as for the STEPWISE_* variables.
  const path = flag ?? (env['SFN_MOCK_CONFIG'] || undefined);
  if (path === undefined) return undefined;
  try {
    return MockConfig.readFile(path);
  } catch (err) {
    if (err instanceof MockConfigError) throw new ConfigError(err.message);
    throw err;
  }
}
