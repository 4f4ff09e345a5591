/**
 * What an EventBridge target sends as execution input, by hand from AWS's "Amazon EventBridge
 * input transformation" page (eb-transform-target-input.html: predefined variables, the examples
 * table, "Common issues"), the API reference's InputTransformer and Target, and what localstack
 * recorded against AWS (tests/aws/services/events/test_events_inputs.py, marked [recorded]).
 */
import { describe, expect, it } from 'vitest';
import type { Json } from '../../src/lib/json.js';
import { TargetInputError, targetInput, targetInputProblem, validateTargetInput, type RuleContext, type TargetInputSpec } from '../../src/scheduler/input-transformer.js';
import { ServiceError } from '../../src/service/errors.js';

/** The page's EC2 example event. */
const EC2 = {
  version: '0',
  id: '7bf73129-1428-4cd3-a780-95db273d1602',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '123456789012',
  time: '2015-11-11T21:29:54Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111'],
  detail: { 'instance-id': 'i-0123456789', state: 'RUNNING' },
};

/** The event localstack's recorded cases put on the bus. */
const ACCOUNT_EVENT = {
  version: '0',
  id: 'f1c2a3b4-0000-4000-8000-000000000001',
  'detail-type': 'core.update-account-command',
  source: 'core.update-account-command',
  account: '111111111111',
  time: '2024-05-13T12:27:07Z',
  region: 'us-east-1',
  resources: [],
  detail: { command: 'update-account', payload: { acc_id: '0a787ecb-4015', sf_id: 'baz' } },
};

const CTX: RuleContext = { ruleArn: 'arn:aws:events:us-east-2:123456789012:rule/example', ruleName: 'example' };

/** The page's *Input Path* (InputPathsMap) for the examples table. */
const EC2_PATHS = { timestamp: '$.time', instance: '$.detail.instance-id', state: '$.detail.state' };
const ec2 = (InputTemplate: string): TargetInputSpec => ({ Id: 't', InputTransformer: { InputPathsMap: EC2_PATHS, InputTemplate } });

const RECORDED_PATHS = { 'detail-type': '$.detail-type', timestamp: '$.time', command: '$.detail.command' };
const MISSING_PATHS = { ...RECORDED_PATHS, command: '$.detail.notinmessage' };

/** [what it shows, target, event, expected input text, rule context if not CTX]. */
type Row = readonly [string, TargetInputSpec, Json, string, RuleContext?];

