/**
 * IAM's policy evaluation, pinned on the examples of AWS's IAM User Guide ("Policy evaluation
 * logic", "IAM JSON policy elements: Action, NotAction, Resource, NotResource, Condition").
 */
import { describe, expect, it } from 'vitest';
import { PolicySet, type AuthRequest, type Decision } from '../../../src/integrations/iam/index.js';
import { policyProblem } from '../../../src/lib/iam-policy.js';

const V = '2012-10-17';
const TABLE = 'arn:aws:dynamodb:us-east-1:123456789012:table/Runs';
const FN = 'arn:aws:lambda:us-east-1:123456789012:function:collector';

function allow(statement: Record<string, unknown>): Record<string, unknown> {
  return { Version: V, Statement: [{ Effect: 'Allow', ...statement }] };
}

interface Case {
  name: string;
  policies: unknown[];
  request: AuthRequest;
  expected: Decision;
}

const cases: Case[] = [
  { name: 'nothing applies: the default is an implicit deny', policies: [allow({ Action: 'dynamodb:GetItem', Resource: TABLE })], request: { action: 'dynamodb:PutItem', resource: TABLE }, expected: 'implicitDeny' },
  { name: 'an Allow for the action on the resource allows', policies: [allow({ Action: ['dynamodb:GetItem', 'dynamodb:PutItem'], Resource: [TABLE] })], request: { action: 'dynamodb:PutItem', resource: TABLE }, expected: 'allow' },
  {
    name: 'an explicit Deny wins over an Allow in the same policy',
    policies: [{ Version: V, Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 'dynamodb:DeleteItem', Resource: TABLE }] }],
    request: { action: 'dynamodb:DeleteItem', resource: TABLE },
    expected: 'explicitDeny',
  },
  {
    name: 'an explicit Deny in one policy wins over an Allow in another',
    policies: [allow({ Action: 'dynamodb:*', Resource: '*' }), { Version: V, Statement: { Effect: 'Deny', Action: 'dynamodb:PutItem', Resource: 'arn:aws:dynamodb:*:*:table/*' } }],
    request: { action: 'dynamodb:PutItem', resource: TABLE },
    expected: 'explicitDeny',
  },
  { name: 'a Deny that does not match leaves the Allow', policies: [{ Version: V, Statement: [{ Effect: 'Allow', Action: 'sns:*', Resource: '*' }, { Effect: 'Deny', Action: 'sns:DeleteTopic', Resource: '*' }] }], request: { action: 'sns:Publish', resource: 'arn:aws:sns:us-east-1:123456789012:Alerts' }, expected: 'allow' },
  { name: 'actions match case-insensitively', policies: [allow({ Action: 'DynamoDB:putitem', Resource: TABLE })], request: { action: 'dynamodb:PutItem', resource: TABLE }, expected: 'allow' },
  { name: 'resources match case-sensitively', policies: [allow({ Action: 'dynamodb:PutItem', Resource: TABLE.toLowerCase() })], request: { action: 'dynamodb:PutItem', resource: TABLE }, expected: 'implicitDeny' },
  { name: '* in an action matches any run of characters', policies: [allow({ Action: 'dynamodb:*Item', Resource: '*' })], request: { action: 'dynamodb:UpdateItem', resource: TABLE }, expected: 'allow' },
  { name: '* in an action does not match another action', policies: [allow({ Action: 'dynamodb:*Item', Resource: '*' })], request: { action: 'dynamodb:Query', resource: TABLE }, expected: 'implicitDeny' },
  { name: '? matches exactly one character', policies: [allow({ Action: 'lambda:InvokeFunction', Resource: `${FN}-?` })], request: { action: 'lambda:InvokeFunction', resource: `${FN}-2` }, expected: 'allow' },
  { name: '? does not match two characters', policies: [allow({ Action: 'lambda:InvokeFunction', Resource: `${FN}-?` })], request: { action: 'lambda:InvokeFunction', resource: `${FN}-12` }, expected: 'implicitDeny' },
  { name: 'a function ARN does not cover its versions and aliases', policies: [allow({ Action: 'lambda:InvokeFunction', Resource: FN })], request: { action: 'lambda:InvokeFunction', resource: `${FN}:prod` }, expected: 'implicitDeny' },
  { name: 'function:name:* covers its versions and aliases', policies: [allow({ Action: 'lambda:InvokeFunction', Resource: [FN, `${FN}:*`] })], request: { action: 'lambda:InvokeFunction', resource: `${FN}:7` }, expected: 'allow' },
  { name: 'function:name:* alone does not cover the unqualified function', policies: [allow({ Action: 'lambda:InvokeFunction', Resource: `${FN}:*` })], request: { action: 'lambda:InvokeFunction', resource: FN }, expected: 'implicitDeny' },
  { name: 'a resource wildcard spans the ARN', policies: [allow({ Action: 's3:GetObject', Resource: 'arn:aws:s3:::raw-metrics/*' })], request: { action: 's3:GetObject', resource: 'arn:aws:s3:::raw-metrics/2024/05/01.json' }, expected: 'allow' },
  { name: 'bucket/* does not cover the bucket itself', policies: [allow({ Action: 's3:ListBucket', Resource: 'arn:aws:s3:::raw-metrics/*' })], request: { action: 's3:ListBucket', resource: 'arn:aws:s3:::raw-metrics' }, expected: 'implicitDeny' },
  { name: 'Allow with NotAction allows every other action', policies: [allow({ NotAction: 'iam:*', Resource: '*' })], request: { action: 's3:GetObject', resource: 'arn:aws:s3:::b/k' }, expected: 'allow' },
  { name: 'Allow with NotAction does not allow the listed actions', policies: [allow({ NotAction: 'iam:*', Resource: '*' })], request: { action: 'iam:CreateUser', resource: 'arn:aws:iam::123456789012:user/x' }, expected: 'implicitDeny' },
  {
    name: 'Deny with NotAction denies everything but the listed actions',
    policies: [allow({ Action: '*', Resource: '*' }), { Version: V, Statement: { Effect: 'Deny', NotAction: ['dynamodb:GetItem', 'dynamodb:Query'], Resource: '*' } }],
    request: { action: 'dynamodb:PutItem', resource: TABLE },
    expected: 'explicitDeny',
  },
  {
    name: 'Deny with NotAction leaves the listed actions to the Allow',
    policies: [allow({ Action: '*', Resource: '*' }), { Version: V, Statement: { Effect: 'Deny', NotAction: ['dynamodb:GetItem', 'dynamodb:Query'], Resource: '*' } }],
    request: { action: 'dynamodb:GetItem', resource: TABLE },
    expected: 'allow',
  },
  { name: 'Allow with NotResource allows other resources', policies: [allow({ Action: 'sns:Publish', NotResource: 'arn:aws:sns:us-east-1:123456789012:Billing' })], request: { action: 'sns:Publish', resource: 'arn:aws:sns:us-east-1:123456789012:Alerts' }, expected: 'allow' },
  { name: 'Allow with NotResource does not allow the listed resource', policies: [allow({ Action: 'sns:Publish', NotResource: 'arn:aws:sns:us-east-1:123456789012:Billing' })], request: { action: 'sns:Publish', resource: 'arn:aws:sns:us-east-1:123456789012:Billing' }, expected: 'implicitDeny' },
  {
    name: 'Deny with NotResource denies everything outside the listed resources',
    policies: [allow({ Action: 'dynamodb:*', Resource: '*' }), { Version: V, Statement: { Effect: 'Deny', Action: 'dynamodb:*', NotResource: TABLE } }],
    request: { action: 'dynamodb:GetItem', resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/Other' },
    expected: 'explicitDeny',
  },
];

