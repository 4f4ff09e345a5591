/**
 * SNS's API on the server's `POST /` (the Query protocol @aws-sdk/client-sns speaks), driven by
 * the real SDK: topics and subscriptions made and listed, messages published and delivered for
 * real (a file, a local HTTP receiver), SNS's XML answers and errors, and the Step Functions API
 * answering beside it. Also Stepwise.ListDeliveries, and a local Lambda function that publishes
 * with the SNS SDK unchanged (AWS_ENDPOINT_URL_SNS).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateTopicCommand,
  DeleteTopicCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListSubscriptionsCommand,
  ListTopicsCommand,
  PublishCommand,
  SNSClient,
  SubscribeCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import { CreateStateMachineCommand, DescribeExecutionCommand, ListStateMachinesCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../../src/api/sigv4.js';
import { httpReceiver } from '../integrations/sns/helpers.js';
import { errorOf, eventually, ROLE, signedPost, startHarness, type Harness } from './harness.js';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:';
const KEYS = { accessKeyId: 'test', secretAccessKey: 'test' };

let h: Harness;
let sns: SNSClient;
let dir: string;
let fnDir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'stepwise-sns-api-'));
  // The function's module lives under the repository so that it resolves @aws-sdk/client-sns from node_modules.
  mkdirSync(resolve('test-artifacts'), { recursive: true });
  fnDir = mkdtempSync(join(resolve('test-artifacts'), 'sns-fn-'));
  writeFileSync(
    join(fnDir, 'index.mjs'),
    `import { SNSClient, PublishCommand } from '@aws-sdk/client-sns';
const sns = new SNSClient({});
export const handler = async (event) => {
  const { MessageId } = await sns.send(new PublishCommand({ TopicArn: event.topicArn, Message: event.text, Subject: 'from a function' }));
  return { MessageId };
};
`,
  );
  h = await startHarness({
    args: {
      topics: [{ name: 'Alerts', subscriptions: [{ protocol: 'file', endpoint: join(dir, 'alerts.jsonl') }] }],
      functions: [{ name: 'notifier', module: join(fnDir, 'index.mjs'), timeout: 30, memorySize: 512 }],
    },
  });
  sns = new SNSClient({ endpoint: h.url, region: 'us-east-1', credentials: KEYS, maxAttempts: 1 });
});

afterAll(async () => {
  sns.destroy();
  await h.stop();
  rmSync(dir, { recursive: true, force: true });
  rmSync(fnDir, { recursive: true, force: true });
});

function lines(file: string): Record<string, unknown>[] {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  } catch {
    return [];
  }
}

/** A Query API request signed as the SDK signs it (service `sns`), answered as text. */
async function queryPost(body: string, credentials = KEYS): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  const u = new URL(h.url);
  const headers: Record<string, string> = { host: u.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
  const signer = new SignatureV4({ service: 'sns', region: 'us-east-1', credentials, sha256: NodeSha256 });
  const signed = await signer.sign({ method: 'POST', protocol: 'http:', hostname: u.host, path: '/', query: {}, headers, body });
  return new Promise((done, fail) => {
    const req = httpRequest({ host: u.hostname, port: u.port, path: '/', method: 'POST', headers: { ...signed.headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', fail);
    req.end(body);
  });
}

describe('the SNS API through @aws-sdk/client-sns', () => {
  it('publishes to a configured topic: the file subscription receives the envelope with subject and attributes', async () => {
    const r = await sns.send(
      new PublishCommand({ TopicArn: `${TOPIC}Alerts`, Message: 'disk full', Subject: 'Alarm', MessageAttributes: { severity: { DataType: 'String', StringValue: 'high' }, count: { DataType: 'Number', StringValue: '3' } } }),
    );
    expect(r.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    const [delivered] = await eventually(async () => lines(join(dir, 'alerts.jsonl')).filter((l) => l['MessageId'] === r.MessageId), (l) => l.length === 1);
    expect(delivered).toMatchObject({
      Type: 'Notification',
      TopicArn: `${TOPIC}Alerts`,
      Subject: 'Alarm',
      Message: 'disk full',
      MessageAttributes: { severity: { Type: 'String', Value: 'high' }, count: { Type: 'Number', Value: '3' } },
    });
  });

  it('publishes with MessageStructure json: each protocol gets its own message, the others the default', async () => {
    const message = JSON.stringify({ default: 'for everyone', email: 'for mail only' });
    const { MessageId } = await sns.send(new PublishCommand({ TopicArn: `${TOPIC}Alerts`, Message: message, MessageStructure: 'json' }));
    const [delivered] = await eventually(async () => lines(join(dir, 'alerts.jsonl')).filter((l) => l['MessageId'] === MessageId), (l) => l.length === 1);
    expect(delivered?.['Message']).toBe('for everyone');
    expect(await errorOf(sns.send(new PublishCommand({ TopicArn: `${TOPIC}Alerts`, Message: '{"email":"x"}', MessageStructure: 'json' })))).toMatchObject({
      name: 'InvalidParameterException',
      message: 'Invalid parameter: Message Structure - No default entry in JSON message body',
    });
  });

  it('creates topics idempotently, lists them, reads their attributes and deletes them', async () => {
    const a = await sns.send(new CreateTopicCommand({ Name: 'Orders', Attributes: { DisplayName: 'Order desk' } }));
    expect(a.TopicArn).toBe(`${TOPIC}Orders`);
    expect((await sns.send(new CreateTopicCommand({ Name: 'Orders', Attributes: { DisplayName: 'Order desk' } }))).TopicArn).toBe(a.TopicArn);
    const listed = await sns.send(new ListTopicsCommand({}));
    expect(listed.Topics?.map((t) => t.TopicArn)).toEqual(expect.arrayContaining([`${TOPIC}Alerts`, `${TOPIC}Orders`]));
    expect(listed.NextToken).toBeUndefined();

    const attrs = await sns.send(new GetTopicAttributesCommand({ TopicArn: a.TopicArn }));
    expect(attrs.Attributes).toMatchObject({ TopicArn: a.TopicArn, Owner: '123456789012', DisplayName: 'Order desk', SubscriptionsConfirmed: '0', SubscriptionsPending: '0' });
    expect(JSON.parse(attrs.Attributes?.['Policy'] as string)).toMatchObject({ Statement: [{ Effect: 'Allow', Resource: a.TopicArn }] });
    expect((await sns.send(new GetTopicAttributesCommand({ TopicArn: `${TOPIC}Alerts` }))).Attributes).toMatchObject({ SubscriptionsConfirmed: '1', DisplayName: '' });

    await sns.send(new DeleteTopicCommand({ TopicArn: a.TopicArn }));
    expect(await errorOf(sns.send(new GetTopicAttributesCommand({ TopicArn: a.TopicArn })))).toMatchObject({ name: 'NotFoundException', message: 'Topic does not exist', status: 404 });
    // Deleting a topic that does not exist succeeds, as on SNS.
    await sns.send(new DeleteTopicCommand({ TopicArn: a.TopicArn }));
  });

  it('pages ListTopics by 100 with NextToken', async () => {
    for (let i = 0; i < 105; i++) await sns.send(new CreateTopicCommand({ Name: `page-${String(i).padStart(3, '0')}` }));
    const first = await sns.send(new ListTopicsCommand({}));
    expect(first.Topics).toHaveLength(100);
    expect(first.NextToken).toBeTruthy();
    const second = await sns.send(new ListTopicsCommand({ NextToken: first.NextToken }));
    expect(second.NextToken).toBeUndefined();
    const all = [...(first.Topics ?? []), ...(second.Topics ?? [])].map((t) => t.TopicArn);
    expect(new Set(all).size).toBe(all.length);
    expect(all.filter((a) => a?.includes(':page-'))).toHaveLength(105);
    for (let i = 0; i < 105; i++) await sns.send(new DeleteTopicCommand({ TopicArn: `${TOPIC}page-${String(i).padStart(3, '0')}` }));
  });

  it('subscribes a local HTTP endpoint, delivers to it, lists the subscription and unsubscribes it', async () => {
    const receiver = await httpReceiver();
    try {
      const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'Webhooks' }));
      const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: receiver.url, ReturnSubscriptionArn: true }));
      expect(SubscriptionArn).toMatch(new RegExp(`^${TopicArn}:[0-9a-f-]{36}$`));

      const byTopic = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
      expect(byTopic.Subscriptions).toEqual([{ SubscriptionArn, Owner: '123456789012', Protocol: 'http', Endpoint: receiver.url, TopicArn }]);
      const all = await sns.send(new ListSubscriptionsCommand({}));
      expect(all.Subscriptions?.map((s) => s.TopicArn)).toEqual(expect.arrayContaining([`${TOPIC}Alerts`, TopicArn]));

      const { MessageId } = await sns.send(new PublishCommand({ TopicArn, Message: '{"order":7}' }));
      const [post] = await eventually(async () => receiver.received, (r) => r.length === 1);
      expect(post?.headers).toMatchObject({ 'x-amz-sns-message-type': 'Notification', 'x-amz-sns-message-id': MessageId, 'x-amz-sns-subscription-arn': SubscriptionArn });
      expect(JSON.parse(post?.body ?? '')).toMatchObject({ Type: 'Notification', MessageId, TopicArn, Message: '{"order":7}' });

      await sns.send(new UnsubscribeCommand({ SubscriptionArn }));
      expect((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions).toEqual([]);
      expect(await errorOf(sns.send(new UnsubscribeCommand({ SubscriptionArn })))).toMatchObject({ name: 'NotFoundException', message: 'Subscription does not exist', status: 404 });
    } finally {
      await receiver.close();
    }
  });

  it('publishes to a FIFO topic with a group and a deduplication id: a sequence number, and a duplicate answered with the first id', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'Ledger.fifo', Attributes: { FifoTopic: 'true' } }));
    const first = await sns.send(new PublishCommand({ TopicArn, Message: 'credit', MessageGroupId: 'acct-1', MessageDeduplicationId: 'tx-1' }));
    expect(first.SequenceNumber).toMatch(/^\d{20}$/);
    const again = await sns.send(new PublishCommand({ TopicArn, Message: 'credit', MessageGroupId: 'acct-1', MessageDeduplicationId: 'tx-1' }));
    expect(again).toMatchObject({ MessageId: first.MessageId, SequenceNumber: first.SequenceNumber });
    expect(await errorOf(sns.send(new PublishCommand({ TopicArn, Message: 'debit', MessageDeduplicationId: 'tx-2' })))).toMatchObject({
      name: 'InvalidParameterException',
      message: 'Invalid parameter: The MessageGroupId parameter is required for FIFO topics',
      status: 400,
    });
  });

  it("answers SNS's errors: NotFound for a missing topic, InvalidParameter for bad names, protocols and parameters", async () => {
    expect(await errorOf(sns.send(new PublishCommand({ TopicArn: `${TOPIC}Missing`, Message: 'x' })))).toEqual({ name: 'NotFoundException', message: 'Topic does not exist', status: 404 });
    expect(await errorOf(sns.send(new CreateTopicCommand({ Name: 'bad name!' })))).toEqual({ name: 'InvalidParameterException', message: 'Invalid parameter: Topic Name', status: 400 });
    expect(await errorOf(sns.send(new SubscribeCommand({ TopicArn: `${TOPIC}Alerts`, Protocol: 'carrier-pigeon', Endpoint: 'coop' })))).toEqual({
      name: 'InvalidParameterException',
      message: 'Invalid parameter: Amazon SNS does not support this protocol string: carrier-pigeon',
      status: 400,
    });
    expect(await errorOf(sns.send(new PublishCommand({ TopicArn: `${TOPIC}Alerts`, Message: '' })))).toMatchObject({ name: 'InvalidParameterException', message: 'Invalid parameter: Empty message' });
    expect(await errorOf(sns.send(new PublishCommand({ Message: 'x' })))).toMatchObject({ name: 'InvalidParameterException', message: 'Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter' });
    // Tags are not kept by Stepwise: refused, never silently dropped.
    expect(await errorOf(sns.send(new CreateTopicCommand({ Name: 'Tagged', Tags: [{ Key: 'team', Value: 'ops' }] })))).toMatchObject({ name: 'InvalidParameterException', status: 400 });
    const bad = await errorOf(new SNSClient({ endpoint: h.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'wrong' }, maxAttempts: 1 }).send(new ListTopicsCommand({})));
    expect(bad).toMatchObject({ name: 'SignatureDoesNotMatch', status: 403 });
  });

  it("writes SNS's XML: the Publish response and an ErrorResponse with its Type, Code, Message and RequestId", async () => {
    const ok = await queryPost(`Action=Publish&Version=2010-03-31&TopicArn=${encodeURIComponent(`${TOPIC}Alerts`)}&Message=hello`);
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toBe('text/xml');
    const requestId = ok.headers['x-amzn-requestid'] as string;
    expect(ok.text).toMatch(
      new RegExp(
        `^<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">\\s*<PublishResult>\\s*<MessageId>[0-9a-f-]{36}</MessageId>\\s*</PublishResult>\\s*<ResponseMetadata>\\s*<RequestId>${requestId}</RequestId>\\s*</ResponseMetadata>\\s*</PublishResponse>\\s*$`,
      ),
    );

    const missing = await queryPost(`Action=Publish&Version=2010-03-31&TopicArn=${encodeURIComponent(`${TOPIC}Missing`)}&Message=hello`);
    expect(missing.status).toBe(404);
    expect(missing.text.replace(/>\s+</g, '><')).toBe(
      `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>NotFound</Code><Message>Topic does not exist</Message></Error><RequestId>${String(missing.headers['x-amzn-requestid'])}</RequestId></ErrorResponse>\n`,
    );

    const unknown = await queryPost('Action=PublishBatch&Version=2010-03-31');
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('<Code>InvalidAction</Code>');
    const unsigned = await queryPost('Action=ListTopics&Version=2010-03-31', { accessKeyId: 'nobody', secretAccessKey: 'x' });
    expect(unsigned.status).toBe(403);
    expect(unsigned.text).toContain('<Code>InvalidClientTokenId</Code>');
  });

  it('keeps the Step Functions API answering beside it on the same POST /', async () => {
    const sfn = h.client();
    const r = await sfn.send(new ListStateMachinesCommand({}));
    expect(r.stateMachines).toBeDefined();
    const noTarget = await signedPost(h.url, { body: '{}' });
    expect(noTarget.body).toMatchObject({ __type: 'com.amazonaws.sfn#UnknownOperationException' });
  });

  it('lists delivery records through Stepwise.ListDeliveries, SigV4-signed like the rest of the API', async () => {
    const { MessageId } = await sns.send(new PublishCommand({ TopicArn: `${TOPIC}Alerts`, Message: 'tracked' }));
    const page = await eventually(
      () => signedPost(h.url, { target: 'Stepwise.ListDeliveries', body: JSON.stringify({ topicArn: `${TOPIC}Alerts`, status: 'delivered' }) }),
      (r) => (r.body['deliveries'] as { messageId: string }[]).some((d) => d.messageId === MessageId),
    );
    expect(page.status).toBe(200);
    expect((page.body['deliveries'] as Record<string, unknown>[]).find((d) => d['messageId'] === MessageId)).toMatchObject({ topicArn: `${TOPIC}Alerts`, protocol: 'file', status: 'delivered', attempts: 1 });
    const bad = await signedPost(h.url, { target: 'Stepwise.ListDeliveries', body: JSON.stringify({ status: 'lost' }) });
    expect([bad.status, bad.body['__type']]).toEqual([400, 'com.amazonaws.sfn#ValidationException']);
    const unsigned = await signedPost(h.url, { target: 'Stepwise.ListDeliveries', body: '{}', sign: false });
    expect([unsigned.status, unsigned.body['__type']]).toEqual([403, 'com.amazonaws.sfn#MissingAuthenticationTokenException']);
  });

  it('lets a local Lambda function publish with the SNS SDK unchanged (AWS_ENDPOINT_URL_SNS)', async () => {
    const sfn = h.client();
    const definition = { StartAt: 'Notify', States: { Notify: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:notifier', End: true } } };
    const m = await sfn.send(new CreateStateMachineCommand({ name: 'NotifyFromFunction', roleArn: ROLE, definition: JSON.stringify(definition) }));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: m.stateMachineArn, input: JSON.stringify({ topicArn: `${TOPIC}Alerts`, text: 'hello from a handler' }) }));
    const done = await eventually(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING', 30_000);
    expect([done.status, done.error, done.cause]).toEqual(['SUCCEEDED', undefined, undefined]);
    const { MessageId } = JSON.parse(done.output as string) as { MessageId: string };
    const [delivered] = await eventually(async () => lines(join(dir, 'alerts.jsonl')).filter((l) => l['MessageId'] === MessageId), (l) => l.length === 1);
    expect(delivered).toMatchObject({ Subject: 'from a function', Message: 'hello from a handler' });
  }, 40_000);
});
