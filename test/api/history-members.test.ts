/**
 * GetExecutionHistory is the one response whose members the build cannot check: the engine names
 * each event's details member at run time. So the SDK judges here: it silently drops any member
 * its model lacks, so every member answered on the wire must be one the SDK reads back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  StartExecutionCommand,
  StopExecutionCommand,
  type HistoryEvent,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import type { LambdaHandler } from '../../src/integrations/lambda-local.js';
import { eventually, ROLE, signedPost, startHarness, type Harness } from './harness.js';

/** Most kinds of event: Pass with Assign, Choice, Wait, Parallel, Map, a Lambda integration, a caught Lambda failure, Fail. */
const busy = JSON.stringify({
  StartAt: 'Remember',
  States: {
    Remember: { Type: 'Pass', Assign: { 'seen.$': '$.n' }, Next: 'Pick' },
    Pick: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericGreaterThan: 0, Next: 'Pause' }], Default: 'Pause' },
    Pause: { Type: 'Wait', Seconds: 0, Next: 'Both' },
    Both: {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'Left', States: { Left: { Type: 'Pass', End: true } } },
        { StartAt: 'Right', States: { Right: { Type: 'Pass', End: true } } },
      ],
      ResultPath: '$.both',
      Next: 'Each',
    },
    Each: {
      Type: 'Map',
      ItemsPath: '$.items',
      ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Item', States: { Item: { Type: 'Pass', End: true } } },
      ResultPath: '$.each',
      Next: 'Double',
    },
    Double: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'double', 'Payload.$': '$.n' }, ResultPath: '$.doubled', Next: 'Boom' },
    Boom: {
      Type: 'Task',
      Resource: 'arn:aws:lambda:us-east-1:123456789012:function:boom',
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Give up' }],
      End: true,
    },
    'Give up': { Type: 'Fail', Error: 'Gave.Up', Cause: 'on purpose' },
  },
});

/** A Wait and a callback Task, both in progress until the execution is stopped. */
const held = JSON.stringify({
  StartAt: 'Both',
  States: {
    Both: {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'Hold', States: { Hold: { Type: 'Wait', Seconds: 3600, End: true } } },
        {
          StartAt: 'Park',
          States: { Park: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { FunctionName: 'park', Payload: {} }, End: true } },
        },
      ],
      End: true,
    },
  },
});

/** Members Stepwise answers that the SDK's model lacks (so no client reads them): none. */
const UNREADABLE_TODAY = { busy: [] as string[], stopped: [] as string[] };

let h: Harness;
let sfn: SFNClient;

beforeAll(async () => {
  h = await startHarness({
    handlers: new Map<string, LambdaHandler>([
      ['double', (n: unknown) => Number(n) * 2],
      ['park', () => undefined],
      [
        'boom',
        () => {
          throw new Error('boom');
        },
      ],
    ]),
  });
  sfn = h.client();
});
afterAll(async () => h.stop());

async function start(name: string, definition: string): Promise<string> {
  const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name, definition, roleArn: ROLE }));
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ n: 2, items: [1, 2] }) }));
  return executionArn!;
}

async function settled(executionArn: string): Promise<void> {
  await eventually(
    () => sfn.send(new DescribeExecutionCommand({ executionArn })),
    (d) => d.status !== 'RUNNING',
  );
}

/** The events as answered on the wire, and as the SDK reads them. */
async function answeredAndRead(executionArn: string): Promise<{ answered: unknown; read: unknown; types: string[] }> {
  const raw = await signedPost(h.url, { target: 'AWSStepFunctions.GetExecutionHistory', body: JSON.stringify({ executionArn }) });
  const read = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
  return { answered: raw.body, read, types: (read.events ?? []).map((e: HistoryEvent) => e.type!) };
}

/** The paths of the members answered that the SDK did not read (list items share a path). */
function unreadMembers(answered: unknown, read: unknown): string[] {
  const paths = new Set<string>();
  const walk = (a: unknown, r: unknown, at: string): void => {
    if (Array.isArray(a) && Array.isArray(r)) a.forEach((item, i) => walk(item, r[i], `${at}[]`));
    else if (isStructure(a) && isStructure(r)) {
      for (const [k, v] of Object.entries(a)) {
        const path = at ? `${at}.${k}` : k;
        if (r[k] === undefined) paths.add(path);
        else walk(v, r[k], path);
      }
    }
  };
  walk(answered, read, '');
  return [...paths].sort();
}

function isStructure(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

describe('GetExecutionHistory answers only members the SDK reads', () => {
  it('for the events of Pass, Choice, Wait, Parallel, Map, Lambda tasks, a caught failure and Fail', async () => {
    const executionArn = await start('Busy', busy);
    await settled(executionArn);
    const { answered, read, types } = await answeredAndRead(executionArn);
    expect(types).toEqual(expect.arrayContaining(['ParallelStateStarted', 'MapIterationStarted', 'TaskSucceeded', 'LambdaFunctionFailed', 'ExecutionFailed']));
    expect(unreadMembers(answered, read)).toEqual(UNREADABLE_TODAY.busy);
  });

  it('for the events of an execution stopped in a Wait and a callback Task', async () => {
    const executionArn = await start('Held', held);
    await eventually(
      async () => (await answeredAndRead(executionArn)).types,
      (types) => types.includes('WaitStateEntered') && types.includes('TaskStarted'),
    );
    await sfn.send(new StopExecutionCommand({ executionArn }));
    await settled(executionArn);
    const { answered, read, types } = await answeredAndRead(executionArn);
    expect(types).toEqual(expect.arrayContaining(['WaitStateAborted', 'TaskStateAborted', 'ParallelStateAborted', 'ExecutionAborted']));
    expect(unreadMembers(answered, read)).toEqual(UNREADABLE_TODAY.stopped);
  });

  it('sees a member the SDK does not read', () => {
    expect(unreadMembers({ events: [{ id: 1, typo: 2 }, { id: 2 }] }, { events: [{ id: 1 }, { id: 2 }] })).toEqual(['events[].typo']);
  });
});
