/** The client commands talk to a running server: tables for people, --json for scripts, AWS errors as messages. */
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { eventually, startHarness, type Harness } from '../api/harness.js';

let h: Harness;
const dir = mkdtempSync(join(tmpdir(), 'stepwise-client-'));
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function cli(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main([...args, '--endpoint', h.url], (l) => out.push(l), (l) => err.push(l));
  return { code, out, err };
}

describe('stepwise client commands', () => {
  it('validates a definition through the server: exit 0 when OK, 2 with the diagnostics when not', async () => {
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }));
    expect(await cli('validate', good)).toMatchObject({ code: 0, out: ['result: OK'] });
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Nowhere' } } }));
    const r = await cli('validate', bad);
    expect(r.code).toBe(2);
    expect(r.out.join('\n')).toContain('MISSING_TRANSITION_TARGET');
  });

  it('lists and describes machines and executions, prints a history, and stops an execution', async () => {
    const { CreateStateMachineCommand, StartExecutionCommand, DescribeExecutionCommand } = await import('@aws-sdk/client-sfn');
    const sfn = h.client();
    const quick = JSON.stringify({ StartAt: 'Hi', States: { Hi: { Type: 'Pass', Result: 'hello', End: true } } });
    const slow = JSON.stringify({ StartAt: 'Hold', States: { Hold: { Type: 'Wait', Seconds: 3600, End: true } } });
    const m = await sfn.send(new CreateStateMachineCommand({ name: 'Quick', definition: quick, roleArn: 'arn:aws:iam::123456789012:role/r' }));
    const s = await sfn.send(new CreateStateMachineCommand({ name: 'Slow', definition: slow, roleArn: 'arn:aws:iam::123456789012:role/r' }));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: m.stateMachineArn, name: 'first' }));
    await eventually(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status === 'SUCCEEDED');

    const machines = await cli('machines', 'list');
    expect(machines.out[0]).toMatch(/^name\s+type\s+creationDate\s+stateMachineArn$/);
    expect(machines.out.some((l) => l.startsWith('Quick') && l.includes('STANDARD'))).toBe(true);
    expect(JSON.parse((await cli('machines', 'describe', 'Quick', '--json')).out[0] as string)).toMatchObject({ name: 'Quick', definition: quick });
    expect((await cli('executions', 'list', 'Quick')).out.some((l) => /^first\s+SUCCEEDED/.test(l))).toBe(true);
    expect((await cli('executions', 'describe', executionArn as string)).out).toContain('output: "hello"');
    const history = await cli('executions', 'history', executionArn as string);
    expect(history.out.slice(1).map((l) => l.split(/\s+/)[2])).toEqual(['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);

    const running = await sfn.send(new StartExecutionCommand({ stateMachineArn: s.stateMachineArn, name: 'parked' }));
    expect((await cli('executions', 'stop', running.executionArn as string, '--error', 'Manual', '--cause', 'operator')).code).toBe(0);
    const stopped = await eventually(() => sfn.send(new DescribeExecutionCommand({ executionArn: running.executionArn })), (d) => d.status !== 'RUNNING');
    expect(stopped).toMatchObject({ status: 'ABORTED', error: 'Manual', cause: 'operator' });
    // An aborted execution can be redriven: it resumes the state it was stopped in.
    const redrive = await cli('executions', 'redrive', running.executionArn as string);
    expect(redrive.code).toBe(0);
    expect(redrive.out.join('\n')).toMatch(/^redriven at \d{4}-\d\d-\d\dT/);
    const again = await sfn.send(new DescribeExecutionCommand({ executionArn: running.executionArn }));
    expect(again).toMatchObject({ status: 'RUNNING', redriveCount: 1 });
  });

  it("prints the server's error and exits 1 for an unknown machine", async () => {
    const r = await cli('machines', 'describe', 'Missing');
    expect(r.code).toBe(1);
    expect(r.err[0]).toMatch(/^stepwise: StateMachineDoesNotExist: /);
  });
});
