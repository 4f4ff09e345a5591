/**
 * SNS deliveries for real: HTTP POST with SNS's envelope and headers (retried as SNS's default
 * HTTP policy does), email over SMTP to a real smtp-server, email-json, a JSON-lines file, and a
 * local function with SNS's event. A failed delivery never fails the publish; it is recorded.
 */
import { createVerify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Json } from '../../../src/lib/json.js';
import type { Store } from '../../../src/engine/store.js';
import { signingKeyPem, snsIntegration, type SnsIntegration, type SnsOptions, type TopicDeclaration } from '../../../src/integrations/sns/index.js';
import { stringToSign } from '../../../src/integrations/sns/envelope.js';
import { frozenScheduler, httpReceiver, instantScheduler, memoryStore, smtpReceiver } from './helpers.js';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:InfraMonitoring-Alerts';
const dir = mkdtempSync(join(tmpdir(), 'stepwise-sns-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let store: Store;
let sns: SnsIntegration | undefined;
const cleanups: (() => Promise<void>)[] = [];
beforeEach(async () => {
  store = await memoryStore();
});
afterEach(async () => {
  await sns?.close();
  sns = undefined;
  for (const c of cleanups.splice(0)) await c();
  await store.close();
});

function integration(topics: TopicDeclaration[], opts: Partial<SnsOptions> = {}): { sns: SnsIntegration; delays: number[] } {
  const { schedule, delays } = instantScheduler();
  sns = snsIntegration({ store, schedule, topics, ...opts });
  return { sns, delays };
}

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 10));
}

const topic = (...subscriptions: TopicDeclaration['subscriptions']): TopicDeclaration[] => [{ name: 'InfraMonitoring-Alerts', displayName: 'InfraMonitoring', subscriptions }];