const ROWS: readonly Row[] = [
  // --- No input member: the whole event; Input: sent as is
  ['no Input, InputPath or InputTransformer: the whole event', { Id: 't' }, EC2, JSON.stringify(EC2)],
  ['Input is sent as is, spacing included', { Id: 't', Input: '{ "fixed" : true }' }, EC2, '{ "fixed" : true }'],
  ['Input may be any JSON value', { Id: 't', Input: '"just text"' }, EC2, '"just text"'],

  // --- InputPath
  ['InputPath $ is the whole event', { Id: 't', InputPath: '$' }, EC2, JSON.stringify(EC2)],
  ['InputPath $.detail [recorded]', { Id: 't', InputPath: '$.detail' }, ACCOUNT_EVENT, '{"command":"update-account","payload":{"acc_id":"0a787ecb-4015","sf_id":"baz"}}'],
  ['InputPath $.detail.payload [recorded]', { Id: 't', InputPath: '$.detail.payload' }, ACCOUNT_EVENT, '{"acc_id":"0a787ecb-4015","sf_id":"baz"}'],
  ['InputPath to a string leaf gives a JSON string [recorded]', { Id: 't', InputPath: '$.detail.payload.sf_id' }, ACCOUNT_EVENT, '"baz"'],
  ['InputPath with a dash', { Id: 't', InputPath: '$.detail-type' }, EC2, '"EC2 Instance State-change Notification"'],
  ['InputPath with an array index', { Id: 't', InputPath: '$.resources[0]' }, EC2, '"arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"'],
  ['InputPath with a wildcard gives the list of matches', { Id: 't', InputPath: '$.detail.*' }, EC2, '["i-0123456789","RUNNING"]'],
  ['InputPath [*] over an array', { Id: 't', InputPath: '$.detail.items[*].id' }, { detail: { items: [{ id: 1 }, { x: 2 }, { id: 3 }] } }, '[1,3]'],

  // --- The page's examples table
  ['simple string', ec2('"instance <instance> is in <state>"'), EC2, '"instance i-0123456789 is in RUNNING"'],
  ['string with escaped quotes', ec2('"instance \\"<instance>\\" is in <state>"'), EC2, '"instance \\"i-0123456789\\" is in RUNNING"'],
  ['simple JSON: strings get quotes, output is minified', ec2('{\n  "instance" : <instance>,\n  "state": <state>\n}'), EC2, '{"instance":"i-0123456789","state":"RUNNING"}'],
  ['JSON with strings and variables', ec2('{\n "instance" : <instance>,\n "state": "<state>",\n "instanceStatus": "instance \\"<instance>\\" is in <state>"\n}'), EC2, '{"instance":"i-0123456789","state":"RUNNING","instanceStatus":"instance \\"i-0123456789\\" is in RUNNING"}'],
  ['JSON with a mix of variables and static information', ec2('{\n  "instance" : <instance>,\n  "state": [ 9, <state>, true ],\n  "Transformed" : "Yes"\n}'), EC2, '{"instance":"i-0123456789","state":[9,"RUNNING",true],"Transformed":"Yes"}'],
  [
    'reserved variables in JSON',
    ec2('{"instance" : <instance>, "ruleArn" : <aws.events.rule-arn>, "ruleName" : <aws.events.rule-name>}'),
    EC2,
    '{"instance":"i-0123456789","ruleArn":"arn:aws:events:us-east-2:123456789012:rule/example","ruleName":"example"}',
  ],
  ['reserved variables in a string', ec2('"<aws.events.rule-name> triggered"'), EC2, '"example triggered"'],
  ['the API reference’s free-text template: values go in bare', { Id: 't', InputTransformer: { InputPathsMap: { instance: '$.detail.instance-id', status: '$.detail.state' }, InputTemplate: '<instance> is in state <status>' } }, EC2, 'i-0123456789 is in state RUNNING'],
  [
    'the API reference’s JSON with variables in quotes and out',
    { Id: 't', InputTransformer: { InputPathsMap: { instance: '$.detail.instance-id', status: '$.detail.state' }, InputTemplate: '{"myInstance": <instance>,"myStatus": "<instance> is in state \\"<status>\\""}' } },
    EC2,
    '{"myInstance":"i-0123456789","myStatus":"i-0123456789 is in state \\"RUNNING\\""}',
  ],

  // --- Recorded against AWS
  ['string template [recorded]', { Id: 't', InputTransformer: { InputPathsMap: RECORDED_PATHS, InputTemplate: '"Event of <detail-type> type, at time <timestamp>, info extracted from detail <command>"' } }, ACCOUNT_EVENT, '"Event of core.update-account-command type, at time 2024-05-13T12:27:07Z, info extracted from detail update-account"'],
  ['a missing path in a string is empty [recorded]', { Id: 't', InputTransformer: { InputPathsMap: MISSING_PATHS, InputTemplate: '"Event of <detail-type> type, at time <timestamp>, info extracted from detail <command>"' } }, ACCOUNT_EVENT, '"Event of core.update-account-command type, at time 2024-05-13T12:27:07Z, info extracted from detail "'],
  ['a string starting with JSON-ish characters [recorded]', { Id: 't', InputTransformer: { InputPathsMap: RECORDED_PATHS, InputTemplate: '"{[/Check with special starting characters for event of <detail-type> type"' } }, ACCOUNT_EVENT, '"{[/Check with special starting characters for event of core.update-account-command type"'],
  ['JSON template [recorded]', { Id: 't', InputTransformer: { InputPathsMap: RECORDED_PATHS, InputTemplate: '{"detailType": <detail-type>,  "time": <timestamp>, "command": <command>}' } }, ACCOUNT_EVENT, '{"detailType":"core.update-account-command","time":"2024-05-13T12:27:07Z","command":"update-account"}'],
  ['a missing path outside quotes becomes "" [recorded]', { Id: 't', InputTransformer: { InputPathsMap: MISSING_PATHS, InputTemplate: '{"detailType": <detail-type>,  "time": <timestamp>, "command": <command>}' } }, ACCOUNT_EVENT, '{"detailType":"core.update-account-command","time":"2024-05-13T12:27:07Z","command":""}'],
  [
    'all string predefined variables [recorded]',
    { Id: 't', InputTransformer: { InputTemplate: '"Message containing all pre defined variables <aws.events.rule-arn> <aws.events.rule-name> <aws.events.event.ingestion-time>"' } },
    ACCOUNT_EVENT,
    '"Message containing all pre defined variables arn:aws:events:us-east-2:123456789012:rule/example example 2024-05-13T12:27:07Z"',
  ],
  [
    'aws.events.event has no detail and says detailType; aws.events.event.json is the whole event [recorded]',
    { Id: 't', InputTransformer: { InputTemplate: '{"originalEvent": <aws.events.event>, "originalEventJson": <aws.events.event.json>}' } },
    ACCOUNT_EVENT,
    JSON.stringify({
      originalEvent: { id: ACCOUNT_EVENT.id, account: '111111111111', detailType: 'core.update-account-command', time: '2024-05-13T12:27:07Z', source: 'core.update-account-command', region: 'us-east-1', resources: [], version: '0' },
      originalEventJson: ACCOUNT_EVENT,
    }),
  ],

  // --- Common issues and the rules around quotes
  ['an object inside a string loses its inner quotes', { Id: 't', InputTransformer: { InputPathsMap: { body: '$.detail.payload' }, InputTemplate: '"Body is <body>"' } }, ACCOUNT_EVENT, '"Body is {acc_id:0a787ecb-4015,sf_id:baz}"'],
  ['an object outside quotes goes in as JSON', { Id: 't', InputTransformer: { InputPathsMap: { body: '$.detail.payload' }, InputTemplate: '{"body": <body>}' } }, ACCOUNT_EVENT, '{"body":{"acc_id":"0a787ecb-4015","sf_id":"baz"}}'],
  ['an array outside quotes goes in as JSON', { Id: 't', InputTransformer: { InputPathsMap: { r: '$.resources' }, InputTemplate: '{"r": <r>}' } }, EC2, '{"r":["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"]}'],
  ['numbers, booleans and null keep their JSON form', { Id: 't', InputTransformer: { InputPathsMap: { n: '$.detail.n', b: '$.detail.b', z: '$.detail.z' }, InputTemplate: '{"n": <n>, "b": <b>, "z": <z>, "s": "<n>/<b>"}' } }, { detail: { n: 42.5, b: false, z: null } }, '{"n":42.5,"b":false,"z":null,"s":"42.5/false"}'],
  ['values are not escaped, so a quote in a value breaks the JSON (returned as is)', { Id: 't', InputTransformer: { InputPathsMap: { m: '$.detail.m' }, InputTemplate: '{"m": "<m>"}' } }, { detail: { m: 'say "hi"' } }, '{"m": "say "hi""}'],
  ['a string outside quotes gets quotes but no escaping (a newline stays raw)', { Id: 't', InputTransformer: { InputPathsMap: { m: '$.detail.m' }, InputTemplate: '{"m": <m>}' } }, { detail: { m: 'line1\nline2' } }, '{"m": "line1\nline2"}'],
  ['spaces inside strings survive minifying', ec2('{ "a b" : "c  d <state>" }'), EC2, '{"a b":"c  d RUNNING"}'],
  ['the ingestion time comes from the rule context when given', { Id: 't', InputTransformer: { InputTemplate: '{"at": <aws.events.event.ingestion-time>}' } }, EC2, '{"at":"2015-11-11T21:29:55.123Z"}', { ...CTX, ingestionTime: '2015-11-11T21:29:55.123Z' }],
  ['a wildcard path in a template inserts the list', { Id: 't', InputTransformer: { InputPathsMap: { ids: '$.detail.items[*].id' }, InputTemplate: '{"ids": <ids>}' } }, { detail: { items: [{ id: 'a' }, { id: 'b' }] } }, '{"ids":["a","b"]}'],
  ['aws.events.event.json is never escaped, so inside a string it breaks the JSON (returned as is)', { Id: 't', InputTransformer: { InputTemplate: '"event <aws.events.event.json>"' } }, { a: 'b' }, '"event {"a":"b"}"'],
  ['a template without placeholders is constant', { Id: 't', InputTransformer: { InputTemplate: '{"job": "nightly"}' } }, EC2, '{"job":"nightly"}'],
  ['text that only looks like a tag is left alone', { Id: 't', InputTransformer: { InputTemplate: '"a < b and c > d"' } }, EC2, '"a < b and c > d"'],
];

