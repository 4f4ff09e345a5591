/**
 * Local Lambda functions run isolated in worker threads, with AWS Lambda's behaviour and error
 * names: a handler that hangs, exits, runs out of memory or throws fails its own task
 * (Sandbox.Timedout, Runtime.ExitError, Runtime.OutOfMemory, its error's name) and the engine
 * goes on running executions. Real worker threads; timeouts of a second.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CreateStateMachineCommand, DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLocal, type LocalRunResult } from '../../src/engine/local-run.js';
import { lambdaInvoker, LambdaRuntime } from '../../src/integrations/lambda-runtime.js';
import type { LambdaHandler } from '../../src/integrations/lambda-local.js';
import { eventually, ROLE, startHarness } from '../api/harness.js';

const dir = mkdtempSync(join(tmpdir(), 'stepwise-lambda-'));
const fn = (name: string, source: string): string => {
  const file = join(dir, name);
  writeFileSync(file, source);
  return file;
};

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function';
const REQUEST_ID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const logs: string[] = [];
let runtime: LambdaRuntime;
let invoker: ReturnType<typeof lambdaInvoker>;

beforeAll(() => {
  // ESM without an extension of its own (.js, .ts) needs the folder's package.json, as on Lambda.
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
  mkdirSync(join(dir, 'cjs'));
  runtime = new LambdaRuntime({
    functions: [
      { name: 'echo', module: fn('echo.mjs', 'export const handler = async (event) => ({ echoed: event });') },
      { name: 'forever', module: fn('forever.mjs', 'export const handler = async () => { for (;;) {} };'), timeout: 1 },
      {
        name: 'quitter',
        module: fn('quitter.mjs', 'export const handler = async (event) => { if (event.exit) process.exit(1); return "still here"; };'),
      },
      {
        name: 'hoarder',
        module: fn('hoarder.mjs', 'export const handler = async () => { const keep = []; for (;;) keep.push(new Array(100000).fill(Math.random())); };'),
        timeout: 20,
      },
      {
        name: 'bufferHoarder',
        module: fn('buffer-hoarder.mjs', 'export const handler = async () => { const keep = []; for (;;) { keep.push(Buffer.allocUnsafe(8 * 1024 * 1024)); await new Promise((r) => setImmediate(r)); } };'),
        timeout: 20,
      },
      {
        name: 'stray',
        module: fn('stray.mjs', 'export const handler = async () => { setTimeout(() => { throw new TypeError("thrown from a timer"); }, 1); return new Promise(() => {}); };'),
      },
      {
        name: 'validator',
        module: fn(
          'validator.mjs',
          [
            'class ValidationError extends Error { constructor(m) { super(m); this.name = "ValidationError"; } }',
            'export const handler = async (event) => { if (event.string) throw "plain text"; throw new ValidationError(`bad input: ${event.n}`); };',
          ].join('\n'),
        ),
      },
      {
        name: 'slow',
        module: fn('slow.mjs', 'export const handler = async (event) => { const start = Date.now(); await new Promise((r) => setTimeout(r, 150)); return { i: event.i, start, end: Date.now() }; };'),
        concurrency: 2,
      },
      {
        name: 'ctx',
        module: fn(
          'ctx.js',
          [
            'export const handler = async (event, context) => {',
            '  console.log("hello from", context.functionName);',
            '  const { getRemainingTimeInMillis, ...fields } = context;',
            '  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith("AWS_") || k.startsWith("STEPWISE_") || k === "_HANDLER"));',
            '  return { fields, remaining: getRemainingTimeInMillis(), env };',
            '};',
          ].join('\n'),
        ),
        timeout: 2,
        memorySize: 256,
        environment: { GREETING: 'hi' },
      },
      { name: 'callback', module: fn('cjs/cb.cjs', 'exports.handler = (event, context, callback) => { setTimeout(() => callback(null, { via: "callback", n: event.n }), 5); };') },
      { name: 'typed', module: fn('typed.ts', 'export const handler = async (event: { n: number }): Promise<number> => event.n * 2;') },
      { name: 'unexported', module: fn('unexported.mjs', 'export const other = async () => 1;') },
      { name: 'broken', module: fn('broken.mjs', 'export const handler = async () => { return 1 +; };') },
    ],
    handlers: new Map<string, LambdaHandler>([
      [
        'inline',
        () => {
          const e = new Error('closure failed');
          e.name = 'InlineError';
          throw e;
        },
      ],
    ]),
    endpoints: { SFN: 'http://127.0.0.1:9999' },
    log: (line) => logs.push(line),
  });
  invoker = lambdaInvoker(runtime);
});

afterAll(async () => {
  await runtime.close();
  rmSync(dir, { recursive: true, force: true });
});

function task(name: string): object {
  return { StartAt: 'Call', States: { Call: { Type: 'Task', Resource: `${ARN}:${name}`, End: true } } };
}

function run(name: string, input: unknown = {}): Promise<LocalRunResult> {
  return runLocal(task(name), input, { invoker, clock: 'real', history: false });
}

function cause(r: LocalRunResult): Record<string, unknown> {
  return JSON.parse(r.cause as string) as Record<string, unknown>;
}

describe('isolated local Lambda functions', () => {
  it('stops a handler that never returns after its timeout (Sandbox.Timedout) while another execution succeeds meanwhile', async () => {
    const order: string[] = [];
    const [hung, fine] = await Promise.all([
      run('forever').then((r) => (order.push('forever'), r)),
      run('echo', { a: 1 }).then((r) => (order.push('echo'), r)),
    ]);
    expect(fine).toMatchObject({ status: 'SUCCEEDED', output: '{"echoed":{"a":1}}' });
    expect(hung).toMatchObject({ status: 'FAILED', error: 'Sandbox.Timedout' });
    expect(cause(hung)).toEqual({ errorType: 'Sandbox.Timedout', errorMessage: expect.stringMatching(new RegExp(`^RequestId: ${REQUEST_ID} Error: Task timed out after 1\\.00 seconds$`)) });
    expect(order).toEqual(['echo', 'forever']);
    // The looping worker was terminated, not left spinning.
    expect(runtime.stats('forever')).toMatchObject({ workers: 0, busy: 0 });
    await expect(run('echo', { after: 'timeout' })).resolves.toMatchObject({ status: 'SUCCEEDED' });
  });

  it('reports process.exit(1) in a handler as Runtime.ExitError, and the next invocation starts a fresh environment', async () => {
    const exited = await run('quitter', { exit: true });
    expect(exited).toMatchObject({ status: 'FAILED', error: 'Runtime.ExitError' });
    expect(cause(exited)).toEqual({ errorType: 'Runtime.ExitError', errorMessage: expect.stringMatching(new RegExp(`^RequestId: ${REQUEST_ID} Error: Runtime exited with error: exit status 1$`)) });
    await expect(run('quitter', { exit: false })).resolves.toMatchObject({ status: 'SUCCEEDED', output: '"still here"' });
  });

  it('reports a handler that allocates without bound as Runtime.OutOfMemory; only its worker dies', async () => {
    const oom = await run('hoarder');
    expect(oom).toMatchObject({ status: 'FAILED', error: 'Runtime.OutOfMemory' });
    expect(cause(oom)).toEqual({ errorType: 'Runtime.OutOfMemory', errorMessage: expect.stringMatching(new RegExp(`^RequestId: ${REQUEST_ID} Error: Runtime exited with error: signal: killed$`)) });
    await expect(run('echo', { after: 'oom' })).resolves.toMatchObject({ status: 'SUCCEEDED' });
  });

  it('counts Buffers outside the heap against memorySize too', async () => {
    await expect(run('bufferHoarder')).resolves.toMatchObject({ status: 'FAILED', error: 'Runtime.OutOfMemory' });
  });

  it('fails the invocation with an error that escapes the handler (a throwing timer), and replaces the environment', async () => {
    const stray = await run('stray');
    expect(stray).toMatchObject({ status: 'FAILED', error: 'TypeError' });
    expect(cause(stray)).toMatchObject({ errorType: 'TypeError', errorMessage: 'thrown from a timer' });
    expect(runtime.stats('stray')).toMatchObject({ workers: 0 });
  });

  it("names a thrown error by its name, with Lambda's Node.js payload (errorType, errorMessage, trace) as the cause", async () => {
    const failed = await run('validator', { n: 7 });
    expect(failed).toMatchObject({ status: 'FAILED', error: 'ValidationError' });
    const payload = cause(failed);
    expect(Object.keys(payload)).toEqual(['errorType', 'errorMessage', 'trace']);
    expect(payload).toMatchObject({ errorType: 'ValidationError', errorMessage: 'bad input: 7' });
    expect((payload['trace'] as string[])[0]).toBe('ValidationError: bad input: 7');

    // Through the optimised integration too; a thrown non-Error is named by its typeof.
    const viaInvoke = await runLocal(
      { StartAt: 'Call', States: { Call: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'validator', Payload: { string: true } }, End: true } } },
      {},
      { invoker, clock: 'real', history: false },
    );
    expect(viaInvoke).toMatchObject({ status: 'FAILED', error: 'string' });
    expect(cause(viaInvoke)).toEqual({ errorType: 'string', errorMessage: 'plain text', trace: [] });
  });

  it('catches a function error by its name with Catch, like any task error', async () => {
    const machine = {
      StartAt: 'Call',
      States: {
        Call: { Type: 'Task', Resource: `${ARN}:validator`, Catch: [{ ErrorEquals: ['ValidationError'], ResultPath: '$.error', Next: 'Handled' }], End: true },
        Handled: { Type: 'Pass', End: true },
      },
    };
    const r = await runLocal(machine, { n: 1 }, { invoker, clock: 'real', history: false });
    expect(r.status).toBe('SUCCEEDED');
    expect(JSON.parse(r.output as string)).toMatchObject({ n: 1, error: { Error: 'ValidationError' } });
  });

  it('runs at most `concurrency` invocations at once; the rest wait in line', async () => {
    const results = (await Promise.all([1, 2, 3, 4, 5, 6].map((i) => runtime.invoke('slow', `${ARN}:slow`, { i })))) as { i: number; start: number; end: number }[];
    expect(results.map((r) => r.i)).toEqual([1, 2, 3, 4, 5, 6]);
    // How many invocations were running when each one started, from the handlers' own timestamps.
    const overlap = results.map((r) => results.filter((o) => o.start <= r.start && r.start < o.end).length);
    expect(Math.max(...overlap)).toBe(2);
    expect(runtime.stats('slow')).toMatchObject({ workers: 2, busy: 0, queued: 0 });
  });

  it("gives the handler Lambda's context object and environment, and forwards its console output to the log", async () => {
    process.env['STEPWISE_TEST_SECRET'] = 'do-not-leak';
    try {
      const r = await runtime.invoke('ctx', `${ARN}:ctx`, {});
      const { fields, remaining, env } = r as { fields: Record<string, unknown>; remaining: number; env: Record<string, string> };
      expect(fields).toEqual({
        functionName: 'ctx',
        functionVersion: '$LATEST',
        invokedFunctionArn: `${ARN}:ctx`,
        memoryLimitInMB: '256',
        awsRequestId: expect.stringMatching(new RegExp(`^${REQUEST_ID}$`)),
        logGroupName: '/aws/lambda/ctx',
        logStreamName: expect.stringMatching(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/),
        callbackWaitsForEmptyEventLoop: true,
      });
      expect(remaining).toBeGreaterThan(0);
      expect(remaining).toBeLessThanOrEqual(2000);
      expect(env).toMatchObject({
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_ENDPOINT_URL_SFN: 'http://127.0.0.1:9999',
        AWS_LAMBDA_FUNCTION_NAME: 'ctx',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
        AWS_LAMBDA_LOG_STREAM_NAME: fields['logStreamName'],
        _HANDLER: 'ctx.handler',
      });
      expect(env['STEPWISE_TEST_SECRET']).toBeUndefined();
      const requestId = fields['awsRequestId'] as string;
      expect(logs).toContain(`[ctx] START RequestId: ${requestId} Version: $LATEST`);
      expect(logs.some((l) => new RegExp(`^\\[ctx\\] \\S+Z\\t${requestId}\\tINFO\\thello from ctx$`).test(l))).toBe(true);
    } finally {
      delete process.env['STEPWISE_TEST_SECRET'];
    }
  });

  it('loads CommonJS callback-style handlers and, from sources under tsx, TypeScript ones', async () => {
    await expect(runtime.invoke('callback', `${ARN}:callback`, { n: 3 })).resolves.toEqual({ via: 'callback', n: 3 });
    await expect(runtime.invoke('typed', `${ARN}:typed`, { n: 21 })).resolves.toBe(42);
  });

  it('fails with Runtime.HandlerNotFound and Runtime.UserCodeSyntaxError when the handler cannot be loaded', async () => {
    const missing = await run('unexported');
    expect(missing).toMatchObject({ status: 'FAILED', error: 'Runtime.HandlerNotFound' });
    expect(cause(missing)).toMatchObject({ errorMessage: 'unexported.handler is undefined or not exported' });
    await expect(run('broken')).resolves.toMatchObject({ status: 'FAILED', error: 'Runtime.UserCodeSyntaxError' });
  });

  it('runs closures in-process with the same error contract, and answers an unknown function with Lambda.ResourceNotFoundException', async () => {
    const closure = await run('inline');
    expect(closure).toMatchObject({ status: 'FAILED', error: 'InlineError' });
    expect(cause(closure)).toMatchObject({ errorType: 'InlineError', errorMessage: 'closure failed' });
    expect(runtime.isolated('inline')).toBe(false);
    await expect(run('nobody')).resolves.toMatchObject({ status: 'FAILED', error: 'Lambda.ResourceNotFoundException' });
  });
});

describe('stepwise serve with isolated functions', () => {
  it('keeps serving after a function hangs, and lets a handler call Stepwise back with the AWS SDK and nothing but its environment', async () => {
    const sdk = pathToFileURL(createRequire(import.meta.url).resolve('@aws-sdk/client-sfn')).href;
    const lister = fn(
      'lister.mjs',
      `export const handler = async () => { const { SFNClient, ListStateMachinesCommand } = await import(${JSON.stringify(sdk)}); const out = await new SFNClient({}).send(new ListStateMachinesCommand({})); return out.stateMachines.map((m) => m.name); };`,
    );
    const harness = await startHarness({
      args: {
        functions: [
          { name: 'forever', module: join(dir, 'forever.mjs'), timeout: 1 },
          { name: 'lister', module: lister, timeout: 20, memorySize: 256 },
        ],
      },
    });
    try {
      const sfn = harness.client();
      const start = async (name: string, fnName: string) => {
        const definition = JSON.stringify(task(fnName));
        const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name, definition, roleArn: ROLE }));
        const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
        return eventually(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING', 25_000);
      };
      await expect(start('Hang', 'forever')).resolves.toMatchObject({ status: 'FAILED', error: 'Sandbox.Timedout' });
      const listed = await start('List', 'lister');
      expect(listed.status).toBe('SUCCEEDED');
      expect(JSON.parse(listed.output as string)).toEqual(['Hang', 'List']);
    } finally {
      await harness.stop();
    }
  });
});