const HTTP_POLICY = allow({
  Action: 'states:InvokeHTTPEndpoint',
  Resource: 'arn:aws:states:us-east-1:123456789012:stateMachine:Pipeline',
  Condition: { StringEquals: { 'states:HTTPMethod': 'GET' }, StringLike: { 'states:HTTPEndpoint': 'https://api.stripe.com/*' } },
});
const HTTP = { action: 'states:InvokeHTTPEndpoint', resource: 'arn:aws:states:us-east-1:123456789012:stateMachine:Pipeline' };

const conditionCases: Case[] = [
  { name: 'every condition block holds: allowed', policies: [HTTP_POLICY], request: { ...HTTP, context: { 'states:HTTPMethod': 'GET', 'states:HTTPEndpoint': 'https://api.stripe.com/v1/charges' } }, expected: 'allow' },
  { name: 'one block fails (StringEquals on the method): denied', policies: [HTTP_POLICY], request: { ...HTTP, context: { 'states:HTTPMethod': 'POST', 'states:HTTPEndpoint': 'https://api.stripe.com/v1/charges' } }, expected: 'implicitDeny' },
  { name: 'StringLike with a wildcard that does not match: denied', policies: [HTTP_POLICY], request: { ...HTTP, context: { 'states:HTTPMethod': 'GET', 'states:HTTPEndpoint': 'https://evil.example.com/' } }, expected: 'implicitDeny' },
  { name: 'a key missing from the request makes a condition false', policies: [HTTP_POLICY], request: { ...HTTP, context: { 'states:HTTPMethod': 'GET' } }, expected: 'implicitDeny' },
  { name: 'condition key names are case-insensitive', policies: [HTTP_POLICY], request: { ...HTTP, context: { 'STATES:httpmethod': 'GET', 'states:HTTPEndpoint': 'https://api.stripe.com/x' } }, expected: 'allow' },
  { name: 'any one of several values satisfies a key', policies: [allow({ Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': ['eu-west-1', 'us-east-1'] } } })], request: { action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', context: { 'aws:RequestedRegion': 'us-east-1' } }, expected: 'allow' },
  { name: 'StringNotEquals holds when the key is missing', policies: [allow({ Action: '*', Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': 'eu-west-1' } } })], request: { action: 's3:GetObject', resource: 'arn:aws:s3:::b/k' }, expected: 'allow' },
  { name: 'StringNotEquals fails when a value matches', policies: [allow({ Action: '*', Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': ['eu-west-1', 'us-east-1'] } } })], request: { action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', context: { 'aws:RequestedRegion': 'us-east-1' } }, expected: 'implicitDeny' },
  { name: '…IfExists holds when the key is missing', policies: [allow({ Action: '*', Resource: '*', Condition: { StringEqualsIfExists: { 'states:HTTPMethod': 'GET' } } })], request: { action: 'sns:Publish', resource: '*' }, expected: 'allow' },
  { name: 'Null true holds when the key is missing', policies: [allow({ Action: '*', Resource: '*', Condition: { Null: { 'states:HTTPMethod': 'true' } } })], request: { action: 'sns:Publish', resource: '*' }, expected: 'allow' },
  { name: 'StringEqualsIgnoreCase ignores case', policies: [allow({ Action: '*', Resource: '*', Condition: { StringEqualsIgnoreCase: { 'states:HTTPMethod': 'get' } } })], request: { action: 'x:Y', resource: '*', context: { 'states:HTTPMethod': 'GET' } }, expected: 'allow' },
  {
    name: 'ArnLike matches each ARN part on its own',
    policies: [allow({ Action: '*', Resource: '*', Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/Pipeline*' } } })],
    request: { action: 'x:Y', resource: '*', context: { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/PipelineRole' } },
    expected: 'allow',
  },
  {
    name: 'an ArnLike wildcard does not span the colons between ARN parts',
    policies: [allow({ Action: '*', Resource: '*', Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*' } } })],
    request: { action: 'x:Y', resource: '*', context: { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/PipelineRole' } },
    expected: 'implicitDeny',
  },
  { name: 'a Deny applies only when its condition holds', policies: [allow({ Action: '*', Resource: '*' }), { Version: V, Statement: { Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } } } }], request: { action: 'x:Y', resource: '*', context: { 'aws:RequestedRegion': 'us-east-1' } }, expected: 'allow' },
];

describe('IAM policy evaluation', () => {
  it.each([...cases, ...conditionCases])('$name', ({ policies, request, expected }) => {
    expect(new PolicySet(policies).evaluate(request)).toBe(expected);
  });

  it('takes a single Statement object and string Action and Resource', () => {
    const set = new PolicySet([{ Version: V, Statement: { Effect: 'Allow', Action: 'sns:Publish', Resource: 'arn:aws:sns:us-east-1:123456789012:Alerts' } }]);
    expect(set.evaluate({ action: 'sns:Publish', resource: 'arn:aws:sns:us-east-1:123456789012:Alerts' })).toBe('allow');
  });

  it('refuses an invalid document when compiled, naming the policy and the place', () => {
    expect(() => new PolicySet([allow({ Action: 'dynamodb:GetItem', Resource: '*' }), { Version: V, Statement: [{ Effect: 'Permit', Action: '*', Resource: '*' }] }])).toThrow(
      'policy 2 at Statement.0.Effect: Effect must be "Allow" or "Deny"',
    );
  });
});

describe('IAM policy grammar', () => {
  it.each([
    [{ Statement: [] }, ['Statement'], 'Statement must not be empty'],
    [{ Version: '2012-10-18', Statement: { Effect: 'Allow', Action: '*', Resource: '*' } }, ['Version'], 'Version must be "2012-10-17" (or the older "2008-10-17")'],
    [{ Statement: { Effect: 'Allow', Resource: '*' } }, ['Statement'], 'a statement needs Action (or NotAction)'],
    [{ Statement: { Effect: 'Allow', Action: '*', NotAction: 's3:*', Resource: '*' } }, ['Statement', 'NotAction'], 'a statement has either Action or NotAction, not both'],
    [{ Statement: { Effect: 'Allow', Action: '*' } }, ['Statement'], 'a statement needs Resource (or NotResource)'],
    [{ Statement: { Effect: 'Allow', Action: ['s3:GetObject', 'GetObject'], Resource: '*' } }, ['Statement', 'Action', 1], "'GetObject' is not an action: write service:Action (wildcards * and ? allowed), or *"],
    [{ Statement: { Effect: 'Allow', Action: '*', Resource: 'my-table' } }, ['Statement', 'Resource'], "resource 'my-table' must be an ARN (arn:…) or *"],
    [{ Statement: { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' } }, ['Statement', 'Principal'], "Principal is not allowed in an identity-based policy (a role's policies apply to the role itself)"],
    [{ Statement: { Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::home/${aws:username}/*' } }, ['Statement', 'Resource'], 'policy variables (${…}) are not supported by Stepwise: write the resource out'],
    [
      { Statement: { Effect: 'Allow', Action: '*', Resource: '*', Condition: { NumericLessThan: { 's3:max-keys': '10' } } } },
      ['Statement', 'Condition', 'NumericLessThan'],
      "condition operator 'NumericLessThan' is not supported by Stepwise (it evaluates StringEquals, StringNotEquals, StringEqualsIgnoreCase, StringNotEqualsIgnoreCase, StringLike, StringNotLike, ArnEquals, ArnLike, ArnNotEquals, ArnNotLike, Bool, Null, and their …IfExists forms)",
    ],
    [{ Statement: { Effect: 'Allow', Action: '*', Resource: '*', Condition: { 'ForAnyValue:StringLike': { 'aws:TagKeys': 'x*' } } } }, ['Statement', 'Condition', 'ForAnyValue:StringLike'], 'set operators (ForAnyValue:) are not supported by Stepwise, whose requests have no multivalued context keys'],
  ])('refuses %j at %j', (doc, path, message) => {
    expect(policyProblem(doc)).toMatchObject({ path, message });
  });
});
