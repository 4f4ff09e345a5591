/** GET /metrics: Prometheus text with executions started and closed, transitions and durations. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateStateMachineCommand, DescribeExecutionCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { eventually, ROLE, startHarness, type Harness } from './harness.js';

let h: Harness;
let sfn: SFNClient;
beforeAll(async () => {
  h = await startHarness();
  sfn = h.client();
});
afterAll(async () => h.stop());

const threePasses = JSON.stringify({
  StartAt: 'A',
  States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'C' }, C: { Type: 'Pass', End: true } },
});

describe('GET /metrics', () => {
  it('counts started and closed executions per state machine and status, and the states they entered', async () => {
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'Metered', definition: threePasses, roleArn: ROLE }));
    for (const name of ['m1', 'm2']) {
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name }));
      await eventually(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status === 'SUCCEEDED');
    }
    const res = await fetch(`${h.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain('stepwise_executions_started_total{state_machine="Metered",type="STANDARD"} 2');
    expect(text).toContain('stepwise_executions_closed_total{state_machine="Metered",status="SUCCEEDED"} 2');
    expect(text).toContain('stepwise_state_transitions_total{state_machine="Metered"} 6');
    expect(text).toContain('stepwise_execution_duration_seconds_count{state_machine="Metered"} 2');
    expect(text).toMatch(/stepwise_store_operation_seconds_count\{operation="commitSteps"\} [1-9]/);
    expect(text).toContain('# TYPE stepwise_execution_duration_seconds histogram');
  });
});

describe('GET /metrics with --require-auth', () => {
  it('needs a configured key pair as HTTP Basic credentials; /health stays open', async () => {
    const key = { accessKeyId: 'scraper', secretAccessKey: 'scrape-secret' };
    const strict = await startHarness({ args: { requireAuth: true, credentials: [key] } });
    try {
      const basic = (id: string, secret: string) => ({ authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` });
      const none = await fetch(`${strict.url}/metrics`);
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toContain('Basic');
      expect((await fetch(`${strict.url}/metrics`, { headers: basic('scraper', 'wrong') })).status).toBe(401);
      expect((await fetch(`${strict.url}/metrics`, { headers: basic('test', 'test') })).status).toBe(401);
      const ok = await fetch(`${strict.url}/metrics`, { headers: basic('scraper', 'scrape-secret') });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('# TYPE stepwise_execution_duration_seconds histogram');
      expect((await fetch(`${strict.url}/health`)).status).toBe(200);
    } finally {
      await strict.stop();
    }
  });
});
