/** `stepwise topics …` talks to a running server's SNS API: tables for people, --json for scripts, SNS's errors as messages. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { eventually, startHarness, type Harness } from '../api/harness.js';

let h: Harness;
const dir = mkdtempSync(join(tmpdir(), 'stepwise-topics-cli-'));
beforeAll(async () => {
  h = await startHarness({
    args: {
      topics: [
        { name: 'Alerts', subscriptions: [{ protocol: 'file', endpoint: join(dir, 'alerts.jsonl') }] },
        // Nothing listens on port 9: each attempt fails at once, so the delivery is recorded as failed.
        { name: 'Broken', subscriptions: [{ protocol: 'http', endpoint: 'http://127.0.0.1:9/hook', deliveryPolicy: { numRetries: 0 } }] },
      ],
    },
  });
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

describe('stepwise topics', () => {
  it('lists topics with their number of subscriptions, and their subscriptions', async () => {
    const r = await cli('topics', 'list');
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/^name\s+subscriptions\s+topicArn$/);
    expect(r.out.slice(1)).toEqual([
      expect.stringMatching(/^Alerts\s+1\s+arn:aws:sns:us-east-1:123456789012:Alerts$/),
      expect.stringMatching(/^Broken\s+1\s+arn:aws:sns:us-east-1:123456789012:Broken$/),
    ]);
    expect(JSON.parse((await cli('topics', 'list', '--json')).out[0] as string)).toEqual({
      topics: [
        { name: 'Alerts', subscriptions: 1, topicArn: 'arn:aws:sns:us-east-1:123456789012:Alerts' },
        { name: 'Broken', subscriptions: 1, topicArn: 'arn:aws:sns:us-east-1:123456789012:Broken' },
      ],
    });
    const subs = await cli('topics', 'subscriptions', 'Alerts');
    expect(subs.out[0]).toMatch(/^topic\s+protocol\s+endpoint\s+subscriptionArn$/);
    expect(subs.out.slice(1)).toEqual([expect.stringMatching(new RegExp(`^Alerts\\s+file\\s+${join(dir, 'alerts.jsonl')}\\s+arn:aws:sns:us-east-1:123456789012:Alerts:`))]);
  });

  it('publishes by topic name and shows the deliveries, delivered and failed, filtered by topic and status', async () => {
    const published = await cli('topics', 'publish', 'Alerts', 'disk full', '--subject', 'Alarm', '--json');
    expect(published.code).toBe(0);
    const { MessageId } = JSON.parse(published.out[0] as string) as { MessageId: string };
    expect(MessageId).toMatch(/^[0-9a-f-]{36}$/);
    const plain = await cli('topics', 'publish', 'arn:aws:sns:us-east-1:123456789012:Broken', 'nobody hears this');
    expect(plain.out[0]).toMatch(/^published [0-9a-f-]{36}$/);

    const delivered = await eventually(() => cli('topics', 'deliveries', '--topic', 'Alerts', '--status', 'delivered', '--json'), (r) => r.out[0]?.includes(MessageId) === true);
    expect((JSON.parse(delivered.out[0] as string) as { deliveries: unknown[] }).deliveries).toEqual([expect.objectContaining({ messageId: MessageId, status: 'delivered', protocol: 'file', attempts: 1 })]);

    const failed = await eventually(() => cli('topics', 'deliveries', '--status', 'failed'), (r) => r.out.length === 2);
    expect(failed.out[0]).toMatch(/^publishedAt\s+status\s+attempts\s+topic\s+protocol\s+endpoint\s+messageId\s+lastError$/);
    expect(failed.out[1]).toMatch(/^\d{4}-\d\d-\d\dT\S+Z\s+failed\s+1\/1\s+Broken\s+http\s+http:\/\/127\.0\.0\.1:9\/hook\s+[0-9a-f-]{36}\s+\S/);
  });

  it("prints SNS's error and exits 1 for a topic that does not exist; exits 2 on a usage error", async () => {
    const missing = await cli('topics', 'publish', 'Nowhere', 'hello');
    expect(missing.code).toBe(1);
    expect(missing.err[0]).toBe('stepwise: NotFound: Topic does not exist');
    const usage = await cli('topics', 'deliveries', '--status', 'lost');
    expect(usage.code).toBe(2);
    expect(usage.err[0]).toBe('stepwise: --status must be one of pending, delivered, failed');
  });
});
