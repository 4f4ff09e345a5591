/** `stepwise run`: outcome printing, --json, --history, --handler, and the 0/1/2 exit codes. */
import { mkdtempSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

const dir = mkdtempSync(join(tmpdir(), 'stepwise-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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

const passMachine = { StartAt: 'Hello', States: { Hello: { Type: 'Pass', Parameters: { 'greeting.$': "States.Format('Hello, {}!', $.name)" }, End: true } } };
const failMachine = { StartAt: 'Boom', States: { Boom: { Type: 'Fail', Error: 'Custom.Error', Cause: 'it broke' } } };

describe('stepwise run', () => {
  it('prints one JSON line with the output as JSON text and exits 0 when the execution succeeds', async () => {
    const r = await run(['run', file('pass.json', passMachine), '--input', '{"name":"Ada"}', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out.at(-1) as string)).toEqual({ status: 'SUCCEEDED', output: '{"greeting":"Hello, Ada!"}', error: null, cause: null });
  });

  it('reads the input from a file given as @file', async () => {
    const r = await run(['run', file('pass2.json', passMachine), '--input', `@${file('input.json', { name: 'Grace' })}`, '--json']);
    expect(JSON.parse(r.out.at(-1) as string).output).toBe('{"greeting":"Hello, Grace!"}');
  });

  it('exits 1 with the error and cause when the execution fails', async () => {
    const r = await run(['run', file('fail.json', failMachine)]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('status: FAILED');
    expect(r.out).toContain('error: Custom.Error');
    expect(r.out).toContain('cause: it broke');
  });

  it('exits 2 and names the problem for an invalid definition', async () => {
    const r = await run(['run', file('bad.json', { StartAt: 'Missing', States: { A: { Type: 'Pass', End: true } } })]);
    expect(r.code).toBe(2);
    expect(r.out.join('\n')).toMatch(/MISSING_TRANSITION_TARGET|StartAt/);
  });

  it('exits 2 for malformed definition JSON', async () => {
    const r = await run(['run', file('malformed.json', '{"StartAt": ')]);
    expect(r.code).toBe(2);
    expect(r.out.join('\n')).toContain('INVALID_JSON_DESCRIPTION');
  });

  it('exits 2 for usage errors: no file, bad --input JSON, unknown command', async () => {
    expect((await run(['run'])).code).toBe(2);
    expect((await run(['run', file('p3.json', passMachine), '--input', '{nope'])).code).toBe(2);
    expect((await run(['frobnicate'])).code).toBe(2);
  });

  it('prints AWS-shaped history events with --history', async () => {
    const r = await run(['run', file('p4.json', passMachine), '--input', '{"name":"Ada"}', '--history']);
    const events = r.out.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.map((e) => e['type'])).toEqual(['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
    expect(events[1]).toMatchObject({ id: 2, previousEventId: 0, stateEnteredEventDetails: { name: 'Hello', input: '{"name":"Ada"}' } });
    expect(events[3]).toMatchObject({ executionSucceededEventDetails: { output: '{"greeting":"Hello, Ada!"}' } });
  });

  it('answers Task states with --handler modules, wrapping lambda:invoke results as AWS does', async () => {
    const handler = file('double.mjs', 'export const handler = async (event) => ({ doubled: event.n * 2 });');
    const machine = {
      StartAt: 'Direct',
      States: {
        Direct: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:double', Next: 'Wrapped' },
        Wrapped: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'double', Payload: { 'n.$': '$.doubled' } },
          ResultSelector: { 'value.$': '$.Payload.doubled', 'status.$': '$.StatusCode' },
          End: true,
        },
      },
    };
    const r = await run(['run', file('task.json', machine), '--input', '{"n":3}', '--handler', `double=${handler}`, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(JSON.parse(r.out.at(-1) as string).output)).toEqual({ value: 12, status: 200 });
  });

  it("reports a handler's exception as the task error, with Lambda's error payload as the cause", async () => {
    const handler = file('throws.mjs', 'export const handler = async () => { const e = new Error("bad input"); e.name = "ValidationError"; throw e; };');
    const machine = { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:throws', End: true } } };
    const r = await run(['run', file('throws.json', machine), '--handler', `throws=${handler}`, '--json']);
    const line = JSON.parse(r.out.at(-1) as string) as { status: string; error: string; cause: string };
    expect(r.code).toBe(1);
    expect(line.error).toBe('ValidationError');
    expect(JSON.parse(line.cause)).toMatchObject({ errorType: 'ValidationError', errorMessage: 'bad input' });
  });
});

describe('the stepwise bin', () => {
  const bin = resolve(__dirname, '../../bin/stepwise.js');
  const built = existsSync(resolve(__dirname, '../../dist/cli/main.js'));
  it.runIf(built || process.env['CI'] === 'true')('runs the compiled CLI and returns its exit code', () => {
    const res = spawnSync(process.execPath, [bin, 'run', file('bin.json', failMachine), '--json'], { encoding: 'utf8' });
    expect(res.status).toBe(1);
    expect(JSON.parse(res.stdout.trim())).toMatchObject({ status: 'FAILED', error: 'Custom.Error' });
  });

  it.runIf(built || process.env['CI'] === 'true')('exits once done after evaluating a regular expression in the JSONata worker', () => {
    const machine = { QueryLanguage: 'JSONata', StartAt: 'A', States: { A: { Type: 'Pass', Output: "{% $match('abc', /b/).match %}", End: true } } };
    const res = spawnSync(process.execPath, [bin, 'run', file('regex.json', machine), '--json'], { encoding: 'utf8', timeout: 20_000 });
    expect(res.signal).toBeNull();
    expect(res.status).toBe(0);
    expect(JSON.parse(res.stdout.trim())).toMatchObject({ status: 'SUCCEEDED', output: '"b"' });
  });
});
