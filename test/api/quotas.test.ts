/**
 * Quotas through the real AWS SDK: with limits set low by configuration, each operation that AWS
 * caps answers with AWS's quota error, and nothing is created past the cap.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateActivityCommand,
  CreateStateMachineAliasCommand,
  CreateStateMachineCommand,
  GetActivityTaskCommand,
  ListActivitiesCommand,
  ListStateMachinesCommand,
  ListStateMachineVersionsCommand,
  PublishStateMachineVersionCommand,
  StartExecutionCommand,
  StopExecutionCommand,
  UpdateStateMachineCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { errorOf, eventually, ROLE, startHarness, type Harness } from './harness.js';

let h: Harness;
let sfn: SFNClient;

const hold = JSON.stringify({ StartAt: 'Hold', States: { Hold: { Type: 'Wait', Seconds: 3600, End: true } } });
const pass = (n: number): string => JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Result: n, End: true } } });

beforeAll(async () => {
  h = await startHarness({
    args: { limits: { stateMachines: 3, activities: 1, openExecutions: 2, versionsPerStateMachine: 2, aliasesPerStateMachine: 1, activityPollers: 1 } },
  });
  sfn = h.client();
});

afterAll(async () => {
  await h.stop();
});

describe('quotas set low by configuration', () => {
  it('StateMachineLimitExceeded past the state machine quota; creating an existing one again is still idempotent', async () => {
    for (const name of ['Q1', 'Q2', 'Q3']) await sfn.send(new CreateStateMachineCommand({ name, definition: hold, roleArn: ROLE }));
    const e = await errorOf(sfn.send(new CreateStateMachineCommand({ name: 'Q4', definition: hold, roleArn: ROLE })));
    expect(e).toMatchObject({ name: 'StateMachineLimitExceeded', status: 400 });
    const again = await sfn.send(new CreateStateMachineCommand({ name: 'Q1', definition: hold, roleArn: ROLE }));
    expect(again.stateMachineArn).toMatch(/:stateMachine:Q1$/);
    const list = await sfn.send(new ListStateMachinesCommand({}));
    expect(list.stateMachines?.map((m) => m.name).sort()).toEqual(['Q1', 'Q2', 'Q3']);
  });

  it('ExecutionLimitExceeded once the open executions reach the quota; a closed one frees a place', async () => {
    const machine = (await sfn.send(new CreateStateMachineCommand({ name: 'Q1', definition: hold, roleArn: ROLE }))).stateMachineArn!;
    const first = await sfn.send(new StartExecutionCommand({ stateMachineArn: machine, name: 'open-1' }));
    await sfn.send(new StartExecutionCommand({ stateMachineArn: machine, name: 'open-2' }));
    const e = await errorOf(sfn.send(new StartExecutionCommand({ stateMachineArn: machine, name: 'open-3' })));
    expect(e).toMatchObject({ name: 'ExecutionLimitExceeded', status: 400 });
    await sfn.send(new StopExecutionCommand({ executionArn: first.executionArn! }));
    const third = await eventually(
      () => sfn.send(new StartExecutionCommand({ stateMachineArn: machine, name: 'open-3' })).then((r) => r.executionArn, () => undefined),
      (arn) => arn !== undefined,
    );
    expect(third).toMatch(/:open-3$/);
    // Free the places for the next tests.
    for (const name of ['open-2', 'open-3']) await sfn.send(new StopExecutionCommand({ executionArn: third!.replace(/open-3$/, name) }));
  });

  it('ServiceQuotaExceededException past the versions and aliases quotas of a machine', async () => {
    const machine = (await sfn.send(new CreateStateMachineCommand({ name: 'Q2', definition: hold, roleArn: ROLE }))).stateMachineArn!;
    const v1 = await sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: machine }));
    await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: machine, definition: pass(2), publish: true }));
    await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: machine, definition: pass(3) }));
    const e = await errorOf(sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: machine })));
    expect(e).toMatchObject({ name: 'ServiceQuotaExceededException', status: 402 });
    const versions = await sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn: machine }));
    expect(versions.stateMachineVersions).toHaveLength(2);

    const routing = [{ stateMachineVersionArn: v1.stateMachineVersionArn!, weight: 100 }];
    await sfn.send(new CreateStateMachineAliasCommand({ name: 'prod', routingConfiguration: routing }));
    const a = await errorOf(sfn.send(new CreateStateMachineAliasCommand({ name: 'staging', routingConfiguration: routing })));
    expect(a).toMatchObject({ name: 'ServiceQuotaExceededException', status: 402 });
    // The existing alias, created again identically, is still answered.
    const same = await sfn.send(new CreateStateMachineAliasCommand({ name: 'prod', routingConfiguration: routing }));
    expect(same.stateMachineAliasArn).toMatch(/:Q2:prod$/);
  });

  it('ActivityLimitExceeded past the activity quota, and ActivityWorkerLimitExceeded past the concurrent pollers of an activity', async () => {
    const { activityArn } = await sfn.send(new CreateActivityCommand({ name: 'only-one' }));
    const e = await errorOf(sfn.send(new CreateActivityCommand({ name: 'second' })));
    expect(e).toMatchObject({ name: 'ActivityLimitExceeded', status: 400 });
    expect((await sfn.send(new ListActivitiesCommand({}))).activities?.map((x) => x.name)).toEqual(['only-one']);

    // Two workers poll at once: one holds the only place, the other is refused at once.
    const polls = ['w1', 'w2'].map((workerName) => h.client().send(new GetActivityTaskCommand({ activityArn: activityArn!, workerName })));
    const refused = await Promise.race(polls.map((p, i) => p.then(() => ({ i, error: undefined }), (err: { name: string }) => ({ i, error: err.name }))));
    expect(refused.error).toBe('ActivityWorkerLimitExceeded');
    // Give the other poller a task so that its long poll ends.
    const machine = (await sfn.send(new CreateStateMachineCommand({ name: 'Q3', definition: hold, roleArn: ROLE }))).stateMachineArn!;
    await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: machine, definition: JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Task', Resource: activityArn, End: true } } }) }));
    await eventually(
      () => sfn.send(new StartExecutionCommand({ stateMachineArn: machine })).then(() => true, () => false),
      (ok) => ok,
    );
    const firstPoll = polls[1 - refused.i]!;
    const got = await firstPoll;
    expect(got.taskToken).toBeTruthy();
  });
});
