/**
 * The AWS CLI drives SNS on Stepwise unchanged with --endpoint-url (the Query protocol, XML
 * answers): create-topic, subscribe, publish with attributes, list-topics,
 * list-subscriptions-by-topic, and SNS's error for a missing topic. Skipped with a message when
 * `aws` is not on PATH.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startHarness, type Harness } from './harness.js';

const run = promisify(execFile);
const hasCli = await run('aws', ['--version']).then(
  () => true,
  () => false,
);
if (!hasCli) console.warn('AWS CLI SNS test SKIPPED: `aws` is not on PATH');

describe.skipIf(!hasCli)('the AWS CLI against SNS on stepwise serve', () => {
  let h: Harness;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stepwise-sns-cli-'));
    h = await startHarness();
  });
  afterAll(async () => {
    await h.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const env = { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' };
  const aws = async (...args: string[]): Promise<Record<string, unknown>> => {
    const { stdout } = await run('aws', ['sns', ...args, '--endpoint-url', h.url, '--output', 'json'], { env });
    return stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {};
  };

  it('creates a topic, subscribes a file, publishes, and lists topics and subscriptions', async () => {
    const { TopicArn } = (await aws('create-topic', '--name', 'FromCli')) as { TopicArn: string };
    expect(TopicArn).toBe('arn:aws:sns:us-east-1:123456789012:FromCli');
    const file = join(dir, 'cli.jsonl');
    const { SubscriptionArn } = (await aws('subscribe', '--topic-arn', TopicArn, '--protocol', 'file', '--notification-endpoint', file, '--return-subscription-arn')) as { SubscriptionArn: string };
    expect(SubscriptionArn.startsWith(`${TopicArn}:`)).toBe(true);
    const { MessageId } = (await aws('publish', '--topic-arn', TopicArn, '--message', 'hello from the cli', '--subject', 'CLI', '--message-attributes', '{"source":{"DataType":"String","StringValue":"aws"}}')) as { MessageId: string };
    const delivered = await eventually(
      async () => {
        try {
          return readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
        } catch {
          return [];
        }
      },
      (l) => l.length === 1,
    );
    expect(delivered[0]).toMatchObject({ MessageId, Subject: 'CLI', Message: 'hello from the cli', MessageAttributes: { source: { Type: 'String', Value: 'aws' } } });
    expect(await aws('list-topics')).toEqual({ Topics: [{ TopicArn }] });
    expect(await aws('list-subscriptions-by-topic', '--topic-arn', TopicArn)).toEqual({ Subscriptions: [{ SubscriptionArn, Owner: '123456789012', Protocol: 'file', Endpoint: file, TopicArn }] });
  }, 60_000);

  it("prints SNS's error for a topic that does not exist", async () => {
    const failed = await aws('publish', '--topic-arn', 'arn:aws:sns:us-east-1:123456789012:Nowhere', '--message', 'x').then(
      () => undefined,
      (e: { stderr: string; code: number }) => e,
    );
    expect(failed?.code).toBeGreaterThan(0); // 255 (CLI v1) or 254 (v2)
    expect(failed?.stderr).toContain('An error occurred (NotFound) when calling the Publish operation: Topic does not exist');
  }, 60_000);
});
