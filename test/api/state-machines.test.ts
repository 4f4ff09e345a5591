/** State machine operations through the real AWS SDK against a real server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeStateMachineCommand,
  ListStateMachinesCommand,
  UpdateStateMachineCommand,
  ValidateStateMachineDefinitionCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { ROLE, SM_PREFIX, startHarness, type Harness } from './harness.js';

const passMachine = (result: unknown = 'done') => JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Result: result, End: true } } });

let h: Harness;
let sfn: SFNClient;

beforeAll(async () => {
  h = await startHarness();
  sfn = h.client();
});
afterAll(async () => h.stop());

/** The SDK's error for a failing call (name and message), or a failure when the call succeeds. */
async function errorOf(p: Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined }> {
  try {
    await p;
  } catch (err) {
    const e = err as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

describe('CreateStateMachine and DescribeStateMachine', () => {
  it('creates a Standard machine by default and describes it with AWS defaults', async () => {
    const before = Date.now();
    const created = await sfn.send(new CreateStateMachineCommand({ name: 'Describe-Me', definition: passMachine(), roleArn: ROLE }));
    expect(created.stateMachineArn).toBe(`${SM_PREFIX}Describe-Me`);
    expect(created.creationDate).toBeInstanceOf(Date);
    expect(created.creationDate!.getTime()).toBeGreaterThanOrEqual(before - 1000);

    const d = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }));
    expect(d).toMatchObject({
      stateMachineArn: created.stateMachineArn,
      name: 'Describe-Me',
      status: 'ACTIVE',
      definition: passMachine(),
      roleArn: ROLE,
      type: 'STANDARD',
      loggingConfiguration: { level: 'OFF', includeExecutionData: false },
      tracingConfiguration: { enabled: false },
    });
    expect(d.creationDate?.getTime()).toBe(created.creationDate?.getTime());
    expect(d.revisionId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('is idempotent for the same name, definition and type, and refuses a different definition with StateMachineAlreadyExists', async () => {
    const first = await sfn.send(new CreateStateMachineCommand({ name: 'Twice', definition: passMachine(), roleArn: ROLE }));
    const again = await sfn.send(new CreateStateMachineCommand({ name: 'Twice', definition: passMachine(), roleArn: `${ROLE}-other` }));
    expect(again.stateMachineArn).toBe(first.stateMachineArn);
    expect(again.creationDate?.getTime()).toBe(first.creationDate?.getTime());

    const e = await errorOf(sfn.send(new CreateStateMachineCommand({ name: 'Twice', definition: passMachine('other'), roleArn: ROLE })));
    expect(e).toMatchObject({ name: 'StateMachineAlreadyExists', message: `State Machine Already Exists: '${SM_PREFIX}Twice'`, status: 400 });
    const t = await errorOf(sfn.send(new CreateStateMachineCommand({ name: 'Twice', definition: passMachine(), roleArn: ROLE, type: 'EXPRESS' })));
    expect(t.name).toBe('StateMachineAlreadyExists');
  });

  it('refuses an invalid definition with InvalidDefinition in AWS\'s message shape', async () => {
    const bad = JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Choice', Choices: [{ Variable: '$.x', IsPresent: true, Next: 'Nowhere' }], Default: 'Z' }, Z: { Type: 'Succeed' } } });
    const e = await errorOf(sfn.send(new CreateStateMachineCommand({ name: 'Broken', definition: bad, roleArn: ROLE })));
    expect(e.name).toBe('InvalidDefinition');
    expect(e.message).toMatch(/^Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: .* at \/States\/A\/Choices\[0\]\/Next'$/);

    // Several errors: each quoted, joined inside one more pair of quotes.
    const twoErrors = JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Nowhere' } } });
    const several = await errorOf(sfn.send(new CreateStateMachineCommand({ name: 'Broken', definition: twoErrors, roleArn: ROLE })));
    expect(several.message).toMatch(/^Invalid State Machine Definition: ''MISSING_TRANSITION_TARGET: .* at \/States\/A\/Next', 'MISSING_END_STATE: .*''$/);

    const notJson = await errorOf(sfn.send(new CreateStateMachineCommand({ name: 'Broken', definition: '{"StartAt":', roleArn: ROLE })));
    expect(notJson.name).toBe('InvalidDefinition');
    expect(notJson.message).toContain('INVALID_JSON_DESCRIPTION');
  });

  it('refuses names AWS refuses with InvalidName', async () => {
    for (const name of ['has space', 'a/b', 'x'.repeat(81), '']) {
      const e = await errorOf(sfn.send(new CreateStateMachineCommand({ name, definition: passMachine(), roleArn: ROLE })));
      expect(e.name, name).toBe('InvalidName');
    }
  });

  it('refuses an unknown type with ValidationException and a malformed role with InvalidArn', async () => {
    const t = await errorOf(sfn.send(new CreateStateMachineCommand({ name: 'Typed', definition: passMachine(), roleArn: ROLE, type: 'FAST' as never })));
    expect(t.name).toBe('ValidationException');
    expect(t.message).toContain('[STANDARD, EXPRESS]');
    const r = await errorOf(sfn.send(new CreateStateMachineCommand({ name: 'Typed', definition: passMachine(), roleArn: 'not-a-role' })));
    expect(r.name).toBe('InvalidArn');
  });

  it('answers StateMachineDoesNotExist for an unknown machine and InvalidArn for a malformed ARN', async () => {
    const e = await errorOf(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `${SM_PREFIX}Nope` })));
    expect(e).toMatchObject({ name: 'StateMachineDoesNotExist', message: `State Machine Does Not Exist: '${SM_PREFIX}Nope'` });
    const a = await errorOf(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: 'not-an-arn' })));
    expect(a.name).toBe('InvalidArn');
    const wrongType = await errorOf(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:activity:x' })));
    expect(wrongType).toMatchObject({ name: 'InvalidArn', message: "Invalid Arn: 'Resource type not valid in this context: activity'" });
  });
});

