/**
 * stepwise.yaml `rules`: EventBridge schedule rules and their state machine targets; what PutRule
 * and PutTargets would refuse in shape is refused with its line and column, an invalid expression
 * when the server starts, naming the rule and the same place.
 */
import { describe, expect, it } from 'vitest';
import { serveArgsFromConfig } from '../../src/cli/serve-config.js';
import { startServer } from '../../src/cli/serve-command.js';
import { configFixture } from './fixture.js';

const { load, refusal } = configFixture('rules');

describe('the rules section', () => {
  it('declares the hourly pipeline rule, with targets by name or ARN and input as a map or JSON text', () => {
    const config = load(`rules:
  hourly-pipeline:
    scheduleExpression: rate(1 hour)
    description: Runs InfraMonitoring every hour
    targets:
      - id: pipeline
        stateMachine: InfraMonitoring
        input: {source: schedule, window: [1, null, true]}
      - id: other
        stateMachine: arn:aws:states:us-east-1:123456789012:stateMachine:Other:prod
        input: '{"a":1}'
  paused:
    scheduleExpression: cron(0/15 * * * ? *)
    state: DISABLED
`);
    expect(config.rules).toEqual([
      {
        name: 'hourly-pipeline',
        scheduleExpression: 'rate(1 hour)',
        state: 'ENABLED',
        description: 'Runs InfraMonitoring every hour',
        where: expect.stringMatching(/stepwise\.yaml:3:25$/),
        targets: [
          { id: 'pipeline', stateMachine: 'InfraMonitoring', input: '{"source":"schedule","window":[1,null,true]}' },
          { id: 'other', stateMachine: 'arn:aws:states:us-east-1:123456789012:stateMachine:Other:prod', input: '{"a":1}' },
        ],
      },
      { name: 'paused', scheduleExpression: 'cron(0/15 * * * ? *)', state: 'DISABLED', targets: [], where: expect.stringMatching(/:13:25$/) },
    ]);
    const args = serveArgsFromConfig(config);
    expect(args.rules?.[0]?.targets[0]).toEqual({ id: 'pipeline', stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:InfraMonitoring', input: '{"source":"schedule","window":[1,null,true]}' });
  });

  it("takes Stepwise's schedule options: time zone, dates, flexible window, catch-up and overlap", () => {
    const config = load(`rules:
  nightly:
    scheduleExpression: cron(0 2 * * ? *)
    timeZone: Europe/Berlin
    startDate: 2026-01-01T00:00:00Z
    endDate: 2026-12-31T00:00:00+01:00
    flexibleWindow: 15
    catchUp: {policy: all, window: 12h}
    overlap: skip
  hourly:
    scheduleExpression: rate(1 hour)
    catchUp: latest
`);
    expect(config.rules?.[0]).toMatchObject({ timeZone: 'Europe/Berlin', startDate: Date.UTC(2026, 0, 1), endDate: Date.UTC(2026, 11, 30, 23), flexibleWindowMinutes: 15, catchUp: { policy: 'all', windowMs: 12 * 3_600_000 }, overlap: 'skip' });
    expect(config.rules?.[1]?.catchUp).toEqual({ policy: 'latest' });
    expect(serveArgsFromConfig(config).rules?.[0]).toMatchObject({ timeZone: 'Europe/Berlin', flexibleWindowMinutes: 15, catchUp: { policy: 'all', windowMs: 43_200_000 }, overlap: 'skip' });
    expect(refusal('rules:\n  r:\n    scheduleExpression: rate(1 hour)\n    catchUp: sometimes\n')).toBe('stepwise.yaml:4:14: rules.r.catchUp must be skip, latest or all');
    expect(refusal('rules:\n  r:\n    scheduleExpression: rate(1 hour)\n    catchUp: {policy: all, window: 8d}\n')).toMatch(/^stepwise\.yaml:4:36: rules\.r\.catchUp\.window must be a duration .* at most 7d/);
    expect(refusal('rules:\n  r:\n    scheduleExpression: rate(1 hour)\n    overlap: queue\n')).toBe('stepwise.yaml:4:14: rules.r.overlap must be allow or skip');
    expect(refusal('rules:\n  r:\n    scheduleExpression: rate(1 hour)\n    startDate: tomorrow\n')).toMatch(/^stepwise\.yaml:4:16: rules\.r\.startDate must be an ISO 8601 date/);
    expect(refusal('rules:\n  r:\n    scheduleExpression: rate(1 hour)\n    flexibleWindow: 0\n')).toMatch(/^stepwise\.yaml:4:21: rules\.r\.flexibleWindow \(minutes\) must be an integer from 1 to 1440/);
  });

  it('refuses what EventBridge would, at its line and column', () => {
    expect(refusal('rules:\n  bad/name:\n    scheduleExpression: rate(1 hour)\n')).toMatch(/^stepwise\.yaml:2:3: rule name 'bad\/name' must be/);
    expect(refusal('rules:\n  r:\n    state: ENABLED\n')).toMatch(/^stepwise\.yaml:3:5: rules\.r needs a scheduleExpression/);
    expect(refusal('rules:\n  r:\n    scheduleExpression: every hour\n')).toMatch(/^stepwise\.yaml:3:25: rules\.r\.scheduleExpression must be rate/);
    expect(refusal('rules:\n  r:\n    scheduleExpression: rate(1 hour)\n    state: ON\n')).toBe('stepwise.yaml:4:12: rules.r.state must be ENABLED or DISABLED');
    expect(refusal('rules:\n  r:\n    scheduleExpression: rate(1 hour)\n    schedule: x\n')).toMatch(/^stepwise\.yaml:4:5: unknown key 'schedule' in rules\.r/);
    expect(refusal('rules:\n  r:\n    scheduleExpression: rate(1 hour)\n    targets:\n      - id: a\n')).toMatch(/^stepwise\.yaml:5:9: rules\.r\.targets\[0\] needs an id and a stateMachine/);
    expect(refusal('rules:\n  r:\n    scheduleExpression: rate(1 hour)\n    targets:\n      - {id: a, stateMachine: M, input: "{not json"}\n')).toMatch(/^stepwise\.yaml:5:41: rules\.r\.targets\[0\]\.input must be a map or list, or a string of JSON text/);
    expect(refusal('rules:\n  r:\n    scheduleExpression: rate(1 hour)\n    targets:\n      - {id: a, stateMachine: M}\n      - {id: a, stateMachine: N}\n')).toMatch(/^stepwise\.yaml:6:9: rules\.r\.targets\[1\] repeats the id 'a'/);
    const six = Array.from({ length: 6 }, (_, i) => `      - {id: t${i}, stateMachine: M}\n`).join('');
    expect(refusal(`rules:\n  r:\n    scheduleExpression: rate(1 hour)\n    targets:\n${six}`)).toMatch(/^stepwise\.yaml:5:7: rules\.r\.targets: at most 5 targets/);
  });

  it('keeps the declared rules in the store when the server starts', async () => {
    const config = load('rules:\n  hourly:\n    scheduleExpression: rate(1 hour)\n    targets:\n      - {id: p, stateMachine: Pipeline}\n');
    const server = await startServer({ ...serveArgsFromConfig(config), port: 0, host: '127.0.0.1', databaseUrl: 'sqlite::memory:' }, { log: () => undefined });
    try {
      const rec = await server.store.getResource('rule', 'arn:aws:events:us-east-1:123456789012:rule/hourly');
      expect(rec?.doc).toMatchObject({ name: 'hourly', scheduleExpression: 'rate(1 hour)', state: 'ENABLED', targets: [{ id: 'p', stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Pipeline' }] });
      expect(rec?.doc).not.toHaveProperty('where');
    } finally {
      await server.stop();
    }
  });

  it('refuses an invalid expression when the server starts, naming the rule and its place', async () => {
    const config = load('rules:\n  r:\n    scheduleExpression: rate(1 hours)\n');
    const args = { ...serveArgsFromConfig(config), port: 0, host: '127.0.0.1', databaseUrl: 'sqlite::memory:' };
    await expect(startServer(args, { log: () => undefined })).rejects.toThrow(/stepwise\.yaml:3:25: rule 'r': invalid scheduleExpression 'rate\(1 hours\)'/);
  });
});
