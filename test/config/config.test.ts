/**
 * stepwise.yaml: every section read into typed settings, STEPWISE_* variables over the file, flags
 * over both, and every problem refused with its line and column (never silently ignored).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serveArgsFromConfig } from '../../src/cli/serve-config.js';
import { ConfigError } from '../../src/config/errors.js';
import { loadConfig, type LoadOptions } from '../../src/config/load.js';

const root = mkdtempSync(join(tmpdir(), 'stepwise-config-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

/** A fresh folder holding `files` (path → content); returns the folder. */
function project(files: Record<string, string>): string {
  const dir = join(root, `p${++n}`);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Loads `yaml` as ./stepwise.yaml of a fresh folder, with no environment unless given. */
function load(yaml: string, opts: LoadOptions = {}, files: Record<string, string> = {}) {
  const cwd = project({ 'stepwise.yaml': yaml, ...files });
  return { cwd, config: loadConfig({ cwd, env: {}, ...opts }) };
}

function refusal(yaml: string, opts: LoadOptions = {}, files: Record<string, string> = {}): string {
  try {
    load(yaml, opts, files);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error('expected the configuration to be refused');
}

const FULL = `# every section Stepwise reads today
server:
  host: 0.0.0.0
  port: 9000
  requireAuth: true
  credentials:
    - accessKeyId: AKIDONE
      secretAccessKey: secret-one
    - accessKeyId: AKIDTWO
      secretAccessKey: secret-two
store:
  dataDir: ./state
limits:
  stateMachines: 50
  activities: 5
  openExecutions: 1000
  versionsPerStateMachine: 10
  aliasesPerStateMachine: 2
  activityPollers: 3
functions:
  data-collector:
    code: ./functions/collector   # folder, relative to this file
    handler: index.handler
    timeout: 30
    memorySize: 512
    concurrency: 4
  notifier:
    code: functions/notify
    handler: lib/send.run
`;
const FUNCTION_FILES = {
  'functions/collector/index.mjs': 'export const handler = async () => 1;',
  'functions/notify/lib/send.js': 'export const run = async () => 2;',
};

describe('a valid stepwise.yaml', () => {
  it('reads server, store, limits and functions, with paths relative to the file', () => {
    const { cwd, config } = load(FULL, {}, FUNCTION_FILES);
    expect(config).toEqual({
      file: join(cwd, 'stepwise.yaml'),
      server: {
        host: '0.0.0.0',
        port: 9000,
        requireAuth: true,
        credentials: [
          { accessKeyId: 'AKIDONE', secretAccessKey: 'secret-one' },
          { accessKeyId: 'AKIDTWO', secretAccessKey: 'secret-two' },
        ],
      },
      store: { dataDir: join(cwd, 'state') },
      limits: { stateMachines: 50, activities: 5, openExecutions: 1000, versionsPerStateMachine: 10, aliasesPerStateMachine: 2, activityPollers: 3 },
      functions: [
        {
          name: 'data-collector',
          codeDir: join(cwd, 'functions/collector'),
          handler: 'index.handler',
          module: join(cwd, 'functions/collector/index.mjs'),
          exportName: 'handler',
          timeout: 30,
          memorySize: 512,
          concurrency: 4,
        },
        { name: 'notifier', codeDir: join(cwd, 'functions/notify'), handler: 'lib/send.run', module: join(cwd, 'functions/notify/lib/send.js'), exportName: 'run', timeout: 3 },
      ],
    });
  });

  it('gives the defaults without a file, and for an empty one', () => {
    const cwd = project({});
    const defaults = { server: { host: '127.0.0.1', port: 8083, requireAuth: false, credentials: [] }, store: { dataDir: join(cwd, '.stepwise') }, limits: {}, functions: [] };
    expect(loadConfig({ cwd, env: {} })).toEqual(defaults);
    writeFileSync(join(cwd, 'stepwise.yaml'), '# nothing yet\n');
    expect(loadConfig({ cwd, env: {} })).toEqual({ ...defaults, file: join(cwd, 'stepwise.yaml') });
  });

  it('reads a databaseUrl instead of a dataDir, and a file named by --config relative to the working directory', () => {
    const cwd = project({ 'conf/cluster.yaml': 'store:\n  databaseUrl: postgres://stepwise@db.internal:5432/stepwise\n' });
    const config = loadConfig({ cwd, env: {}, configFile: 'conf/cluster.yaml' });
    expect(config.file).toBe(join(cwd, 'conf/cluster.yaml'));
    expect(config.store).toEqual({ databaseUrl: 'postgres://stepwise@db.internal:5432/stepwise' });
  });
});

describe('STEPWISE_* variables and flags', () => {
  const env = {
    STEPWISE_HOST: '10.0.0.5',
    STEPWISE_PORT: '9100',
    STEPWISE_DATABASE_URL: 'postgres://env@db/stepwise',
    STEPWISE_ACCESS_KEY_ID: 'AKIDENV',
    STEPWISE_SECRET_ACCESS_KEY: 'secret-env',
    STEPWISE_REQUIRE_AUTH: 'false',
  };

  it('override the file, and the environment key pair is added to the configured ones', () => {
    const { config } = load(FULL, { env }, FUNCTION_FILES);
    expect(config.server).toEqual({
      host: '10.0.0.5',
      port: 9100,
      requireAuth: false,
      credentials: [
        { accessKeyId: 'AKIDONE', secretAccessKey: 'secret-one' },
        { accessKeyId: 'AKIDTWO', secretAccessKey: 'secret-two' },
        { accessKeyId: 'AKIDENV', secretAccessKey: 'secret-env' },
      ],
    });
    // The environment's store replaces the file's as a whole: a dataDir and a URL never mix.
    expect(config.store).toEqual({ databaseUrl: 'postgres://env@db/stepwise' });
    expect(config.limits.stateMachines).toBe(50);
  });

  it('STEPWISE_DATA_DIR is taken from the working directory; empty variables count as unset', () => {
    const { cwd, config } = load('server:\n  port: 9000\n', { env: { STEPWISE_DATA_DIR: 'var/db', STEPWISE_PORT: '' } });
    expect(config.store).toEqual({ dataDir: join(cwd, 'var/db') });
    expect(config.server.port).toBe(9000);
  });

  it('flags override the environment and the file', () => {
    const { cwd, config } = load(FULL, { env, flags: { host: '127.0.0.1', port: 0, dataDir: 'flag-data', requireAuth: true } }, FUNCTION_FILES);
    expect(config.server).toMatchObject({ host: '127.0.0.1', port: 0, requireAuth: true });
    expect(config.store).toEqual({ dataDir: join(cwd, 'flag-data') });
  });

  it('refuses variables it cannot read, naming the variable', () => {
    const cwd = project({});
    const refused = (e: Record<string, string>) => () => loadConfig({ cwd, env: e });
    expect(refused({ STEPWISE_PORT: '80a' })).toThrow("STEPWISE_PORT must be a port number (0 to 65535), got '80a'");
    expect(refused({ STEPWISE_PORT: '70000' })).toThrow(/STEPWISE_PORT/);
    expect(refused({ STEPWISE_REQUIRE_AUTH: 'maybe' })).toThrow(/STEPWISE_REQUIRE_AUTH must be true or false/);
    expect(refused({ STEPWISE_ACCESS_KEY_ID: 'AKIDLONE' })).toThrow('STEPWISE_ACCESS_KEY_ID is set without STEPWISE_SECRET_ACCESS_KEY');
    expect(refused({ STEPWISE_DATA_DIR: 'd', STEPWISE_DATABASE_URL: 'postgres://x/y' })).toThrow(/either STEPWISE_DATA_DIR or STEPWISE_DATABASE_URL/);
    expect(refused({ STEPWISE_DATABASE_URL: 'mysql://root:hunter2@db/x' })).toThrow(/STEPWISE_DATABASE_URL must be a postgres:\/\//);
    expect(refused({ STEPWISE_DATABASE_URL: 'mysql://root:hunter2@db/x' })).not.toThrow(/hunter2/);
  });
});

describe('an invalid stepwise.yaml is refused with its line, column and reason', () => {
  it('an unknown key, at any depth', () => {
    expect(refusal('server:\n  port: 9000\n  hots: 0.0.0.0\n')).toBe("stepwise.yaml:3:3: unknown key 'hots' in server (expected 'host', 'port', 'credentials', 'requireAuth')");
    expect(refusal('servers:\n  port: 1\n')).toMatch(/^stepwise\.yaml:1:1: unknown key 'servers' in the configuration \(expected 'server', 'store', 'limits', 'functions', /);
    expect(refusal('server:\n  credentials:\n    - accessKeyId: A\n      secretAccessKey: B\n      sessionToken: C\n')).toMatch(/^stepwise\.yaml:5:7: unknown key 'sessionToken' in server\.credentials\[0\]/);
    expect(refusal('limits:\n  executions: 5\n')).toMatch(/^stepwise\.yaml:2:3: unknown key 'executions' in limits \(expected 'stateMachines', /);
    expect(refusal('functions:\n  f:\n    code: .\n    handler: index.handler\n    runtime: nodejs20.x\n', {}, { 'index.js': '' })).toMatch(/^stepwise\.yaml:5:5: unknown key 'runtime' in functions\.f/);
  });

  it('a value of the wrong type', () => {
    expect(refusal('server:\n  port: "8083"\n')).toBe('stepwise.yaml:2:9: server.port must be an integer from 0 to 65535, got a string');
    expect(refusal('server:\n  port: 70000\n')).toBe('stepwise.yaml:2:9: server.port must be an integer from 0 to 65535, got 70000');
    expect(refusal('server:\n  requireAuth: yes\n')).toBe('stepwise.yaml:2:16: server.requireAuth must be true or false, got a string');
    expect(refusal('server:\n  credentials:\n    accessKeyId: A\n')).toBe('stepwise.yaml:3:5: server.credentials must be a list, got a map');
    expect(refusal('server:\n  credentials:\n    - accessKeyId: A\n')).toBe('stepwise.yaml:3:7: server.credentials[0] needs both accessKeyId and secretAccessKey');
    expect(refusal('limits:\n  openExecutions: 0\n')).toBe('stepwise.yaml:2:19: limits.openExecutions must be a positive integer, got 0');
    expect(refusal('limits:\n  activities: 2.5\n')).toBe('stepwise.yaml:2:15: limits.activities must be a positive integer, got 2.5');
    expect(refusal('server: 8083\n')).toBe('stepwise.yaml:1:9: server must be a map, got 8083');
    expect(refusal('- server\n')).toBe('stepwise.yaml:1:1: the configuration must be a map, got a list');
    expect(refusal('store:\n  dataDir: ./a\n  databaseUrl: postgres://h/d\n')).toBe('stepwise.yaml:3:3: store: use either dataDir or databaseUrl, not both');
    expect(refusal('store:\n  databaseUrl: mysql://root:hunter2@h/d\n')).toBe('stepwise.yaml:2:16: store.databaseUrl must be a postgres:// (or postgresql://) URL, or sqlite:FILE');
  });

  it('never repeats a string value, which may be a secret', () => {
    const message = refusal('server:\n  credentials:\n    - accessKeyId: AKIDX\n      secretAccessKey: "hunter2\n');
    expect(message).toBe('stepwise.yaml:5:1: Missing closing "quote');
    expect(message).not.toContain('hunter2');
    expect(refusal('server:\n  credentials:\n    - accessKeyId: AKIDX\n      secretAccessKey: hunter2\n      secretAccessKey: hunter3\n')).not.toMatch(/hunter/);
  });

  it('tables: key schemas, refused at their line when DynamoDB would refuse them', () => {
    const { config } = load(`tables:\n  ProcessedMetrics:\n    partitionKey: {name: runId, type: S}\n  Events:\n    partitionKey: {name: id, type: S}\n    sortKey: {name: at, type: N}\n`);
    expect(config.tables).toEqual([
      { name: 'ProcessedMetrics', partitionKey: { name: 'runId', type: 'S' } },
      { name: 'Events', partitionKey: { name: 'id', type: 'S' }, sortKey: { name: 'at', type: 'N' } },
    ]);
    expect(refusal('tables:\n  T1:\n    partitionKey: {name: id, type: S}\n')).toMatch(/^stepwise\.yaml:2:3: table name 'T1' must be 3 to 255/);
    expect(refusal('tables:\n  Table:\n    partitionKey: {name: id, type: BOOL}\n')).toMatch(/^stepwise\.yaml:3:36: tables\.Table\.partitionKey\.type must be S, N or B/);
    expect(refusal('tables:\n  Table:\n    sortKey: {name: id, type: S}\n')).toMatch(/^stepwise\.yaml:3:5: tables\.Table needs a partitionKey/);
  });

  it("functions' environment variables, as Lambda's Environment.Variables", () => {
    const yaml = 'functions:\n  f:\n    code: ./functions/collector\n    handler: index.handler\n    environment:\n      RAW_BUCKET: raw-metrics\n      SAMPLE_MS: 20\n';
    const { config } = load(yaml, {}, FUNCTION_FILES);
    expect(config.functions[0]?.environment).toEqual({ RAW_BUCKET: 'raw-metrics', SAMPLE_MS: '20' });
    expect(load('functions:\n  f:\n    code: ./functions/collector\n    handler: index.handler\n    role: collector-role\n', {}, FUNCTION_FILES).config.functions[0]?.role).toBe('collector-role');
    expect(() => load('functions:\n  f:\n    code: ./functions/collector\n    handler: index.handler\n    environment:\n      AWS_REGION: eu-west-1\n', {}, FUNCTION_FILES)).toThrow(/'AWS_REGION' is reserved by the Lambda runtime/);
    expect(() => load('functions:\n  f:\n    code: ./functions/collector\n    handler: index.handler\n    environment:\n      1BAD: x\n', {}, FUNCTION_FILES)).toThrow(/'1BAD' is not a valid variable name/);
  });

  it('passthrough: DynamoDB and S3 Task states to another endpoint', () => {
    const { config } = load('passthrough:\n  dynamodb: {endpoint: http://127.0.0.1:8000}\n  s3: {endpoint: https://s3.eu-west-1.amazonaws.com, region: eu-west-1, forcePathStyle: false}\n');
    expect(config.passthrough).toEqual({ dynamodb: { endpoint: 'http://127.0.0.1:8000' }, s3: { endpoint: 'https://s3.eu-west-1.amazonaws.com', region: 'eu-west-1', forcePathStyle: false } });
    expect(serveArgsFromConfig(config)).toMatchObject({ dynamodb: { endpoint: 'http://127.0.0.1:8000' }, s3: { region: 'eu-west-1', forcePathStyle: false } });
    expect(refusal('passthrough:\n  sqs: {endpoint: http://x}\n')).toMatch(/^stepwise\.yaml:2:3: unknown key 'sqs' in passthrough/);
    expect(refusal('passthrough:\n  s3: {endpoint: ftp://x}\n')).toMatch(/passthrough\.s3\.endpoint must be an http\(s\) URL/);
    expect(refusal('passthrough:\n  dynamodb: {endpoint: http://x, forcePathStyle: true}\n')).toMatch(/forcePathStyle is S3's only/);
  });

  it('logging: an export folder relative to the file, or false', () => {
    expect(load('logging:\n  exportDir: ./exported\n').config.logging).toEqual({ exportDir: expect.stringMatching(/\/exported$/) });
    expect(load('logging:\n  exportDir: false\n').config.logging).toEqual({ exportDir: false });
    expect(refusal('logging:\n  exportDir: 3\n')).toMatch(/^stepwise\.yaml:2:14: logging\.exportDir must be a folder, or false/);
    expect(refusal('logging:\n  level: ALL\n')).toMatch(/^stepwise\.yaml:2:3: unknown key 'level' in logging/);
  });

  it('YAML syntax errors, duplicate keys, aliases and several documents', () => {
    expect(refusal('server:\n  port: 9000\n    host: x\n')).toBe('stepwise.yaml:2:9: Nested mappings are not allowed in compact mappings');
    expect(refusal('server: {port: 9000\n')).toMatch(/^stepwise\.yaml:\d+:\d+: .*flow/i);
    expect(refusal('server:\n  port: 9000\n  port: 9001\n')).toMatch(/^stepwise\.yaml:3:3: Map keys must be unique/);
    expect(refusal('server:\n  host: &h 0.0.0.0\nstore:\n  dataDir: *h\n')).toBe('stepwise.yaml:4:12: aliases (*h) are not supported in stepwise.yaml: write the value out');
    expect(refusal('server:\n  port: 1\n---\nserver:\n  port: 2\n')).toMatch(/^stepwise\.yaml:3:1: .*(document|single)/i);
  });

  it('names the file given with --config, and refuses one that does not exist', () => {
    const cwd = project({ 'conf/dev.yaml': 'store:\n  dataDir: 42\n' });
    expect(() => loadConfig({ cwd, env: {}, configFile: 'conf/dev.yaml' })).toThrow('conf/dev.yaml:2:12: store.dataDir must be a non-empty string, got 42');
    expect(() => loadConfig({ cwd, env: {}, configFile: 'conf/missing.yaml' })).toThrow('cannot read the configuration file conf/missing.yaml: no such file');
  });
});

describe('functions', () => {
  it("resolves the handler's module with .js, .mjs, .cjs or .ts, in Lambda's order", () => {
    const yaml = 'functions:\n  a:\n    code: fn\n    handler: index.handler\n  b:\n    code: fn\n    handler: worker.process\n  c:\n    code: fn\n    handler: legacy.main\n';
    const { cwd, config } = load(yaml, {}, { 'fn/index.js': '', 'fn/index.ts': '', 'fn/worker.ts': '', 'fn/legacy.cjs': '' });
    expect(config.functions.map((f) => [f.name, f.module, f.exportName, f.timeout])).toEqual([
      ['a', join(cwd, 'fn/index.js'), 'handler', 3],
      ['b', join(cwd, 'fn/worker.ts'), 'process', 3],
      ['c', join(cwd, 'fn/legacy.cjs'), 'main', 3],
    ]);
  });

  it('refuses a missing module, a missing folder, a malformed handler, a bad name and a bad timeout, with their lines', () => {
    const files = { 'fn/index.js': '' };
    expect(refusal('functions:\n  f:\n    code: fn\n    handler: main.handler\n', {}, files)).toBe('stepwise.yaml:4:14: functions.f.handler: no main.js, main.mjs, main.cjs, main.ts in fn');
    expect(refusal('functions:\n  f:\n    code: nowhere\n    handler: index.handler\n', {}, files)).toBe('stepwise.yaml:3:11: functions.f.code: no folder nowhere next to stepwise.yaml');
    expect(refusal('functions:\n  f:\n    code: fn\n    handler: index\n', {}, files)).toMatch(/^stepwise\.yaml:4:14: functions\.f\.handler must be <file without extension>\.<export>/);
    expect(refusal('functions:\n  f:\n    code: fn\n    handler: ../fn/index.handler\n', {}, files)).toMatch(/^stepwise\.yaml:4:14: functions\.f\.handler must be/);
    expect(refusal('functions:\n  f:\n    code: fn\n', {}, files)).toBe("stepwise.yaml:2:3: functions.f needs 'handler' (<file without extension>.<export>)");
    expect(refusal('functions:\n  my.fn:\n    code: fn\n    handler: index.handler\n', {}, files)).toMatch(/^stepwise\.yaml:2:3: function name 'my\.fn' must be 1 to 64 letters/);
    expect(refusal('functions:\n  f:\n    code: fn\n    handler: index.handler\n    timeout: 901\n', {}, files)).toBe('stepwise.yaml:5:14: functions.f.timeout must be an integer from 1 to 900, got 901');
    expect(refusal('functions:\n  f:\n    code: fn\n    handler: index.handler\n    concurrency: -1\n', {}, files)).toBe('stepwise.yaml:5:18: functions.f.concurrency must be a positive integer, got -1');
    expect(refusal('functions:\n  f:\n    code: fn\n    handler: index.handler\n    memorySize: 64\n', {}, files)).toBe('stepwise.yaml:5:17: functions.f.memorySize must be an integer from 128 to 10240, got 64');
  });
});