describe('HTTP/HTTPS subscriptions', () => {
  it("POSTs SNS's JSON envelope with the x-amz-sns-* headers, signed over SNS's canonical string", async () => {
    const rx = await httpReceiver();
    cleanups.push(rx.close);
    const { sns } = integration(topic({ protocol: 'http', endpoint: rx.url }));
    const { messageId } = await sns.publish({
      TopicArn: TOPIC,
      Message: 'CPU at 97%',
      Subject: 'InfraMonitoring alert',
      MessageAttributes: { severity: { DataType: 'String', StringValue: 'high' }, count: { DataType: 'Number', StringValue: '3' } },
    });
    await sns.settled();

    expect(rx.received).toHaveLength(1);
    const req = rx.received[0]!;
    const subArn = req.headers['x-amz-sns-subscription-arn'] as string;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/sns');
    expect(req.headers).toMatchObject({
      'x-amz-sns-message-type': 'Notification',
      'x-amz-sns-message-id': messageId,
      'x-amz-sns-topic-arn': TOPIC,
      'content-type': 'text/plain; charset=UTF-8',
      'user-agent': 'Amazon Simple Notification Service Agent',
    });
    expect(subArn).toMatch(new RegExp(`^${TOPIC}:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`));
    const body = JSON.parse(req.body) as Record<string, Json>;
    expect(Object.keys(body)).toEqual(['Type', 'MessageId', 'TopicArn', 'Subject', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL', 'UnsubscribeURL', 'MessageAttributes']);
    expect(body).toMatchObject({
      Type: 'Notification',
      MessageId: messageId,
      TopicArn: TOPIC,
      Subject: 'InfraMonitoring alert',
      Message: 'CPU at 97%',
      SignatureVersion: '1',
      SigningCertURL: 'http://127.0.0.1:8083/SimpleNotificationService-stepwise.pem',
      UnsubscribeURL: `http://127.0.0.1:8083/?Action=Unsubscribe&SubscriptionArn=${subArn}`,
      MessageAttributes: { severity: { Type: 'String', Value: 'high' }, count: { Type: 'Number', Value: '3' } },
    });
    expect(body['Timestamp']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const signed = stringToSign(body as unknown as Parameters<typeof stringToSign>[0]);
    expect(createVerify('RSA-SHA1').update(signed).verify(signingKeyPem(), body['Signature'] as string, 'base64')).toBe(true);

    const { deliveries } = await sns.listDeliveries();
    expect(deliveries).toEqual([
      expect.objectContaining({ messageId, topicArn: TOPIC, subscriptionArn: subArn, protocol: 'http', endpoint: rx.url, status: 'delivered', attempts: 1, maxAttempts: 4, lastStatusCode: 200 }),
    ]);
  });

  it('raw message delivery POSTs the message alone; a message without Subject has no Subject field', async () => {
    const rx = await httpReceiver();
    cleanups.push(rx.close);
    const { sns } = integration(topic({ protocol: 'http', endpoint: `${rx.url}/raw`, rawMessageDelivery: true }, { protocol: 'http', endpoint: `${rx.url}/envelope` }));
    await sns.publish({ TopicArn: TOPIC, Message: '{"status":"ok"}' });
    await sns.settled();
    const raw = rx.received.find((r) => r.url === '/sns/raw')!;
    const env = rx.received.find((r) => r.url === '/sns/envelope')!;
    expect(raw.body).toBe('{"status":"ok"}');
    expect(raw.headers['x-amz-sns-rawdelivery']).toBe('true');
    expect(JSON.parse(env.body)).not.toHaveProperty('Subject');
    expect(JSON.parse(env.body)).not.toHaveProperty('MessageAttributes');
  });

  it("a receiver that fails twice then succeeds: 3 attempts, 20 s apart (SNS's default HTTP policy), same MessageId each time", async () => {
    const rx = await httpReceiver([500, 503]);
    cleanups.push(rx.close);
    const { sns, delays } = integration(topic({ protocol: 'http', endpoint: rx.url }));
    const { messageId } = await sns.publish({ TopicArn: TOPIC, Message: 'retry me' });
    await sns.settled();
    expect(rx.received.map((r) => r.headers['x-amz-sns-message-id'])).toEqual([messageId, messageId, messageId]);
    expect(delays).toEqual([20_000, 20_000]);
    const [d] = (await sns.listDeliveries({ messageId })).deliveries;
    expect(d).toMatchObject({ status: 'delivered', attempts: 3, maxAttempts: 4, lastError: 'HTTP 503 Service Unavailable', lastStatusCode: 200, delaysMs: [20_000, 20_000] });
    expect(d!.finishedAt).toBeGreaterThanOrEqual(d!.firstAttemptAt!);
  });

  it('a 4xx answer fails the delivery at once (SNS retries only 5xx and 429); the publish still succeeds', async () => {
    const rx = await httpReceiver([404]);
    cleanups.push(rx.close);
    const { sns, delays } = integration(topic({ protocol: 'http', endpoint: rx.url }));
    await expect(sns.publish({ TopicArn: TOPIC, Message: 'x' })).resolves.toHaveProperty('messageId');
    await sns.settled();
    expect(delays).toEqual([]);
    expect((await sns.listDeliveries()).deliveries[0]).toMatchObject({ status: 'failed', attempts: 1, lastStatusCode: 404, lastError: 'HTTP 404 Not Found' });
  });

  it("a subscription's delivery policy bounds the retries; an unreachable endpoint is retried and then recorded as failed", async () => {
    const rx = await httpReceiver();
    await rx.close(); // nothing listens there any more
    const { sns, delays } = integration(topic({ protocol: 'http', endpoint: rx.url, deliveryPolicy: { numRetries: 2, minDelayTarget: 1, maxDelayTarget: 4, backoffFunction: 'linear' } }));
    await sns.publish({ TopicArn: TOPIC, Message: 'x' });
    await sns.settled();
    expect(delays).toEqual([1000, 4000]);
    const [d] = (await sns.listDeliveries({ status: 'failed' })).deliveries;
    expect(d).toMatchObject({ status: 'failed', attempts: 3, maxAttempts: 3 });
    expect(d!.lastError).toMatch(/ECONNREFUSED/);
  });

  it('deliveries left pending by a stopped process are attempted by the next one (they live in the store)', async () => {
    const rx = await httpReceiver([500]);
    cleanups.push(rx.close);
    const first = snsIntegration({ store, schedule: frozenScheduler, topics: topic({ protocol: 'http', endpoint: rx.url }) });
    const { messageId } = await first.publish({ TopicArn: TOPIC, Message: 'survives a restart' });
    // Its first attempt fails; the retry waits on a timer that never fires before the process stops.
    await until(async () => (await first.listDeliveries()).deliveries[0]?.attempts === 1);
    await first.close();
    expect(rx.received).toHaveLength(1);
    expect((await first.listDeliveries()).deliveries[0]).toMatchObject({ status: 'pending', attempts: 1 });

    const { sns: second } = integration(topic({ protocol: 'http', endpoint: rx.url }));
    await second.start();
    await second.settled();
    expect(rx.received.map((r) => r.headers['x-amz-sns-message-id'])).toEqual([messageId, messageId]);
    expect((await second.listDeliveries()).deliveries[0]).toMatchObject({ status: 'delivered', attempts: 2 });
  });
});

describe('email, email-json, file and lambda subscriptions', () => {
  it('email goes through the configured SMTP server: From (with the DisplayName), To, Subject and the message as body', async () => {
    const smtp = await smtpReceiver({ user: 'stepwise', pass: 's3cret' });
    cleanups.push(smtp.close);
    const { sns } = integration(topic({ protocol: 'email', endpoint: 'ops@example.com' }), {
      smtp: { host: '127.0.0.1', port: smtp.port, secure: false, auth: { user: 'stepwise', pass: 's3cret' }, from: 'alerts@stepwise.test' },
    });
    await sns.publish({ TopicArn: TOPIC, Message: 'Pipeline succeeded.\nCPU 12%, memory 40%.', Subject: 'InfraMonitoring: success' });
    await sns.publish({ TopicArn: TOPIC, Message: 'no subject here' });
    await sns.settled();
    expect(smtp.mails).toHaveLength(2);
    const [first, second] = smtp.mails;
    expect(first).toMatchObject({ from: 'alerts@stepwise.test', to: ['ops@example.com'], user: 'stepwise' });
    expect(first!.headers['from']).toBe('InfraMonitoring <alerts@stepwise.test>');
    expect(first!.headers['to']).toBe('ops@example.com');
    expect(first!.headers['subject']).toBe('InfraMonitoring: success');
    expect(first!.body).toBe('Pipeline succeeded.\r\nCPU 12%, memory 40%.');
    expect(second!.headers['subject']).toBe('AWS Notification Message');
    expect((await sns.listDeliveries()).deliveries.map((d) => d.status)).toEqual(['delivered', 'delivered']);
  });

  it('email-json sends the JSON envelope as the body', async () => {
    const smtp = await smtpReceiver();
    cleanups.push(smtp.close);
    const { sns } = integration(topic({ protocol: 'email-json', endpoint: 'robots@example.com' }), { smtp: { host: '127.0.0.1', port: smtp.port, secure: false, from: 'Stepwise <sw@stepwise.test>' } });
    const { messageId } = await sns.publish({ TopicArn: TOPIC, Message: 'hello', Subject: 'Hi' });
    await sns.settled();
    const mail = smtp.mails[0]!;
    expect(mail.headers['from']).toBe('Stepwise <sw@stepwise.test>');
    expect(mail.headers['subject']).toBe('Hi');
    expect(JSON.parse(mail.body.replace(/=\r\n/g, ''))).toMatchObject({ Type: 'Notification', MessageId: messageId, TopicArn: TOPIC, Subject: 'Hi', Message: 'hello' });
  });

  it('an SMTP server that refuses the login fails the delivery without retrying', async () => {
    const smtp = await smtpReceiver({ user: 'stepwise', pass: 'right' });
    cleanups.push(smtp.close);
    const { sns, delays } = integration(topic({ protocol: 'email', endpoint: 'ops@example.com' }), {
      smtp: { host: '127.0.0.1', port: smtp.port, secure: false, auth: { user: 'stepwise', pass: 'wrong' }, from: 'a@stepwise.test' },
    });
    await sns.publish({ TopicArn: TOPIC, Message: 'x' });
    await sns.settled();
    expect(delays).toEqual([]);
    expect((await sns.listDeliveries()).deliveries[0]).toMatchObject({ status: 'failed', attempts: 1, lastError: expect.stringMatching(/EAUTH/) });
  });

  it('file appends one JSON line (the envelope and the subscription) per delivery', async () => {
    const path = join(dir, 'notifications', 'alerts.jsonl');
    const { sns } = integration(topic({ protocol: 'file', endpoint: path }));
    const a = await sns.publish({ TopicArn: TOPIC, Message: 'first', Subject: 'One' });
    const b = await sns.publish({ TopicArn: TOPIC, Message: { summary: 'second' } });
    await sns.settled();
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, Json>);
    expect(lines.map((l) => [l['MessageId'], l['Subject'], l['Message']])).toEqual(
      expect.arrayContaining([
        [a.messageId, 'One', 'first'],
        [b.messageId, undefined, '{"summary":"second"}'],
      ]),
    );
    expect(lines[0]!['SubscriptionArn']).toMatch(new RegExp(`^${TOPIC}:`));
  });

  it("lambda invokes the function with SNS's event: {Records: [{EventSource: 'aws:sns', Sns: {...}}]}", async () => {
    const calls: [string, Json][] = [];
    const { sns } = integration(topic({ protocol: 'lambda', endpoint: 'notifier' }), { invokeFunction: async (arn, event) => void calls.push([arn, event]) });
    const { messageId } = await sns.publish({ TopicArn: TOPIC, Message: 'to a function', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } });
    await sns.settled();
    expect(calls).toHaveLength(1);
    const [arn, event] = calls[0]!;
    expect(arn).toBe('arn:aws:lambda:us-east-1:123456789012:function:notifier');
    expect(event).toEqual({
      Records: [
        {
          EventSource: 'aws:sns',
          EventVersion: '1.0',
          EventSubscriptionArn: expect.stringMatching(new RegExp(`^${TOPIC}:`)),
          Sns: {
            Type: 'Notification',
            MessageId: messageId,
            TopicArn: TOPIC,
            Subject: null,
            Message: 'to a function',
            Timestamp: expect.any(String),
            SignatureVersion: '1',
            Signature: expect.any(String),
            SigningCertUrl: expect.any(String),
            UnsubscribeUrl: expect.any(String),
            MessageAttributes: { k: { Type: 'String', Value: 'v' } },
          },
        },
      ],
    });
  });

  it("a failing function is retried as Lambda retries asynchronous invocations (after 1 and 2 minutes), then recorded", async () => {
    let calls = 0;
    const { sns, delays } = integration(topic({ protocol: 'lambda', endpoint: 'notifier' }), {
      invokeFunction: async () => {
        calls++;
        throw new Error('boom');
      },
    });
    await sns.publish({ TopicArn: TOPIC, Message: 'x' });
    await sns.settled();
    expect(calls).toBe(3);
    expect(delays).toEqual([60_000, 120_000]);
    expect((await sns.listDeliveries()).deliveries[0]).toMatchObject({ status: 'failed', attempts: 3, lastError: 'boom' });
  });

  it('a filter policy on message attributes decides which subscriptions get a message', async () => {
    const high = join(dir, 'high.jsonl');
    const all = join(dir, 'all.jsonl');
    const { sns } = integration(topic({ protocol: 'file', endpoint: high, filterPolicy: { severity: ['high', { prefix: 'crit' }] } }, { protocol: 'file', endpoint: all }));
    await sns.publish({ TopicArn: TOPIC, Message: 'low', MessageAttributes: { severity: { DataType: 'String', StringValue: 'low' } } });
    await sns.publish({ TopicArn: TOPIC, Message: 'critical', MessageAttributes: { severity: { DataType: 'String', StringValue: 'critical' } } });
    await sns.publish({ TopicArn: TOPIC, Message: 'none' });
    await sns.settled();
    const messages = (path: string) => readFileSync(path, 'utf8').trimEnd().split('\n').map((l) => (JSON.parse(l) as { Message: string }).Message).sort();
    expect(messages(high)).toEqual(['critical']);
    expect(messages(all)).toEqual(['critical', 'low', 'none']);
  });
});