describe('UpdateStateMachine and DeleteStateMachine', () => {
  it('replaces the definition and role, with a new revisionId and updateDate', async () => {
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'Updatable', definition: passMachine(1), roleArn: ROLE }));
    const before = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn }));
    const u = await sfn.send(new UpdateStateMachineCommand({ stateMachineArn, definition: passMachine(2), roleArn: `${ROLE}-2` }));
    expect(u.updateDate).toBeInstanceOf(Date);
    expect(u.revisionId).not.toBe(before.revisionId);
    const after = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn }));
    expect(after).toMatchObject({ definition: passMachine(2), roleArn: `${ROLE}-2`, revisionId: u.revisionId });
    expect(after.creationDate?.getTime()).toBe(before.creationDate?.getTime());
  });

  it('needs a definition or a roleArn (MissingRequiredParameter), validates the new definition, and knows unknown machines', async () => {
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'Strict-Update', definition: passMachine(), roleArn: ROLE }));
    expect((await errorOf(sfn.send(new UpdateStateMachineCommand({ stateMachineArn })))).name).toBe('MissingRequiredParameter');
    expect((await errorOf(sfn.send(new UpdateStateMachineCommand({ stateMachineArn, definition: '{}' })))).name).toBe('InvalidDefinition');
    expect((await errorOf(sfn.send(new UpdateStateMachineCommand({ stateMachineArn: `${SM_PREFIX}Ghost`, roleArn: ROLE })))).name).toBe('StateMachineDoesNotExist');
  });

  it('deletes a machine; deleting it again succeeds as on AWS', async () => {
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'Doomed', definition: passMachine(), roleArn: ROLE }));
    await sfn.send(new DeleteStateMachineCommand({ stateMachineArn }));
    expect((await errorOf(sfn.send(new DescribeStateMachineCommand({ stateMachineArn })))).name).toBe('StateMachineDoesNotExist');
    await expect(sfn.send(new DeleteStateMachineCommand({ stateMachineArn }))).resolves.toBeDefined();
  });
});

describe('ListStateMachines', () => {
  it('pages through every machine in name order with nextToken', async () => {
    for (const n of ['List-a', 'List-b', 'List-c']) await sfn.send(new CreateStateMachineCommand({ name: n, definition: passMachine(), roleArn: ROLE, type: 'EXPRESS' }));
    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await sfn.send(new ListStateMachinesCommand({ maxResults: 2, nextToken }));
      expect(page.stateMachines!.length).toBeLessThanOrEqual(2);
      seen.push(...page.stateMachines!.map((s) => s.name!));
      nextToken = page.nextToken;
      pages++;
    } while (nextToken);
    expect(pages).toBeGreaterThan(1);
    expect(seen.filter((n) => n.startsWith('List-'))).toEqual(['List-a', 'List-b', 'List-c']);
    expect([...seen].sort()).toEqual(seen);
    const all = await sfn.send(new ListStateMachinesCommand({}));
    expect(all.stateMachines!.find((s) => s.name === 'List-b')).toMatchObject({ type: 'EXPRESS', stateMachineArn: `${SM_PREFIX}List-b` });
    expect(all.stateMachines!.find((s) => s.name === 'List-b')?.creationDate).toBeInstanceOf(Date);
  });

  it('refuses a token it did not issue with InvalidToken and a page size over 1000 with ValidationException', async () => {
    expect((await errorOf(sfn.send(new ListStateMachinesCommand({ nextToken: 'garbage' })))).name).toBe('InvalidToken');
    expect((await errorOf(sfn.send(new ListStateMachinesCommand({ maxResults: 1001 })))).name).toBe('ValidationException');
  });
});

describe('ValidateStateMachineDefinition', () => {
  it('answers OK with no diagnostics for a valid definition', async () => {
    const r = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition: passMachine() }));
    expect(r).toMatchObject({ result: 'OK', diagnostics: [], truncated: false });
  });

  it('answers FAIL with coded, located diagnostics, truncated to maxResults', async () => {
    const bad = JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'X' }, B: { Type: 'Pass', Next: 'Y' } } });
    const r = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition: bad }));
    expect(r.result).toBe('FAIL');
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ severity: 'ERROR', code: 'MISSING_TRANSITION_TARGET', location: '/States/A/Next' }));
    const one = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition: bad, maxResults: 1 }));
    expect(one.diagnostics).toHaveLength(1);
    expect(one.truncated).toBe(true);
  });
});
