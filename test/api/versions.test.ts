/** State machine versions and aliases through the real AWS SDK against a real server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateStateMachineAliasCommand,
  CreateStateMachineCommand,
  DeleteStateMachineAliasCommand,
  DeleteStateMachineCommand,
  DeleteStateMachineVersionCommand,
  DescribeExecutionCommand,
  DescribeStateMachineAliasCommand,
  DescribeStateMachineCommand,
  ListStateMachineAliasesCommand,
  ListStateMachineVersionsCommand,
  PublishStateMachineVersionCommand,
  StartExecutionCommand,
  ListExecutionsCommand,
  GetExecutionHistoryCommand,
  UpdateStateMachineAliasCommand,
  UpdateStateMachineCommand,
  type DescribeExecutionOutput,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { errorOf, eventually, ROLE, SM_PREFIX, startHarness, type Harness } from './harness.js';

const passMachine = (result: unknown) => JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Result: result, End: true } } });

let h: Harness;
let sfn: SFNClient;

beforeAll(async () => {
  h = await startHarness();
  sfn = h.client();
});
afterAll(async () => h.stop());

async function createMachine(name: string, result: unknown): Promise<string> {
  const r = await sfn.send(new CreateStateMachineCommand({ name, definition: passMachine(result), roleArn: ROLE }));
  return r.stateMachineArn!;
}

async function settled(executionArn: string): Promise<DescribeExecutionOutput> {
  return eventually(
    () => sfn.send(new DescribeExecutionCommand({ executionArn })),
    (d) => d.status !== 'RUNNING',
  );
}

/** A machine with version 1 (result "v1") and version 2 (result "v2"). */
async function twoVersions(name: string): Promise<{ arn: string; v1: string; v2: string }> {
  const arn = await createMachine(name, 'v1');
  const v1 = (await sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: arn }))).stateMachineVersionArn!;
  await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: passMachine('v2') }));
  const v2 = (await sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: arn }))).stateMachineVersionArn!;
  return { arn, v1, v2 };
}

describe('versions', () => {
  it('publishes version 1, then 2 after an update; publishing an unchanged revision again answers the latest version', async () => {
    const arn = await createMachine('Versioned', 'v1');
    const p1 = await sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: arn, description: 'first' }));
    expect(p1.stateMachineVersionArn).toBe(`${arn}:1`);
    expect(p1.creationDate).toBeInstanceOf(Date);
    const again = await sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: arn }));
    expect(again.stateMachineVersionArn).toBe(`${arn}:1`);

    const u = await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: passMachine('v2') }));
    const p2 = await sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: arn, revisionId: u.revisionId }));
    expect(p2.stateMachineVersionArn).toBe(`${arn}:2`);

    const d1 = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `${arn}:1` }));
    expect(d1).toMatchObject({ stateMachineArn: `${arn}:1`, name: 'Versioned', definition: passMachine('v1'), description: 'first', type: 'STANDARD' });
    const d2 = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `${arn}:2` }));
    expect(d2).toMatchObject({ definition: passMachine('v2'), revisionId: u.revisionId });
    const current = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
    expect(current.definition).toBe(passMachine('v2'));
  });

  it('refuses a stale revisionId with ConflictException', async () => {
    const arn = await createMachine('Stale', 'a');
    const first = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
    await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: passMachine('b') }));
    const e = await errorOf(sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: arn, revisionId: first.revisionId })));
    expect(e).toMatchObject({ name: 'ConflictException', status: 409 });
  });

  it('publishes with publish: true on CreateStateMachine and UpdateStateMachine', async () => {
    const c = await sfn.send(new CreateStateMachineCommand({ name: 'PublishOnCreate', definition: passMachine(1), roleArn: ROLE, publish: true, versionDescription: 'initial' }));
    expect(c.stateMachineVersionArn).toBe(`${SM_PREFIX}PublishOnCreate:1`);
    const u = await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: c.stateMachineArn, definition: passMachine(2), publish: true }));
    expect(u.stateMachineVersionArn).toBe(`${SM_PREFIX}PublishOnCreate:2`);
    const d = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: c.stateMachineVersionArn }));
    expect(d.description).toBe('initial');
  });

  it('lists versions newest first, page by page', async () => {
    const arn = await createMachine('Listed', 0);
    for (let i = 1; i <= 11; i++) {
      await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: passMachine(i), publish: true }));
    }
    const all = await sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn: arn }));
    expect(all.stateMachineVersions?.map((v) => v.stateMachineVersionArn)).toEqual(Array.from({ length: 11 }, (_, i) => `${arn}:${11 - i}`));
    expect(all.nextToken).toBeUndefined();

    const p1 = await sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn: arn, maxResults: 5 }));
    expect(p1.stateMachineVersions?.map((v) => v.stateMachineVersionArn)).toEqual([11, 10, 9, 8, 7].map((n) => `${arn}:${n}`));
    const p2 = await sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn: arn, maxResults: 5, nextToken: p1.nextToken }));
    expect(p2.stateMachineVersions?.map((v) => v.stateMachineVersionArn)).toEqual([6, 5, 4, 3, 2].map((n) => `${arn}:${n}`));
  });

  it('never reuses a deleted version number', async () => {
    const { arn, v2 } = await twoVersions('NoReuse');
    await sfn.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn: v2 }));
    await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: passMachine('v3') }));
    const p = await sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: arn }));
    expect(p.stateMachineVersionArn).toBe(`${arn}:3`);
    const e = await errorOf(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: v2 })));
    expect(e.name).toBe('StateMachineDoesNotExist');
  });

  it('runs the old definition when started with version 1 after the machine was updated', async () => {
    const { arn, v1 } = await twoVersions('RunOld');
    const onVersion = await sfn.send(new StartExecutionCommand({ stateMachineArn: v1 }));
    expect(onVersion.executionArn).toMatch(/^arn:aws:states:us-east-1:123456789012:execution:RunOld:/);
    const d = await settled(onVersion.executionArn!);
    expect(d).toMatchObject({ status: 'SUCCEEDED', output: '"v1"', stateMachineArn: arn, stateMachineVersionArn: v1 });
    expect(d.stateMachineAliasArn).toBeUndefined();

    const onLatest = await settled((await sfn.send(new StartExecutionCommand({ stateMachineArn: arn }))).executionArn!);
    expect(onLatest.output).toBe('"v2"');
    expect(onLatest.stateMachineVersionArn).toBeUndefined();
  });

  it('deletes its versions and aliases with the machine', async () => {
    const { arn, v1 } = await twoVersions('Gone');
    await sfn.send(new CreateStateMachineAliasCommand({ name: 'live', routingConfiguration: [{ stateMachineVersionArn: v1, weight: 100 }] }));
    await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: arn }));
    expect((await errorOf(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: v1 })))).name).toBe('StateMachineDoesNotExist');
    expect((await errorOf(sfn.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: `${arn}:live` })))).name).toBe('ResourceNotFound');
  });
});

