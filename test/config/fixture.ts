/** Configuration files written to a fresh working directory each, loaded as `stepwise serve` loads them. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { loadConfig, type ConfigFlags } from '../../src/config/load.js';

export function configFixture(prefix: string) {
  const root = mkdtempSync(join(tmpdir(), `stepwise-${prefix}-`));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  let n = 0;
  /** A new directory holding `yaml` as its stepwise.yaml. */
  const write = (yaml: string): string => {
    const cwd = join(root, `p${++n}`);
    mkdirSync(cwd, { recursive: true });
    writeFileSync(join(cwd, 'stepwise.yaml'), yaml);
    return cwd;
  };
  const load = (yaml: string, env: Record<string, string> = {}, flags: ConfigFlags = {}) => loadConfig({ cwd: write(yaml), env, flags });
  /** The message a configuration is refused with (fails when it is accepted). */
  const refusal = (yaml: string, env: Record<string, string> = {}): string => {
    try {
      load(yaml, env);
    } catch (err) {
      if (err instanceof ConfigError) return err.message;
      throw err;
    }
    throw new Error('expected the configuration to be refused');
  };
  return { write, load, refusal };
}
