/**
 * The AWS CLI drives Stepwise unchanged with --endpoint-url: create-state-machine,
 * start-execution, describe-execution, get-execution-history, list-executions. Skipped with a
 * message when `aws` is not on PATH.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE, startHarness, type Harness } from './harness.js';

const run = promisify(execFile);
const hasCli = await run('aws', ['--version']).then(
  () => true,
  () => false,
);
if (!hasCli) console.warn('AWS CLI test SKIPPED: `aws` is not on PATH');

describe.skipIf(!hasCli)('the AWS CLI against stepwise serve', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.stop());

  const aws = async (...args: string[]): Promise<Record<string, unknown>> => {
    const { stdout } = await run('aws', ['stepfunctions', ...args, '--endpoint-url', h.url, '--output', 'json'], {
      env: { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' },
    });
    return stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {};
  };

  it('creates a machine, runs an execution and reads its status, history and listing', async () => {
    const definition = JSON.stringify({ StartAt: 'Hello', States: { Hello: { Type: 'Pass', Result: { hello: 'cli' }, End: true } } });
    const created = await aws('create-state-machine', '--name', 'FromCli', '--definition', definition, '--role-arn', ROLE);
    expect(created['stateMachineArn']).toBe('arn:aws:states:us-east-1:123456789012:stateMachine:FromCli');
    const started = await aws('start-execution', '--state-machine-arn', created['stateMachineArn'] as string, '--name', 'cli-run', '--input', '{"x":1}');
    const executionArn = started['executionArn'] as string;
    let described: Record<string, unknown> = {};
    for (let i = 0; i < 50; i++) {
      described = await aws('describe-execution', '--execution-arn', executionArn);
      if (described['status'] !== 'RUNNING') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(described).toMatchObject({ status: 'SUCCEEDED', output: '{"hello":"cli"}', name: 'cli-run' });
    const history = await aws('get-execution-history', '--execution-arn', executionArn);
    expect((history['events'] as { type: string }[]).map((e) => e.type)).toEqual(['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
    const listed = await aws('list-executions', '--state-machine-arn', created['stateMachineArn'] as string);
    expect((listed['executions'] as { name: string }[]).map((e) => e.name)).toEqual(['cli-run']);
  }, 60_000);
});
