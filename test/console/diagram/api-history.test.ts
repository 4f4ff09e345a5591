/**
 * The CLI colours a diagram from history fetched over the API: the statuses must come out right
 * from the events exactly as @aws-sdk/client-sfn reads GetExecutionHistory from a real server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { LambdaHandler } from '../../../src/integrations/lambda-local.js';
import { renderDiagramSvg, summarizeExecution } from '../../../src/console/diagram/index.js';
import { eventually, ROLE, startHarness, type Harness } from '../../api/harness.js';
import { attr, elements } from './fixtures.js';

const definition = JSON.stringify({
  StartAt: 'Fan',
  States: {
    Fan: {
      Type: 'Parallel',
      Branches: [
        {
          StartAt: 'Flaky',
          States: { Flaky: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:flaky', Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 2 }], End: true } },
        },
        {
          StartAt: 'Each',
          States: {
            Each: {
              Type: 'Map',
              ItemsPath: '$.items',
              ItemProcessor: { StartAt: 'Double', States: { Double: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'double', 'Payload.$': '$' }, End: true } } },
              End: true,
            },
          },
        },
      ],
      ResultPath: null,
      Next: 'Risky',
    },
    Risky: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:boom', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Give up' }], Next: 'Unreached' },
    Unreached: { Type: 'Succeed' },
    'Give up': { Type: 'Fail', Error: 'Gave.Up', Cause: 'on purpose' },
  },
});

let h: Harness;

beforeAll(async () => {
  let flaky = 0;
  h = await startHarness({
    handlers: new Map<string, LambdaHandler>([
      [
        'flaky',
        () => {
          if (flaky++ === 0) throw new Error('first call fails');
          return 'ok';
        },
      ],
      ['double', (n: unknown) => Number(n) * 2],
      [
        'boom',
        () => {
          throw new Error('boom');
        },
      ],
    ]),
  });
});
afterAll(async () => h.stop());

describe('statuses from GetExecutionHistory read by the AWS SDK', () => {
  it('colour retried, caught, failed, nested and unreached states', async () => {
    const sfn = h.client();
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'Colours', definition, roleArn: ROLE }));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ items: [1, 2] }) }));
    await eventually(
      () => sfn.send(new DescribeExecutionCommand({ executionArn })),
      (d) => d.status !== 'RUNNING',
    );
    const { events = [] } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));

    const summary = summarizeExecution(events, definition);
    expect(summary).toMatchObject({ execution: 'FAILED', failedState: 'Give up', error: 'Gave.Up', cause: 'on purpose' });
    expect(summary.states).toEqual({
      Fan: 'succeeded',
      Flaky: 'retried',
      Each: 'succeeded',
      Double: 'succeeded',
      Risky: 'caught',
      Unreached: 'notReached',
      'Give up': 'failed',
    });

    const svg = renderDiagramSvg(definition, { status: summary.states });
    const drawn = Object.fromEntries(elements(svg, 'sw-state').map((e) => [attr(e, 'data-state'), attr(e, 'data-status')]));
    expect(drawn).toEqual(summary.states);
  });
});
