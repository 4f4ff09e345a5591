/** `stepwise run --mock-config FILE --test-case NAME`: a definition run against a test case of a mock configuration file. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

const dir = mkdtempSync(join(tmpdir(), 'stepwise-cli-mocks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  delete process.env['SFN_MOCK_CONFIG'];
});

function file(name: string, content: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
}

async function run(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, (l) => out.push(l), (l) => err.push(l));
  return { code, out, err };
}

const definition = file('LambdaSQSIntegration.asl.json', {
  StartAt: 'LambdaState',
  States: {
    LambdaState: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'HelloWorldFunction', 'Payload.$': '$' },
      Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2 }],
      OutputPath: '$.Payload',
      End: true,
    },
  },
});

const mocks = file('MockConfigFile.json', {
  StateMachines: { LambdaSQSIntegration: { TestCases: { RetryPath: { LambdaState: 'MockedLambdaRetry' } } }, Renamed: { TestCases: { HappyPath: { LambdaState: 'MockedLambdaRetry' } } } },
  MockedResponses: {
    MockedLambdaRetry: {
      '0-1': { Throw: { Error: 'Lambda.TimeoutException', Cause: 'Lambda timed out.' } },
      '2': { Return: { StatusCode: 200, Payload: { body: 'Hello from Lambda!' } } },
    },
  },
});

describe('stepwise run with a mock configuration', () => {
  it('answers the test case of the machine named after the definition file (retries take no real time)', async () => {
    const r = await run(['run', definition, '--mock-config', mocks, '--test-case', 'RetryPath', '--json', '--history']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out.at(-1) as string)).toEqual({ status: 'SUCCEEDED', output: '{"body":"Hello from Lambda!"}', error: null, cause: null });
    expect(r.out.filter((l) => l.includes('"TaskFailed"'))).toHaveLength(2);
  });

  it('reads the file named by SFN_MOCK_CONFIG, and --state-machine-name picks another machine of it', async () => {
    process.env['SFN_MOCK_CONFIG'] = mocks;
    const r = await run(['run', definition, '--test-case', 'HappyPath', '--state-machine-name', 'Renamed', '--json']);
    expect(JSON.parse(r.out.at(-1) as string)).toMatchObject({ status: 'SUCCEEDED', output: '{"body":"Hello from Lambda!"}' });
  });

  it('exits 2 for a test case the file does not define for the machine, or a test case without a file', async () => {
    const unknown = await run(['run', definition, '--mock-config', mocks, '--test-case', 'HappyPath']);
    expect(unknown.code).toBe(2);
    expect(unknown.err[0]).toBe("stepwise: the mock configuration file defines no test case 'HappyPath' for state machine 'LambdaSQSIntegration' (the definition file's name, unless --state-machine-name)");
    const noFile = await run(['run', definition, '--test-case', 'RetryPath']);
    expect(noFile.code).toBe(2);
    expect(noFile.err[0]).toBe('stepwise: --test-case needs a mock configuration file: --mock-config FILE, or SFN_MOCK_CONFIG');
  });

  it('exits 2 naming the place and the reason for an invalid mock configuration file', async () => {
    const bad = file('Bad.json', { StateMachines: {}, MockedResponses: { R: { 'zero': { Return: 1 } } } });
    const r = await run(['run', definition, '--mock-config', bad, '--test-case', 'RetryPath']);
    expect(r.code).toBe(2);
    expect(r.err).toEqual([`stepwise: ${bad}: MockedResponses.R."zero": is not an invocation number ("0") or an inclusive range of them ("1-2")`]);
    const missing = await run(['serve', '--mock-config', join(dir, 'nowhere.json'), '--port', '0']);
    expect(missing.code).toBe(2);
    expect(missing.err).toEqual([`stepwise: cannot read the mock configuration file ${join(dir, 'nowhere.json')}: no such file`]);
  });
});
