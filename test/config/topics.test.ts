/**
 * stepwise.yaml `topics` and `smtp`: SNS topics with their subscriptions, and the SMTP server email
 * subscriptions go through; what SNS would refuse is refused with its line and column.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { configFixture } from './fixture.js';

const { write, refusal } = configFixture('topics');

function load(yaml: string, env: Record<string, string> = {}) {
  const cwd = write(yaml);
  return { cwd, config: loadConfig({ cwd, env }) };
}

const PIPELINE = `smtp:
  host: 127.0.0.1
  port: 2525
  auth:
    user: stepwise
    pass: hunter2
  from: "Stepwise <stepwise@example.com>"
topics:
  InfraMonitoring-Alerts:
    displayName: InfraMonitoring
    subscriptions:
      - protocol: file
        endpoint: ./.stepwise/notifications.jsonl
      - protocol: https
        endpoint: https://hooks.example.com/notify
        rawMessageDelivery: true
        filterPolicy:
          severity: [critical, high, {prefix: "sev-"}]
          count: [{numeric: [">", 0, "<=", 10]}]
        deliveryPolicy:
          numRetries: 5
          minDelayTarget: 1
          maxDelayTarget: 30
          backoffFunction: exponential
      - protocol: email
        endpoint: ops@example.com
      - protocol: email-json
        endpoint: robots@example.com
      - protocol: lambda
        endpoint: notifier
  Orders.fifo:
    contentBasedDeduplication: true
    subscriptions:
      - protocol: file
        endpoint: /var/log/orders.jsonl
`;

describe('topics and smtp in stepwise.yaml', () => {
  it('reads topics with every protocol, file paths taken from the file, and the smtp server', () => {
    const { cwd, config } = load(PIPELINE);
    expect(config.topics).toEqual([
      {
        name: 'InfraMonitoring-Alerts',
        displayName: 'InfraMonitoring',
        subscriptions: [
          { protocol: 'file', endpoint: join(cwd, '.stepwise/notifications.jsonl') },
          {
            protocol: 'https',
            endpoint: 'https://hooks.example.com/notify',
            rawMessageDelivery: true,
            filterPolicy: { severity: ['critical', 'high', { prefix: 'sev-' }], count: [{ numeric: ['>', 0, '<=', 10] }] },
            deliveryPolicy: { numRetries: 5, minDelayTarget: 1, maxDelayTarget: 30, backoffFunction: 'exponential' },
          },
          { protocol: 'email', endpoint: 'ops@example.com' },
          { protocol: 'email-json', endpoint: 'robots@example.com' },
          { protocol: 'lambda', endpoint: 'notifier' },
        ],
      },
      { name: 'Orders.fifo', contentBasedDeduplication: true, subscriptions: [{ protocol: 'file', endpoint: '/var/log/orders.jsonl' }] },
    ]);
    expect(config.smtp).toEqual({ host: '127.0.0.1', port: 2525, secure: false, auth: { user: 'stepwise', pass: 'hunter2' }, from: 'Stepwise <stepwise@example.com>' });
  });

  it('smtp port defaults to 587, or 465 with secure: true; no section means no topics and no smtp', () => {
    expect(load('smtp:\n  host: mail\n  from: a@b.c\n').config.smtp).toEqual({ host: 'mail', port: 587, secure: false, from: 'a@b.c' });
    expect(load('smtp:\n  host: mail\n  secure: true\n  from: a@b.c\n').config.smtp?.port).toBe(465);
    const { config } = load('server:\n  port: 9000\n');
    expect(config.topics).toBeUndefined();
    expect(config.smtp).toBeUndefined();
  });

  it('STEPWISE_SMTP_USER and STEPWISE_SMTP_PASSWORD give the login, over the file', () => {
    const { config } = load(PIPELINE, { STEPWISE_SMTP_USER: 'env-user', STEPWISE_SMTP_PASSWORD: 'env-pass' });
    expect(config.smtp?.auth).toEqual({ user: 'env-user', pass: 'env-pass' });
    expect(refusal('server:\n  port: 1\n', { STEPWISE_SMTP_USER: 'u', STEPWISE_SMTP_PASSWORD: 'p' })).toMatch(/no smtp section/);
    expect(refusal(PIPELINE, { STEPWISE_SMTP_USER: 'u' })).toBe('STEPWISE_SMTP_USER is set without STEPWISE_SMTP_PASSWORD: set both or neither');
  });
});

describe('what SNS would refuse is refused with its line and column', () => {
  const topic = (sub: string) => `topics:\n  Alerts:\n    subscriptions:\n      - ${sub}\n`;

  it('topic names, and keys it does not know', () => {
    expect(refusal('topics:\n  bad.name:\n    subscriptions: []\n')).toMatch(/^stepwise\.yaml:2:3: topic name 'bad\.name' must be 1 to 256 letters/);
    expect(refusal('topics:\n  Alerts:\n    policy: {}\n')).toBe("stepwise.yaml:3:5: unknown key 'policy' in topics.Alerts (expected 'displayName', 'contentBasedDeduplication', 'subscriptions')");
    expect(refusal('topics:\n  Alerts:\n    contentBasedDeduplication: true\n')).toBe('stepwise.yaml:3:5: topics.Alerts.contentBasedDeduplication applies to FIFO topics only (a name ending in .fifo)');
    expect(refusal('smtp:\n  host: h\n  from: a@b.c\n  tls: {}\n')).toMatch(/^stepwise\.yaml:4:3: unknown key 'tls' in smtp/);
  });

  it('protocols, endpoints and subscription settings', () => {
    expect(refusal(topic('protocol: sms\n        endpoint: "+15555550100"'))).toBe('stepwise.yaml:4:19: topics.Alerts.subscriptions[0].protocol must be one of http, https, email, email-json, file, lambda');
    expect(refusal(topic('protocol: https\n        endpoint: http://example.com/'))).toMatch(/^stepwise\.yaml:5:19: .*endpoint must be an https:\/\/ URL/);
    expect(refusal(topic('protocol: lambda\n        endpoint: "not a function"'))).toMatch(/^stepwise\.yaml:5:19: .*function name or a Lambda function ARN/);
    expect(refusal(topic('protocol: file'))).toBe('stepwise.yaml:4:9: topics.Alerts.subscriptions[0] needs a protocol (http, https, email, email-json, file, lambda) and an endpoint');
    expect(refusal(topic('protocol: file\n        endpoint: a.jsonl\n        rawMessageDelivery: true'))).toMatch(/^stepwise\.yaml:6:9: .*rawMessageDelivery applies to http and https/);
    expect(refusal(topic('protocol: file\n        endpoint: a.jsonl\n      - protocol: file\n        endpoint: a.jsonl'))).toMatch(/^stepwise\.yaml:6:9: .*repeats an earlier subscription/);
    expect(refusal('topics:\n  Orders.fifo:\n    subscriptions:\n      - protocol: http\n        endpoint: http://x/\n')).toMatch(/^stepwise\.yaml:4:19: .*FIFO topic delivers only to Amazon SQS/);
  });

  it('filter and delivery policies', () => {
    const http = 'protocol: http\n        endpoint: http://127.0.0.1/\n        ';
    expect(refusal(topic(`${http}filterPolicy:\n          severity: [{wildcard: "a*"}]`))).toMatch(/^stepwise\.yaml:7:22: topics\.Alerts\.subscriptions\[0\]\.filterPolicy\.severity\[0\]: unknown operator 'wildcard'/);
    expect(refusal(topic(`${http}filterPolicy:\n          severity: high`))).toMatch(/^stepwise\.yaml:7:21: .*filterPolicy\.severity must be a list/);
    expect(refusal(topic(`${http}deliveryPolicy:\n          numRetries: 200`))).toMatch(/^stepwise\.yaml:7:23: .*numRetries must be an integer from 0 to 100, got 200/);
    expect(refusal(topic(`${http}deliveryPolicy:\n          numRetries: 100\n          minDelayTarget: 60\n          maxDelayTarget: 60`))).toMatch(/^stepwise\.yaml:7:11: .*would take 6000 seconds in all: SNS allows at most 3600/);
    expect(refusal(topic('protocol: file\n        endpoint: a.jsonl\n        deliveryPolicy:\n          numRetries: 1'))).toMatch(/^stepwise\.yaml:6:9: .*deliveryPolicy applies to http and https subscriptions only/);
  });

  it('an email subscription needs an smtp section; smtp needs host and from; secrets are never repeated', () => {
    expect(refusal(topic('protocol: email\n        endpoint: ops@example.com'))).toBe(
      'stepwise.yaml:4:9: topics.Alerts.subscriptions[0] is an email subscription, which needs an smtp section (the server to send through)',
    );
    expect(refusal(topic('protocol: email\n        endpoint: not-an-address'))).toMatch(/^stepwise\.yaml:5:19: .*must be an email address/);
    expect(refusal('smtp:\n  host: h\n')).toBe("stepwise.yaml:2:3: smtp needs 'from' (the sender's address)");
    const secret = refusal('smtp:\n  host: h\n  from: a@b.c\n  auth:\n    user: u\n    pass: 12345\n');
    expect(secret).toBe('stepwise.yaml:6:11: smtp.auth.pass must be a non-empty string, got 12345');
    expect(refusal('smtp:\n  host: h\n  from: a@b.c\n  auth:\n    user: hunter2\n')).not.toContain('hunter2');
  });
});
