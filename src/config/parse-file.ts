/**
 * Reads the text of a `stepwise.yaml` into the layer of settings it gives. Every problem is
 * refused with its place (`stepwise.yaml:LINE:COL: reason`): YAML syntax, an unknown key, a value
 * of the wrong type, and sections that Stepwise cannot honour yet (never silently ignored).
 */
import { LineCounter, parseDocument } from 'yaml';
import { resolve } from 'node:path';
import type { ServiceLimits } from '../service/limits.js';
import type { ConnectionConfig } from './types.js';
import { ConfigError } from './errors.js';
import { readFunctions } from './functions.js';
import { readSmtp, readTopics, type EmailSubscriptionRef } from './topics.js';
import { readRoles } from './roles.js';
import { readConnections } from './connections.js';
import { readBuckets } from './buckets.js';
import { readRules } from './rules.js';
import { readTables } from './tables.js';
import { readLogging } from './logging.js';
import { readPassthrough } from './passthrough.js';
import { LIMIT_KEYS, STORE_URL, type AccessKey, type BucketConfig, type FunctionConfig, type PassthroughConfig, type RuleConfig, type RoleConfig, type TableConfig, type SmtpConfig, type StoreConfig, type TopicConfig } from './types.js';
import { bool, entries, fail, int, list, locate, str, type Source, type YamlNode } from './yaml-nodes.js';

/** Settings one source (file, environment, flags) gives; later sources override earlier ones. */
export interface ConfigLayer {
  host?: string;
  port?: number;
  requireAuth?: boolean;
  /** Added to those of earlier layers. */
  credentials?: AccessKey[];
  /** Replaces the store of earlier layers as a whole. */
  store?: StoreConfig;
  limits?: Partial<ServiceLimits>;
  functions?: FunctionConfig[];
  topics?: TopicConfig[];
  smtp?: SmtpConfig;
  /** The SMTP login from the environment, over the file's `smtp.auth`. */
  smtpAuth?: { user: string; pass: string };
  roles?: RoleConfig[];
  /** --strict-iam / STEPWISE_STRICT_IAM. */
  strictIam?: boolean;
  connections?: ConnectionConfig[];
  buckets?: BucketConfig[];
  rules?: RuleConfig[];
  tables?: TableConfig[];
  logging?: { exportDir: string | false };
  passthrough?: PassthroughConfig;
}

const SECTIONS = ['server', 'store', 'limits', 'functions', 'topics', 'smtp', 'roles', 'connections', 'buckets', 'rules', 'tables', 'logging', 'passthrough'] as const;

/** Sections DESIGN.md names that this version cannot honour yet, with what they would declare. */
const NOT_YET: Readonly<Record<string, string>> = {};

const SERVER_KEYS = ['host', 'port', 'credentials', 'requireAuth'] as const;
const STORE_KEYS = ['dataDir', 'databaseUrl'] as const;
const KEY_PAIR_KEYS = ['accessKeyId', 'secretAccessKey'] as const;

/**
 * `file` names the file in messages; relative paths in it (`code`, `dataDir`) are taken from
 * `baseDir`, the folder that holds it.
 */