describe('targetInput', () => {
  it('has at least 30 cases', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(30);
  });

  const cases = ROWS.map(([name, target, event, expected, ctx]) => ({ name, target, event, expected, ctx: ctx ?? CTX }));
  it.each(cases)('$name', ({ target, event, expected, ctx }) => {
    expect(targetInputProblem(target)).toBeUndefined();
    expect(targetInput(target, event, ctx)).toBe(expected);
  });

  it('refuses to guess when an InputPath selects nothing', () => {
    expect(() => targetInput({ Id: 't', InputPath: '$.detail.missing' }, EC2, CTX)).toThrow(TargetInputError);
    expect(() => targetInput({ Id: 't', InputPath: '$.resources[5]' }, EC2, CTX)).toThrow(TargetInputError);
  });
});

/** [what AWS refuses, target, the ValidationException message]. */
const INVALID: readonly (readonly [string, TargetInputSpec, string])[] = [
  ['InputPath with InputTransformer [recorded]', { Id: 'tgt', InputPath: '$.detail', InputTransformer: { InputTemplate: '"x"' } }, 'Only one of Input, InputPath, or InputTransformer must be provided for target tgt.'],
  ['Input with InputPath', { Id: 'tgt', Input: '{}', InputPath: '$' }, 'Only one of Input, InputPath, or InputTransformer must be provided for target tgt.'],
  ['Input that is not JSON (AWS’s text, quoted in awsdocs/aws-cloudformation-user-guide#1010)', { Id: 'tgt', Input: '{not json' }, 'Input for target tgt is not a valid JSON text.'],
  ['an undefined placeholder [recorded]', { Id: 'tgt', InputTransformer: { InputPathsMap: RECORDED_PATHS, InputTemplate: '"Event of <detail-type> type, with not defined key <notdefinedkey>"' } }, 'InputTemplate for target tgt contains invalid placeholder notdefinedkey.'],
  ['an InputPath without $', { Id: 'tgt', InputPath: 'detail' }, 'InputPath for target tgt is invalid.'],
  ['an InputPath with quoted brackets', { Id: 'tgt', InputPath: "$.detail['state']" }, 'InputPath for target tgt is invalid.'],
  ['an InputPath with recursive descent', { Id: 'tgt', InputPath: '$..state' }, 'InputPath for target tgt is invalid.'],
  ['an InputPath with a filter', { Id: 'tgt', InputPath: '$.items[?(@.a)]' }, 'InputPath for target tgt is invalid.'],
  ['a trailing dot', { Id: 'tgt', InputPath: '$.' }, 'InputPath for target tgt is invalid.'],
  ['a bad path in InputPathsMap', { Id: 'tgt', InputTransformer: { InputPathsMap: { a: 'detail.a' }, InputTemplate: '<a>' } }, 'InputPath for target tgt is invalid.'],
  ['an object-key placeholder', { Id: 'tgt', InputTransformer: { InputPathsMap: { k: '$.detail.k' }, InputTemplate: '{<k>: 1}' } }, 'InputTemplate for target tgt uses placeholder k as an object key.'],
  ['no InputTemplate', { Id: 'tgt', InputTransformer: { InputPathsMap: {} } as unknown as { InputTemplate: string } }, "1 validation error detected: Value null at 'targets.1.member.inputTransformer.inputTemplate' failed to satisfy constraint: Member must not be null"],
  ['an empty InputTemplate', { Id: 'tgt', InputTransformer: { InputTemplate: '' } }, "1 validation error detected: Value at 'targets.1.member.inputTransformer.inputTemplate' failed to satisfy constraint: Member must have length less than or equal to 8192, Member must have length greater than or equal to 1"],
  ['a key that is not [A-Za-z0-9_-]+', { Id: 'tgt', InputTransformer: { InputPathsMap: { 'a.b': '$.a' }, InputTemplate: '"x"' } }, "1 validation error detected: Value at 'targets.1.member.inputTransformer.inputPathsMap' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 256, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [A-Za-z0-9\\_\\-]+]"],
  ['more than 100 paths', { Id: 'tgt', InputTransformer: { InputPathsMap: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`v${i}`, '$.id'])), InputTemplate: '"x"' } }, "1 validation error detected: Value at 'targets.1.member.inputTransformer.inputPathsMap' failed to satisfy constraint: Member must have length less than or equal to 100"],
  ['an Input longer than 8192', { Id: 'tgt', Input: JSON.stringify('x'.repeat(8200)) }, "1 validation error detected: Value at 'targets.1.member.input' failed to satisfy constraint: Member must have length less than or equal to 8192"],
];

