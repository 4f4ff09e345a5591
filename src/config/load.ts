/**
 * The configuration of `stepwise serve`, from three sources: `stepwise.yaml` (or the file named by
 * --config), then the `STEPWISE_*` environment variables, then the command-line flags; each
 * overrides the one before it.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { envLayer } from './env.js';
import { ConfigError } from './errors.js';
import { parseConfigText, type ConfigLayer } from './parse-file.js';
import { DEFAULTS, STORE_URL, type SmtpConfig, type StepwiseConfig } from './types.js';

/** The flags of `stepwise serve` that a configuration file can also set, already parsed. */
export interface ConfigFlags {
  host?: string;
  port?: number;
  dataDir?: string;
  databaseUrl?: string;
  requireAuth?: boolean;
  /** --strict-iam (turns it on). */
  strictIam?: boolean;
}

export interface LoadOptions {
  /** --config: a file that must exist. Without it, `stepwise.yaml` in `cwd` is read when present. */
  configFile?: string;
  cwd?: string;
  env?: Readonly<Record<string, string | undefined>>;
  flags?: ConfigFlags;
}

export function loadConfig(opts: LoadOptions = {}): StepwiseConfig {
  const cwd = opts.cwd ?? process.cwd();
  const fileLayer = readConfigFile(opts.configFile, cwd);
  const layers = [fileLayer?.layer ?? {}, envLayer(opts.env ?? process.env, cwd), flagLayer(opts.flags ?? {}, cwd)];
  return {
    ...(fileLayer ? { file: fileLayer.path } : {}),
    ...merge(layers, cwd),
  };
}

function readConfigFile(configFile: string | undefined, cwd: string): { path: string; layer: ConfigLayer } | undefined {
  const path = resolve(cwd, configFile ?? DEFAULTS.fileName);
  if (configFile === undefined && !statSync(path, { throwIfNoEntry: false })) return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new ConfigError(`cannot read the configuration file ${configFile ?? DEFAULTS.fileName}: ${why}`);
  }
  return { path, layer: parseConfigText(text, configFile ?? DEFAULTS.fileName, dirname(path)) };
}

function flagLayer(flags: ConfigFlags, cwd: string): ConfigLayer {
  if (flags.dataDir !== undefined && flags.databaseUrl !== undefined) throw new ConfigError('use either --data-dir or --database-url, not both');
  if (flags.databaseUrl !== undefined && !STORE_URL.test(flags.databaseUrl)) throw new ConfigError('--database-url must be a postgres:// (or postgresql://) URL, or sqlite:FILE');
  return {
    ...(flags.host !== undefined ? { host: flags.host } : {}),
    ...(flags.port !== undefined ? { port: flags.port } : {}),
    ...(flags.requireAuth !== undefined ? { requireAuth: flags.requireAuth } : {}),
    ...(flags.strictIam ? { strictIam: true } : {}),
    ...(flags.dataDir !== undefined ? { store: { dataDir: resolve(cwd, flags.dataDir) } } : {}),
    ...(flags.databaseUrl !== undefined ? { store: { databaseUrl: flags.databaseUrl } } : {}),
  };
}

function merge(layers: ConfigLayer[], cwd: string): Omit<StepwiseConfig, 'file'> {
  const last = <K extends keyof ConfigLayer>(key: K): ConfigLayer[K] => layers.reduce<ConfigLayer[K]>((v, l) => l[key] ?? v, undefined);
  const topics = last('topics');
  const smtp = mergeSmtp(last('smtp'), last('smtpAuth'));
  const roles = last('roles');
  const connections = last('connections');
  const buckets = last('buckets');
  const rules = last('rules');
  const tables = last('tables');
  const logging = last('logging');
  const passthrough = last('passthrough');
  return {
    server: {
      host: last('host') ?? DEFAULTS.host,
      port: last('port') ?? DEFAULTS.port,
      credentials: layers.flatMap((l) => l.credentials ?? []),
      requireAuth: last('requireAuth') ?? DEFAULTS.requireAuth,
    },
    store: last('store') ?? { dataDir: resolve(cwd, DEFAULTS.dataDir) },
    limits: last('limits') ?? {},
    functions: last('functions') ?? [],
    ...(topics ? { topics } : {}),
    ...(smtp ? { smtp } : {}),
    ...(roles ? { roles } : {}),
    ...(last('strictIam') ? { strictIam: true } : {}),
    ...(connections ? { connections } : {}),
    ...(buckets ? { buckets } : {}),
    ...(rules ? { rules } : {}),
    ...(tables ? { tables } : {}),
    ...(logging ? { logging } : {}),
    ...(passthrough ? { passthrough } : {}),
  };
}

/** The environment's SMTP login replaces the file's; without an smtp section it has nothing to log in to. */
function mergeSmtp(smtp: SmtpConfig | undefined, auth: SmtpConfig['auth']): SmtpConfig | undefined {
  if (!auth) return smtp;
  if (!smtp) throw new ConfigError('STEPWISE_SMTP_USER and STEPWISE_SMTP_PASSWORD are set, but the configuration has no smtp section (host, from) to use them with');
  return { ...smtp, auth };
}