export function parseConfigText(text: string, file: string, baseDir: string): ConfigLayer {
  const lines = new LineCounter();
  // prettyErrors would quote the offending line, which may hold a secret.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const src: Source = { file, lines };
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) throw new ConfigError(`${locate(src, problem.pos[0])}: ${problem.message.replace(/\s+/g, ' ').trim()}`);

  const layer: ConfigLayer = {};
  const top = entries(src, doc.contents as YamlNode, 'the configuration', [...SECTIONS, ...Object.keys(NOT_YET)]);
  for (const [section, { key }] of top) {
    const what = NOT_YET[section];
    if (what) fail(src, key, `section '${section}' is not supported yet: this version of Stepwise cannot declare ${what} in its configuration (remove the section)`);
  }
  readServer(src, top.get('server')?.value, layer);
  readStore(src, top.get('store')?.value, baseDir, layer);
  const limits = top.get('limits');
  if (limits) layer.limits = readLimits(src, limits.value);
  const functions = top.get('functions');
  if (functions) layer.functions = readFunctions(src, functions.value, baseDir);
  const smtp = top.get('smtp');
  if (smtp) layer.smtp = readSmtp(src, smtp.value);
  const topics = top.get('topics');
  const emails: EmailSubscriptionRef[] = [];
  if (topics) layer.topics = readTopics(src, topics.value, baseDir, emails);
  const roles = top.get('roles');
  if (roles) layer.roles = readRoles(src, roles.value);
  const connections = top.get('connections');
  if (connections) layer.connections = readConnections(src, connections.value);
  const buckets = top.get('buckets');
  if (buckets) layer.buckets = readBuckets(src, buckets.value);
  const rules = top.get('rules');
  if (rules) layer.rules = readRules(src, rules.value);
  const tables = top.get('tables');
  if (tables) layer.tables = readTables(src, tables.value);
  const passthrough = top.get('passthrough');
  if (passthrough) layer.passthrough = readPassthrough(src, passthrough.value);
  const logging = top.get('logging');
  if (logging) {
    const l = readLogging(src, logging.value, baseDir);
    if (l) layer.logging = l;
  }
  const email = emails[0];
  if (email && !layer.smtp) fail(src, email.node, `${email.path} is an email subscription, which needs an smtp section (the server to send through)`);
  return layer;
}

function readServer(src: Source, node: YamlNode, layer: ConfigLayer): void {
  const server = entries(src, node, 'server', SERVER_KEYS);
  const host = server.get('host');
  if (host) layer.host = str(src, host.value, 'server.host');
  const port = server.get('port');
  if (port) layer.port = int(src, port.value, 'server.port', 0, 65535);
  const requireAuth = server.get('requireAuth');
  if (requireAuth) layer.requireAuth = bool(src, requireAuth.value, 'server.requireAuth');
  const credentials = server.get('credentials');
  if (credentials) {
    layer.credentials = list(src, credentials.value, 'server.credentials').map((item, i): AccessKey => {
      const path = `server.credentials[${i}]`;
      const pair = entries(src, item, path, KEY_PAIR_KEYS);
      const id = pair.get('accessKeyId');
      const secret = pair.get('secretAccessKey');
      if (!id || !secret) fail(src, item, `${path} needs both accessKeyId and secretAccessKey`);
      return { accessKeyId: str(src, id.value, `${path}.accessKeyId`), secretAccessKey: str(src, secret.value, `${path}.secretAccessKey`) };
    });
  }
}

function readStore(src: Source, node: YamlNode, baseDir: string, layer: ConfigLayer): void {
  const store = entries(src, node, 'store', STORE_KEYS);
  const dataDir = store.get('dataDir');
  const databaseUrl = store.get('databaseUrl');
  if (dataDir && databaseUrl) {
    const second = (dataDir.key.range?.[0] ?? 0) > (databaseUrl.key.range?.[0] ?? 0) ? dataDir : databaseUrl;
    fail(src, second.key, 'store: use either dataDir or databaseUrl, not both');
  }
  if (dataDir) layer.store = { dataDir: resolve(baseDir, str(src, dataDir.value, 'store.dataDir')) };
  if (databaseUrl) {
    const url = str(src, databaseUrl.value, 'store.databaseUrl');
    if (!STORE_URL.test(url)) fail(src, databaseUrl.value, 'store.databaseUrl must be a postgres:// (or postgresql://) URL, or sqlite:FILE');
    layer.store = { databaseUrl: url };
  }
}

function readLimits(src: Source, node: YamlNode): Partial<ServiceLimits> {
  const limits: Partial<ServiceLimits> = {};
  for (const [name, { value }] of entries(src, node, 'limits', LIMIT_KEYS)) {
    limits[name as keyof ServiceLimits] = int(src, value, `limits.${name}`, 1);
  }
  return limits;
}