describe('targetInputProblem (PutTargets)', () => {
  it.each(INVALID)('refuses %s', (_name, target, message) => {
    expect(targetInputProblem(target)).toBe(message);
    let caught: unknown;
    try {
      validateTargetInput(target);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ServiceError);
    expect((caught as ServiceError).code).toBe('ValidationException');
    expect((caught as ServiceError).message).toBe(message);
  });

  it.each<readonly [string, TargetInputSpec]>([
    ['predefined variables with no InputPathsMap [recorded]', { Id: 't', InputTransformer: { InputTemplate: '{"originalEvent": <aws.events.event>, "originalEventJson": <aws.events.event.json>}' } }],
    ['a bare $', { Id: 't', InputPath: '$' }],
    ['indices, wildcards and slashes', { Id: 't', InputPath: '$.detail.a/b[0].*' }],
    ['exactly 100 paths', { Id: 't', InputTransformer: { InputPathsMap: Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`v${i}`, '$.id'])), InputTemplate: '"<v99>"' } }],
    ['a placeholder as a value inside a JSON object', { Id: 't', InputTransformer: { InputPathsMap: { k: '$.detail.k' }, InputTemplate: '{"k": <k>, "s": "<k>: <k>"}' } }],
    ['a target with no input member', { Id: 't' }],
  ])('accepts %s', (_name, target) => {
    expect(targetInputProblem(target)).toBeUndefined();
    expect(() => validateTargetInput(target)).not.toThrow();
  });

  it('names the target’s place in the request', () => {
    expect(targetInputProblem({ Id: 't', Input: JSON.stringify('x'.repeat(9000)) }, 3)).toContain("'targets.3.member.input'");
  });
});
