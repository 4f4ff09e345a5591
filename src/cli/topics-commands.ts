/**
 * `stepwise topics …`: SNS topics of a running server (`--endpoint`, the usual AWS_* credentials).
 * - `list`: topics with their number of subscriptions (ListTopics, ListSubscriptions);
 * - `subscriptions [<topic>]`: subscriptions, of one topic or all (ListSubscriptions[ByTopic]);
 * - `publish <topic> <message> [--subject S]`: Publish; prints the message id;
 * - `deliveries [--topic T] [--status pending|delivered|failed] [--limit N]`: delivery records,
 *   newest first (Stepwise.ListDeliveries: SNS's API has no such read).
 * A topic is named by name or ARN. Tables for people, `--json` for scripts.
 */
import { parseArgs } from 'node:util';
import { clientOptionsFromEnv } from './api-client.js';
import { table } from './client-commands.js';
import { UsageError } from './run-command.js';
import { SnsApiClient, xmlMembers, xmlTexts } from './sns-client.js';

type Out = (line: string) => void;
type Row = Record<string, unknown>;

const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'];

export async function topicsCommand(argv: string[], out: Out): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { endpoint: { type: 'string' }, json: { type: 'boolean', default: false }, subject: { type: 'string' }, topic: { type: 'string' }, status: { type: 'string' }, limit: { type: 'string' } },
  });
  const sns = new SnsApiClient(clientOptionsFromEnv(values.endpoint));
  const topicArn = (ref: string) => (ref.startsWith('arn:') ? ref : `arn:aws:sns:${sns.region}:123456789012:${ref}`);
  const show = (result: unknown, render: () => void) => (values.json ? out(JSON.stringify(result)) : render());
  const [sub, ...args] = positionals;

  switch (sub) {
    case 'list': {
      const arns = await pages((token) => sns.query('ListTopics', { NextToken: token }), (xml) => xmlTexts(xml, 'TopicArn'));
      const subs = await pages((token) => sns.query('ListSubscriptions', { NextToken: token }), xmlMembers);
      const topics = arns.map((arn) => ({ name: arn.slice(arn.lastIndexOf(':') + 1), subscriptions: subs.filter((s) => s['TopicArn'] === arn).length, topicArn: arn }));
      show({ topics }, () => table(topics, ['name', 'subscriptions', 'topicArn'], out));
      return 0;
    }
    case 'subscriptions': {
      const [ref] = args;
      const subs = ref
        ? await pages((token) => sns.query('ListSubscriptionsByTopic', { TopicArn: topicArn(ref), NextToken: token }), xmlMembers)
        : await pages((token) => sns.query('ListSubscriptions', { NextToken: token }), xmlMembers);
      const rows = subs.map((s) => ({ topic: topicName(s['TopicArn'] ?? ''), protocol: s['Protocol'], endpoint: s['Endpoint'], subscriptionArn: s['SubscriptionArn'] }));
      show({ subscriptions: subs }, () => table(rows, ['topic', 'protocol', 'endpoint', 'subscriptionArn'], out));
      return 0;
    }
    case 'publish': {
      const [ref, message] = args;
      if (!ref || message === undefined) throw new UsageError('topics publish needs a topic (name or ARN) and a message');
      const xml = await sns.query('Publish', { TopicArn: topicArn(ref), Message: message, Subject: values.subject });
      const result = { MessageId: xmlTexts(xml, 'MessageId')[0], ...(xmlTexts(xml, 'SequenceNumber')[0] ? { SequenceNumber: xmlTexts(xml, 'SequenceNumber')[0] } : {}) };
      show(result, () => out(`published ${result.MessageId ?? ''}`));
      return 0;
    }
    case 'deliveries': {
      if (values.status !== undefined && !DELIVERY_STATUSES.includes(values.status)) throw new UsageError(`--status must be one of ${DELIVERY_STATUSES.join(', ')}`);
      const limit = values.limit === undefined ? 100 : Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UsageError(`--limit must be a number from 1 to 1000, got '${values.limit}'`);
      const query: Row = { limit, ...(values.topic ? { topicArn: topicArn(values.topic) } : {}), ...(values.status ? { status: values.status } : {}) };
      const deliveries: Row[] = [];
      // The server scans a bounded number of records per call: follow its token until the page is full.
      for (let token: string | undefined; ; ) {
        const page = await sns.listDeliveries({ ...query, limit: limit - deliveries.length, ...(token ? { nextToken: token } : {}) });
        deliveries.push(...page.deliveries);
        token = page.nextToken;
        if (!token || deliveries.length >= limit) break;
      }
      const iso = (ms: unknown) => (typeof ms === 'number' ? new Date(ms).toISOString() : undefined);
      const rows = deliveries.map((d) => ({ ...d, publishedAt: iso(d['publishedAt']), topic: topicName(String(d['topicArn'] ?? '')), attempts: `${String(d['attempts'])}/${String(d['maxAttempts'])}` }));
      show({ deliveries }, () => table(rows, ['publishedAt', 'status', 'attempts', 'topic', 'protocol', 'endpoint', 'messageId', 'lastError'], out));
      return 0;
    }
    default:
      throw new UsageError(`unknown command 'topics ${sub ?? ''}'`);
  }
}

function topicName(arn: string): string {
  return arn.slice(arn.lastIndexOf(':') + 1);
}

/** Every page of a listing that answers with `<NextToken>`. */
async function pages<T>(call: (token: string | undefined) => Promise<string>, read: (xml: string) => T[]): Promise<T[]> {
  const all: T[] = [];
  for (let token: string | undefined; ; ) {
    const xml = await call(token);
    all.push(...read(xml));
    token = xmlTexts(xml, 'NextToken')[0];
    if (!token) return all;
  }
}
