/**
 * sns:publish from a Task state: the optimised integration's result and errors as AWS records
 * them (conformance cases with needs `sns`), the aws-sdk:sns forms, FIFO topics, and topics
 * declared by stepwise.yaml.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { runLocal } from '../../../src/engine/local-run.js';
import type { Store } from '../../../src/engine/store.js';
import type { TaskRequest } from '../../../src/engine/types.js';
import type { Json } from '../../../src/lib/json.js';
import { snsIntegration, type SnsIntegration, type TopicDeclaration } from '../../../src/integrations/sns/index.js';
import { instantScheduler, memoryStore } from './helpers.js';

const ALERTS = 'arn:aws:sns:us-east-1:123456789012:InfraMonitoring-Alerts';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const REQUEST_ID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const dir = mkdtempSync(join(tmpdir(), 'stepwise-sns-task-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let store: Store;
let sns: SnsIntegration;
const notifications = join(dir, 'notifications.jsonl');
beforeEach(async () => {
  store = await memoryStore();
  const topics: TopicDeclaration[] = [
    { name: 'InfraMonitoring-Alerts', subscriptions: [{ protocol: 'file', endpoint: notifications }] },
    { name: 'Orders.fifo', subscriptions: [] },
    { name: 'Dedup.fifo', contentBasedDeduplication: true, subscriptions: [] },
  ];
  sns = snsIntegration({ store, schedule: instantScheduler().schedule, topics });
});
afterEach(async () => {
  await sns.close();
  await store.close();
});

const task = (resource: string, input: Json): TaskRequest => ({ frameId: 0, token: 0, stateName: 'Publish', resource, input, timeoutSeconds: undefined, heartbeatSeconds: undefined, taskToken: undefined, credentials: undefined });
const publishMachine = (parameters: Record<string, Json>) => ({
  StartAt: 'NotifySuccess',
  States: { NotifySuccess: { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', Parameters: parameters, End: true } },
});

describe('arn:aws:states:::sns:publish in a Task state', () => {
  it('publishes Message.$ with Subject and answers {MessageId, SdkHttpMetadata, SdkResponseMetadata}; the subscriber gets it', async () => {
    const def = publishMachine({ TopicArn: ALERTS, 'Message.$': '$.summary', Subject: 'InfraMonitoring: pipeline succeeded' });
    const r = await runLocal(def, { summary: { cpu: 12.5, breached: [] } }, { invoker: sns });
    expect(r.status).toBe('SUCCEEDED');
    const out = JSON.parse(r.output!) as Record<string, Json>;
    expect(Object.keys(out)).toEqual(['MessageId', 'SdkHttpMetadata', 'SdkResponseMetadata']);
    expect(out['MessageId']).toMatch(UUID);
    const requestId = (out['SdkResponseMetadata'] as { RequestId: string }).RequestId;
    expect(out['SdkHttpMetadata']).toEqual({
      AllHttpHeaders: { 'x-amzn-RequestId': [requestId], connection: ['keep-alive'], 'Content-Length': ['294'], Date: [expect.stringMatching(/ GMT$/)], 'Content-Type': ['text/xml'] },
      HttpHeaders: { connection: 'keep-alive', 'Content-Length': '294', 'Content-Type': 'text/xml', Date: expect.stringMatching(/ GMT$/), 'x-amzn-RequestId': requestId },
      HttpStatusCode: 200,
    });
    await sns.settled();
    const line = JSON.parse(readFileSync(notifications, 'utf8').trim()) as Record<string, Json>;
    expect(line).toMatchObject({ MessageId: out['MessageId'], Subject: 'InfraMonitoring: pipeline succeeded', Message: '{"cpu":12.5,"breached":[]}', TopicArn: ALERTS });
  });

  it('a topic that does not exist fails the task with SNS.NotFoundException and the cause AWS gives', async () => {
    const def = publishMachine({ 'TopicArn.$': '$.TopicArn', 'Message.$': '$.Message' });
    const r = await runLocal(def, { TopicArn: 'arn:aws:sns:us-east-1:123456789012:Deleted', Message: { Message: 'HelloWorld!' } }, { invoker: sns });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('SNS.NotFoundException');
    expect(r.cause).toMatch(new RegExp(`^Topic does not exist \\(Service: AmazonSNS; Status Code: 404; Error Code: NotFound; Request ID: ${REQUEST_ID}; Proxy: null\\)$`));
  });

  it('a FIFO topic needs MessageGroupId, answers a SequenceNumber (Content-Length 352) and drops a duplicate within five minutes', async () => {
    const orders = 'arn:aws:sns:us-east-1:123456789012:Orders.fifo';
    const res = 'arn:aws:states:::sns:publish';
    const first = (await sns.invoke(task(res, { TopicArn: orders, Message: { Message: 'HelloWorld!' }, MessageGroupId: 'a-group', MessageDeduplicationId: 'dedup-1' }))) as Record<string, Json>;
    expect(Object.keys(first)).toEqual(['MessageId', 'SdkHttpMetadata', 'SdkResponseMetadata', 'SequenceNumber']);
    expect(first['SequenceNumber']).toMatch(/^\d{20}$/);
    expect((first['SdkHttpMetadata'] as { HttpHeaders: Record<string, string> }).HttpHeaders['Content-Length']).toBe('352');
    const again = (await sns.invoke(task(res, { TopicArn: orders, Message: 'other text', MessageGroupId: 'a-group', MessageDeduplicationId: 'dedup-1' }))) as Record<string, Json>;
    expect([again['MessageId'], again['SequenceNumber']]).toEqual([first['MessageId'], first['SequenceNumber']]);
    const next = (await sns.invoke(task(res, { TopicArn: orders, Message: 'm', MessageGroupId: 'a-group', MessageDeduplicationId: 'dedup-2' }))) as Record<string, Json>;
    expect(BigInt(next['SequenceNumber'] as string)).toBeGreaterThan(BigInt(first['SequenceNumber'] as string));

    await expect(sns.invoke(task(res, { TopicArn: orders, Message: 'm' }))).rejects.toMatchObject({
      name: 'SNS.InvalidParameterException',
      cause: expect.stringMatching(/^Invalid parameter: The MessageGroupId parameter is required for FIFO topics \(Service: AmazonSNS; Status Code: 400; Error Code: InvalidParameter;/),
    });
    await expect(sns.invoke(task(res, { TopicArn: orders, Message: 'm', MessageGroupId: 'g' }))).rejects.toMatchObject({
      cause: expect.stringMatching(/^Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly/),
    });
    const dedup = 'arn:aws:sns:us-east-1:123456789012:Dedup.fifo';
    const c1 = (await sns.invoke(task(res, { TopicArn: dedup, Message: 'same body', MessageGroupId: 'g' }))) as Record<string, Json>;
    const c2 = (await sns.invoke(task(res, { TopicArn: dedup, Message: 'same body', MessageGroupId: 'g' }))) as Record<string, Json>;
    expect(c2['MessageId']).toBe(c1['MessageId']);
  });

  it('refuses SMS, and parameters SNS refuses, with SNS error names', async () => {
    const res = 'arn:aws:states:::sns:publish';
    await expect(sns.invoke(task(res, { PhoneNumber: '+15555550100', Message: 'hi' }))).rejects.toMatchObject({
      name: 'SNS.InvalidParameterException',
      cause: expect.stringMatching(/^Invalid parameter: PhoneNumber Reason: Stepwise does not send SMS text messages/),
    });
    await expect(sns.invoke(task(res, { Message: 'hi' }))).rejects.toMatchObject({ cause: expect.stringMatching(/^Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter/) });
    await expect(sns.invoke(task(res, { TopicArn: ALERTS }))).rejects.toMatchObject({ name: 'SNS.AmazonSNSException', cause: expect.stringMatching(/^1 validation error detected: Value null at 'message'/) });
    await expect(sns.invoke(task(res, { TopicArn: 'not-an-arn', Message: 'hi' }))).rejects.toMatchObject({ cause: expect.stringMatching(/^Invalid parameter: TopicArn \(Service/) });
    await expect(sns.invoke(task(res, { TopicArn: ALERTS, Message: 'hi', Subject: 'two\nlines' }))).rejects.toMatchObject({ cause: expect.stringMatching(/^Invalid parameter: Subject \(/) });
    await expect(sns.invoke(task(res, { TopicArn: ALERTS, Message: 'hi', MessageAttributes: { n: { DataType: 'Number', StringValue: 'abc' } } }))).rejects.toMatchObject({
      name: 'SNS.InvalidParameterValueException',
      cause: expect.stringMatching(/^Could not cast message attribute 'n' value to number\. \(Service: AmazonSNS; Status Code: 400; Error Code: ParameterValueInvalid;/),
    });
    // TargetArn naming a topic publishes to it, as TopicArn does.
    await expect(sns.invoke(task(res, { TargetArn: ALERTS, Message: 'via TargetArn' }))).resolves.toHaveProperty('MessageId');
  });

  it('MessageStructure json gives each protocol its own message', async () => {
    await sns.invoke(task('arn:aws:states:::sns:publish', { TopicArn: ALERTS, MessageStructure: 'json', Message: JSON.stringify({ default: 'plain', file: 'for the file' }) }));
    await sns.settled();
    expect(readFileSync(notifications, 'utf8')).toContain('"Message":"for the file"');
  });
});

describe('arn:aws:states:::aws-sdk:sns:*', () => {
  const sdk = (action: string) => `arn:aws:states:::aws-sdk:sns:${action}`;

  it('createTopic, subscribe, listTopics, publish (bare {MessageId}) and deleteTopic', async () => {
    const path = join(dir, 'sdk.jsonl');
    const { TopicArn } = (await sns.invoke(task(sdk('createTopic'), { Name: 'Made-By-Sdk', Attributes: { DisplayName: 'Sdk' } }))) as { TopicArn: string };
    expect(TopicArn).toBe('arn:aws:sns:us-east-1:123456789012:Made-By-Sdk');
    const { SubscriptionArn } = (await sns.invoke(task(sdk('subscribe'), { TopicArn, Protocol: 'file', Endpoint: path }))) as { SubscriptionArn: string };
    expect(SubscriptionArn.startsWith(`${TopicArn}:`)).toBe(true);
    expect(await sns.invoke(task(sdk('listTopics'), {}))).toEqual({ Topics: expect.arrayContaining([{ TopicArn }, { TopicArn: ALERTS }]) });
    const published = (await sns.invoke(task(sdk('publish'), { TopicArn, Message: 'from the sdk' }))) as Record<string, Json>;
    expect(Object.keys(published)).toEqual(['MessageId']);
    await sns.settled();
    expect(readFileSync(path, 'utf8')).toContain('"Message":"from the sdk"');
    expect(await sns.invoke(task(sdk('listSubscriptionsByTopic'), { TopicArn }))).toEqual({
      Subscriptions: [{ SubscriptionArn, Owner: '123456789012', Protocol: 'file', Endpoint: path, TopicArn }],
    });
    await sns.invoke(task(sdk('deleteTopic'), { TopicArn }));
    await expect(sns.invoke(task(sdk('publish'), { TopicArn, Message: 'x' }))).rejects.toMatchObject({
      name: 'Sns.NotFoundException',
      cause: expect.stringMatching(new RegExp(`^Topic does not exist \\(Service: Sns, Status Code: 404, Request ID: ${REQUEST_ID}\\)$`)),
    });
  });

  it('createTopic is idempotent for the same attributes and refused for different ones', async () => {
    await sns.invoke(task(sdk('createTopic'), { Name: 'T', Attributes: { DisplayName: 'A' } }));
    await expect(sns.invoke(task(sdk('createTopic'), { Name: 'T', Attributes: { DisplayName: 'A' } }))).resolves.toEqual({ TopicArn: 'arn:aws:sns:us-east-1:123456789012:T' });
    await expect(sns.invoke(task(sdk('createTopic'), { Name: 'T', Attributes: { DisplayName: 'B' } }))).rejects.toMatchObject({
      name: 'Sns.InvalidParameterException',
      cause: expect.stringMatching(/^Invalid parameter: Attributes Reason: Topic already exists with different attributes/),
    });
    await expect(sns.invoke(task(sdk('createTopic'), { Name: 'Q.fifo' }))).rejects.toMatchObject({ name: 'Sns.InvalidParameterException' });
    await expect(sns.invoke(task(sdk('setTopicAttributes'), { TopicArn: ALERTS, AttributeName: 'DisplayName', AttributeValue: 'x' }))).rejects.toMatchObject({ name: 'States.Runtime' });
    await expect(sns.invoke(task(sdk('getTopicAttributes'), { TopicArn: 'arn:aws:sns:us-east-1:123456789012:T' }))).resolves.toMatchObject({ Attributes: { DisplayName: 'A', SubscriptionsConfirmed: '0' } });
  });
});

describe('topics from stepwise.yaml', () => {
  it('the loaded configuration plugs into the integration; a subscription dropped from the file is removed at the next start', async () => {
    const cwd = mkdtempSync(join(dir, 'cfg-'));
    const yaml = (subs: string) => `topics:\n  InfraMonitoring-Alerts:\n    subscriptions:\n${subs}`;
    const both = '      - protocol: file\n        endpoint: a.jsonl\n      - protocol: file\n        endpoint: b.jsonl\n';
    writeFileSync(join(cwd, 'stepwise.yaml'), yaml(both));
    const config = loadConfig({ cwd, env: {} });
    const first = snsIntegration({ store, topics: config.topics ?? [], smtp: config.smtp });
    await first.start();
    // One made through the API stays whatever the file says.
    await first.invoke(task('arn:aws:states:::aws-sdk:sns:subscribe', { TopicArn: ALERTS, Protocol: 'file', Endpoint: join(cwd, 'api.jsonl') }));
    await first.close();
    const endpoints = async () => (await sns.topics.subscriptions(ALERTS)).map((s) => s.doc.endpoint).sort();
    expect(await endpoints()).toEqual([join(cwd, 'a.jsonl'), join(cwd, 'api.jsonl'), join(cwd, 'b.jsonl')]);

    writeFileSync(join(cwd, 'stepwise.yaml'), yaml('      - protocol: file\n        endpoint: a.jsonl\n'));
    const second = snsIntegration({ store, topics: loadConfig({ cwd, env: {} }).topics ?? [] });
    await second.start();
    await second.close();
    expect(await endpoints()).toEqual([join(cwd, 'a.jsonl'), join(cwd, 'api.jsonl')]);
  });
});