describe('aliases', () => {
  it('routes an alias with one version and reports it on the execution', async () => {
    const { arn, v1 } = await twoVersions('OneRoute');
    const a = await sfn.send(new CreateStateMachineAliasCommand({ name: 'PROD', description: 'production', routingConfiguration: [{ stateMachineVersionArn: v1, weight: 100 }] }));
    expect(a.stateMachineAliasArn).toBe(`${arn}:PROD`);
    // Idempotent with the same configuration.
    const again = await sfn.send(new CreateStateMachineAliasCommand({ name: 'PROD', description: 'production', routingConfiguration: [{ stateMachineVersionArn: v1, weight: 100 }] }));
    expect(again.creationDate?.getTime()).toBe(a.creationDate?.getTime());

    const d = await settled((await sfn.send(new StartExecutionCommand({ stateMachineArn: a.stateMachineAliasArn }))).executionArn!);
    expect(d).toMatchObject({ status: 'SUCCEEDED', output: '"v1"', stateMachineArn: arn, stateMachineVersionArn: v1, stateMachineAliasArn: a.stateMachineAliasArn });
  });

  it('lists executions by version and by alias ARN, and ExecutionStarted names the version and alias', async () => {
    const { arn, v1, v2 } = await twoVersions('ListByQualifier');
    const alias = (await sfn.send(new CreateStateMachineAliasCommand({ name: 'live', routingConfiguration: [{ stateMachineVersionArn: v2, weight: 100 }] }))).stateMachineAliasArn!;
    const viaV1 = (await sfn.send(new StartExecutionCommand({ stateMachineArn: v1, name: 'via-v1' }))).executionArn!;
    const viaAlias = (await sfn.send(new StartExecutionCommand({ stateMachineArn: alias, name: 'via-alias' }))).executionArn!;
    const plain = (await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'plain' }))).executionArn!;
    for (const e of [viaV1, viaAlias, plain]) await settled(e);

    const all = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn }));
    expect(all.executions?.map((e) => e.name).sort()).toEqual(['plain', 'via-alias', 'via-v1']);
    const byV1 = await sfn.send(new ListExecutionsCommand({ stateMachineArn: v1 }));
    expect(byV1.executions?.map((e) => [e.name, e.stateMachineVersionArn, e.stateMachineAliasArn])).toEqual([['via-v1', v1, undefined]]);
    const byV2 = await sfn.send(new ListExecutionsCommand({ stateMachineArn: v2 }));
    expect(byV2.executions?.map((e) => e.name)).toEqual(['via-alias']);
    const byAlias = await sfn.send(new ListExecutionsCommand({ stateMachineArn: alias }));
    expect(byAlias.executions?.map((e) => [e.name, e.stateMachineVersionArn, e.stateMachineAliasArn])).toEqual([['via-alias', v2, alias]]);
    expect((await errorOf(sfn.send(new ListExecutionsCommand({ stateMachineArn: `${arn}:nosuch` })))).name).toBe('ResourceNotFound');

    const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn: viaAlias }));
    expect(events?.[0]?.executionStartedEventDetails).toMatchObject({ stateMachineAliasArn: alias, stateMachineVersionArn: v2 });
    const plainStart = (await sfn.send(new GetExecutionHistoryCommand({ executionArn: plain }))).events?.[0]?.executionStartedEventDetails;
    expect(plainStart?.stateMachineVersionArn).toBeUndefined();
    expect(plainStart?.stateMachineAliasArn).toBeUndefined();
  });

  it('routes by weight between two versions', async () => {
    const { arn, v1, v2 } = await twoVersions('Weighted');
    const a = await sfn.send(
      new CreateStateMachineAliasCommand({
        name: 'canary',
        routingConfiguration: [
          { stateMachineVersionArn: v1, weight: 50 },
          { stateMachineVersionArn: v2, weight: 50 },
        ],
      }),
    );
    const outputs = new Set<string>();
    for (let i = 0; i < 40 && outputs.size < 2; i++) {
      const d = await settled((await sfn.send(new StartExecutionCommand({ stateMachineArn: a.stateMachineAliasArn }))).executionArn!);
      expect(d.stateMachineArn).toBe(arn);
      expect(d.stateMachineVersionArn).toBe(d.output === '"v1"' ? v1 : v2);
      outputs.add(d.output!);
    }
    expect([...outputs].sort()).toEqual(['"v1"', '"v2"']);

    // All the weight on version 2: only version 2 runs.
    await sfn.send(
      new UpdateStateMachineAliasCommand({
        stateMachineAliasArn: a.stateMachineAliasArn,
        routingConfiguration: [
          { stateMachineVersionArn: v1, weight: 0 },
          { stateMachineVersionArn: v2, weight: 100 },
        ],
      }),
    );
    for (let i = 0; i < 5; i++) {
      const d = await settled((await sfn.send(new StartExecutionCommand({ stateMachineArn: a.stateMachineAliasArn }))).executionArn!);
      expect(d.output).toBe('"v2"');
    }
  });

  it('refuses routing configurations whose weights do not sum to 100, or with other problems, with ValidationException', async () => {
    const { v1, v2 } = await twoVersions('BadRouting');
    const other = await twoVersions('OtherMachine');
    const bad = [
      [
        { stateMachineVersionArn: v1, weight: 50 },
        { stateMachineVersionArn: v2, weight: 40 },
      ],
      [{ stateMachineVersionArn: v1, weight: 99 }],
      [],
      [
        { stateMachineVersionArn: v1, weight: 50 },
        { stateMachineVersionArn: other.v2, weight: 50 },
      ],
      [
        { stateMachineVersionArn: v1, weight: 50 },
        { stateMachineVersionArn: v1, weight: 50 },
      ],
    ];
    for (const routingConfiguration of bad) {
      const e = await errorOf(sfn.send(new CreateStateMachineAliasCommand({ name: 'bad', routingConfiguration })));
      expect(e).toMatchObject({ name: 'ValidationException', reason: 'INVALID_ROUTING_CONFIGURATION' });
    }
  });

  it('refuses numeric-only and invalid alias names, and a different configuration under an existing name', async () => {
    const { v1, v2 } = await twoVersions('Names');
    for (const name of ['123', 'has space', 'a:b']) {
      const e = await errorOf(sfn.send(new CreateStateMachineAliasCommand({ name, routingConfiguration: [{ stateMachineVersionArn: v1, weight: 100 }] })));
      expect(e.name).toBe('InvalidName');
    }
    await sfn.send(new CreateStateMachineAliasCommand({ name: 'taken', routingConfiguration: [{ stateMachineVersionArn: v1, weight: 100 }] }));
    const e = await errorOf(sfn.send(new CreateStateMachineAliasCommand({ name: 'taken', routingConfiguration: [{ stateMachineVersionArn: v2, weight: 100 }] })));
    expect(e).toMatchObject({ name: 'ConflictException', status: 409 });
  });

  it('refuses to delete a version an alias routes to, until the alias moves', async () => {
    const { arn, v1, v2 } = await twoVersions('Referenced');
    const a = await sfn.send(new CreateStateMachineAliasCommand({ name: 'live', routingConfiguration: [{ stateMachineVersionArn: v1, weight: 100 }] }));
    const e = await errorOf(sfn.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn: v1 })));
    expect(e).toMatchObject({ name: 'ConflictException', status: 409 });

    await sfn.send(new UpdateStateMachineAliasCommand({ stateMachineAliasArn: a.stateMachineAliasArn, routingConfiguration: [{ stateMachineVersionArn: v2, weight: 100 }] }));
    await sfn.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn: v1 }));
    const left = await sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn: arn }));
    expect(left.stateMachineVersions?.map((v) => v.stateMachineVersionArn)).toEqual([v2]);
  });

  it('describes, lists, updates and deletes aliases', async () => {
    const { arn, v1, v2 } = await twoVersions('AliasCrud');
    const beta = await sfn.send(new CreateStateMachineAliasCommand({ name: 'beta', description: 'b', routingConfiguration: [{ stateMachineVersionArn: v2, weight: 100 }] }));
    const alpha = await sfn.send(new CreateStateMachineAliasCommand({ name: 'alpha', routingConfiguration: [{ stateMachineVersionArn: v1, weight: 100 }] }));

    const d = await sfn.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: beta.stateMachineAliasArn }));
    expect(d).toMatchObject({ stateMachineAliasArn: `${arn}:beta`, name: 'beta', description: 'b', routingConfiguration: [{ stateMachineVersionArn: v2, weight: 100 }] });
    expect(d.creationDate).toBeInstanceOf(Date);
    expect(d.updateDate).toBeInstanceOf(Date);

    const listed = await sfn.send(new ListStateMachineAliasesCommand({ stateMachineArn: arn }));
    expect(listed.stateMachineAliases?.map((a) => a.stateMachineAliasArn)).toEqual([alpha.stateMachineAliasArn, beta.stateMachineAliasArn]);
    const page = await sfn.send(new ListStateMachineAliasesCommand({ stateMachineArn: arn, maxResults: 1 }));
    expect(page.stateMachineAliases?.map((a) => a.stateMachineAliasArn)).toEqual([alpha.stateMachineAliasArn]);
    const next = await sfn.send(new ListStateMachineAliasesCommand({ stateMachineArn: arn, maxResults: 1, nextToken: page.nextToken }));
    expect(next.stateMachineAliases?.map((a) => a.stateMachineAliasArn)).toEqual([beta.stateMachineAliasArn]);

    const u = await sfn.send(
      new UpdateStateMachineAliasCommand({
        stateMachineAliasArn: beta.stateMachineAliasArn,
        description: 'changed',
        routingConfiguration: [
          { stateMachineVersionArn: v1, weight: 30 },
          { stateMachineVersionArn: v2, weight: 70 },
        ],
      }),
    );
    expect(u.updateDate).toBeInstanceOf(Date);
    const after = await sfn.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: beta.stateMachineAliasArn }));
    expect(after).toMatchObject({ description: 'changed', routingConfiguration: [{ stateMachineVersionArn: v1, weight: 30 }, { stateMachineVersionArn: v2, weight: 70 }] });
    const badUpdate = await errorOf(
      sfn.send(new UpdateStateMachineAliasCommand({ stateMachineAliasArn: beta.stateMachineAliasArn, routingConfiguration: [{ stateMachineVersionArn: v1, weight: 10 }] })),
    );
    expect(badUpdate).toMatchObject({ name: 'ValidationException', reason: 'INVALID_ROUTING_CONFIGURATION' });

    await sfn.send(new DeleteStateMachineAliasCommand({ stateMachineAliasArn: beta.stateMachineAliasArn }));
    const gone = await errorOf(sfn.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: beta.stateMachineAliasArn })));
    expect(gone).toMatchObject({ name: 'ResourceNotFound', status: 404 });
    const rest = await sfn.send(new ListStateMachineAliasesCommand({ stateMachineArn: arn }));
    expect(rest.stateMachineAliases?.map((a) => a.stateMachineAliasArn)).toEqual([alpha.stateMachineAliasArn]);
  });
});
