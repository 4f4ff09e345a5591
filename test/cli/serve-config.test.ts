/**
 * `stepwise serve --config FILE` through the CLI entry: the file's access key and requireAuth
 * guard the API, its functions answer Task states, and an invalid file exits 2 with its line.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateStateMachineCommand, DescribeExecutionCommand, ListStateMachinesCommand, StartExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { serveArgsFromConfig } from '../../src/cli/serve-config.js';
import { eventually, ROLE } from '../api/harness.js';

const dir = mkdtempSync(join(tmpdir(), 'stepwise-serve-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const KEY = { accessKeyId: 'AKIDCONFIGURED', secretAccessKey: 'configured-secret' };

function client(url: string, credentials: { accessKeyId: string; secretAccessKey: string }): SFNClient {
  return new SFNClient({ endpoint: url, region: 'us-east-1', credentials, disableHostPrefix: true, maxAttempts: 1 });
}

async function errorName(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return (err as Error).name;
  }
  throw new Error('expected the call to fail');
}

describe('stepwise serve --config', () => {
  it('accepts the configured key, refuses test/test under requireAuth, and runs the configured functions', async () => {
    mkdirSync(join(dir, 'functions/greeter'), { recursive: true });
    writeFileSync(join(dir, 'functions/greeter/index.mjs'), 'export const greet = async (event) => ({ greeting: `Hello, ${event.name}!` });');
    const file = join(dir, 'stepwise.yaml');
    writeFileSync(
      file,
      [
        'server:',
        '  host: 127.0.0.1',
        '  port: 0',
        '  requireAuth: true',
        '  credentials:',
        `    - accessKeyId: ${KEY.accessKeyId}`,
        `      secretAccessKey: ${KEY.secretAccessKey}`,
        'store:',
        '  dataDir: ./data',
        'functions:',
        '  greeter:',
        '    code: ./functions/greeter',
        '    handler: index.greet',
        '',
      ].join('\n'),
    );
    const out: string[] = [];
    const err: string[] = [];
    const before = new Set(process.listeners('SIGTERM'));
    const exit = main(['serve', '--config', file], (l) => out.push(l), (l) => err.push(l));
    // serveCommand waits for a signal once it listens; its SIGTERM listener is the one added.
    const stop = await eventually(
      async () => process.listeners('SIGTERM').find((l) => !before.has(l)),
      (l) => l !== undefined || err.length > 0,
    );
    expect(err).toEqual([]);
    const url = /listening on (http:\/\/\S+)/.exec(out.join('\n'))?.[1] as string;
    expect(out[0]).toBe(`Stepwise: configuration from ${file}`);
    expect(out.join('\n')).not.toContain(KEY.secretAccessKey);

    const sfn = client(url, KEY);
    const anonymous = client(url, { accessKeyId: 'test', secretAccessKey: 'test' });
    try {
      await expect(sfn.send(new ListStateMachinesCommand({}))).resolves.toMatchObject({ stateMachines: [] });
      expect(await errorName(anonymous.send(new ListStateMachinesCommand({})))).toBe('UnrecognizedClientException');

      const definition = JSON.stringify({ StartAt: 'Greet', States: { Greet: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:greeter', End: true } } });
      const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'Greeting', definition, roleArn: ROLE }));
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{"name":"Ada"}' }));
      const done = await eventually(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
      expect(done).toMatchObject({ status: 'SUCCEEDED', output: '{"greeting":"Hello, Ada!"}' });
    } finally {
      sfn.destroy();
      anonymous.destroy();
      (stop as (signal: string) => void)('SIGTERM');
    }
    expect(await exit).toBe(0);
    expect(out.at(-1)).toBe('Stepwise: stopped');
  });

  it('exits 2 with the line and the reason for an invalid file, and for a missing one', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'server:\n  port: 9000\n  requireAuth: yes\n');
    const err: string[] = [];
    expect(await main(['serve', '--config', bad], () => undefined, (l) => err.push(l))).toBe(2);
    expect(err).toEqual([`stepwise: ${bad}:3:16: server.requireAuth must be true or false, got a string`]);

    const missing: string[] = [];
    expect(await main(['serve', '--config', join(dir, 'nope.yaml')], () => undefined, (l) => missing.push(l))).toBe(2);
    expect(missing[0]).toBe(`stepwise: cannot read the configuration file ${join(dir, 'nope.yaml')}: no such file`);
  });

  it('maps the configuration onto ServeArgs: limits, the store, and functions with their settings (the --handler flags apart)', () => {
    const args = serveArgsFromConfig(
      {
        server: { host: '127.0.0.1', port: 8083, requireAuth: false, credentials: [KEY] },
        store: { databaseUrl: 'postgres://h/d' },
        limits: { stateMachines: 2 },
        functions: [{ name: 'greeter', codeDir: '/srv/fn', handler: 'index.greet', module: '/srv/fn/index.mjs', exportName: 'greet', timeout: 3, memorySize: 256 }],
      },
      ['greeter=./override.js'],
    );
    expect(args).toEqual({
      host: '127.0.0.1',
      port: 8083,
      requireAuth: false,
      credentials: [KEY],
      databaseUrl: 'postgres://h/d',
      limits: { stateMachines: 2 },
      functions: [{ name: 'greeter', module: '/srv/fn/index.mjs', exportName: 'greet', handler: 'index.greet', codeDir: '/srv/fn', timeout: 3, memorySize: 256 }],
      handlers: ['greeter=./override.js'],
    });
  });
});
