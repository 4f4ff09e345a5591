/** `npm start` keeps reporting: one line for each later execution of the pipeline when it ends, once. */
import { CreateStateMachineCommand, DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StepwiseApiClient } from '../../src/cli/api-client.js';
import { reportClosed } from '../../src/cli/pipeline-run.js';
import { arns, PIPELINE } from '../../src/pipeline/resources.js';
import { eventually, ROLE, startHarness, type Harness } from '../api/harness.js';

const DEFINITION = JSON.stringify({
  StartAt: 'Check',
  States: { Check: { Type: 'Choice', Choices: [{ Variable: '$.ok', BooleanEquals: true, Next: 'Done' }], Default: 'Broken' }, Done: { Type: 'Succeed' }, Broken: { Type: 'Fail', Error: 'Pipeline.NotProcessed', Cause: 'not processed after 4 checks' } },
});

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await h.client().send(new CreateStateMachineCommand({ name: PIPELINE.stateMachine, definition: DEFINITION, roleArn: ROLE }));
});
afterAll(async () => h.stop());

async function run(name: string, ok: boolean): Promise<void> {
  const { executionArn } = await h.client().send(new StartExecutionCommand({ stateMachineArn: arns.stateMachine, name, input: JSON.stringify({ ok }) }));
  await eventually(() => h.client().send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
}

describe('reporting later runs', () => {
  it('prints each ended execution once, with its outcome and error, skipping the first one already shown', async () => {
    const api = new StepwiseApiClient({ endpoint: h.url, region: 'us-east-1', accessKeyId: 'test', secretAccessKey: 'test' });
    await run('first', true);
    const reported = new Set([`arn:aws:states:us-east-1:123456789012:execution:${PIPELINE.stateMachine}:first`]);
    const lines: string[] = [];
    await run('hourly-1', true);
    await run('hourly-2', false);
    await reportClosed(api, reported, (l) => lines.push(l));
    expect(lines).toEqual([
      expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z {2}hourly-1 {2}SUCCEEDED in \d+\.\d s$/),
      expect.stringMatching(/^\d{4}-.*Z {2}hourly-2 {2}FAILED in \d+\.\d s {2}Pipeline\.NotProcessed: not processed after 4 checks$/),
    ]);
    await reportClosed(api, reported, (l) => lines.push(l));
    expect(lines).toHaveLength(2);
  });
});
