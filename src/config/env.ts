/** The `STEPWISE_*` environment variables, which override the configuration file. */
import { resolve } from 'node:path';
import { ConfigError } from './errors.js';
import type { ConfigLayer } from './parse-file.js';
import { STORE_URL } from './types.js';

/** Every variable read here, for the documentation and for messages. */
export const ENV_VARS = [
  'STEPWISE_HOST',
  'STEPWISE_PORT',
  'STEPWISE_DATA_DIR',
  'STEPWISE_DATABASE_URL',
  'STEPWISE_ACCESS_KEY_ID',
  'STEPWISE_SECRET_ACCESS_KEY',
  'STEPWISE_REQUIRE_AUTH',
  'STEPWISE_SMTP_USER',
  'STEPWISE_SMTP_PASSWORD',
  'STEPWISE_STRICT_IAM',
] as const;

const TRUE = ['true', '1', 'yes', 'on'];
const FALSE = ['false', '0', 'no', 'off'];

/** An empty variable counts as unset, as shells make it easy to set one to ''. */
export function envLayer(env: Readonly<Record<string, string | undefined>>, cwd: string): ConfigLayer {
  const get = (name: (typeof ENV_VARS)[number]): string | undefined => (env[name] === '' ? undefined : env[name]);
  const layer: ConfigLayer = {};
  const host = get('STEPWISE_HOST');
  if (host !== undefined) layer.host = host;
  const port = get('STEPWISE_PORT');
  if (port !== undefined) {
    const n = Number(port);
    if (!/^\d+$/.test(port) || n > 65535) throw new ConfigError(`STEPWISE_PORT must be a port number (0 to 65535), got '${port}'`);
    layer.port = n;
  }
  const requireAuth = get('STEPWISE_REQUIRE_AUTH');
  if (requireAuth !== undefined) {
    const v = requireAuth.toLowerCase();
    if (!TRUE.includes(v) && !FALSE.includes(v)) throw new ConfigError(`STEPWISE_REQUIRE_AUTH must be true or false, got '${requireAuth}'`);
    layer.requireAuth = TRUE.includes(v);
  }
  const strictIam = get('STEPWISE_STRICT_IAM');
  if (strictIam !== undefined) {
    const v = strictIam.toLowerCase();
    if (!TRUE.includes(v) && !FALSE.includes(v)) throw new ConfigError(`STEPWISE_STRICT_IAM must be true or false, got '${strictIam}'`);
    layer.strictIam = TRUE.includes(v);
  }
  const dataDir = get('STEPWISE_DATA_DIR');
  const databaseUrl = get('STEPWISE_DATABASE_URL');
  if (dataDir !== undefined && databaseUrl !== undefined) throw new ConfigError('set either STEPWISE_DATA_DIR or STEPWISE_DATABASE_URL, not both');
  if (dataDir !== undefined) layer.store = { dataDir: resolve(cwd, dataDir) };
  if (databaseUrl !== undefined) {
    if (!STORE_URL.test(databaseUrl)) throw new ConfigError('STEPWISE_DATABASE_URL must be a postgres:// (or postgresql://) URL, or sqlite:FILE');
    layer.store = { databaseUrl };
  }
  const accessKeyId = get('STEPWISE_ACCESS_KEY_ID');
  const secretAccessKey = get('STEPWISE_SECRET_ACCESS_KEY');
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    throw new ConfigError(`${accessKeyId === undefined ? 'STEPWISE_SECRET_ACCESS_KEY' : 'STEPWISE_ACCESS_KEY_ID'} is set without ${accessKeyId === undefined ? 'STEPWISE_ACCESS_KEY_ID' : 'STEPWISE_SECRET_ACCESS_KEY'}: set both or neither`);
  }
  if (accessKeyId !== undefined && secretAccessKey !== undefined) layer.credentials = [{ accessKeyId, secretAccessKey }];
  const smtpUser = get('STEPWISE_SMTP_USER');
  const smtpPass = get('STEPWISE_SMTP_PASSWORD');
  if ((smtpUser === undefined) !== (smtpPass === undefined)) {
    throw new ConfigError(`${smtpUser === undefined ? 'STEPWISE_SMTP_PASSWORD' : 'STEPWISE_SMTP_USER'} is set without ${smtpUser === undefined ? 'STEPWISE_SMTP_USER' : 'STEPWISE_SMTP_PASSWORD'}: set both or neither`);
  }
  if (smtpUser !== undefined && smtpPass !== undefined) layer.smtpAuth = { user: smtpUser, pass: smtpPass };
  return layer;
}
