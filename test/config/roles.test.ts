/**
 * stepwise.yaml `roles`: IAM roles with their policy documents (YAML, or JSON pasted in), and
 * --strict-iam / STEPWISE_STRICT_IAM. A document IAM would refuse, or one using what Stepwise does
 * not evaluate, is refused with its line and column.
 */
import { describe, expect, it } from 'vitest';
import { serveArgsFromConfig } from '../../src/cli/serve-config.js';
import { configFixture } from './fixture.js';

const { load, refusal } = configFixture('roles');

const SEED_ROLE = `roles:
  StepFunctionsExecutionRole:
    policies:
      - Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: lambda:InvokeFunction
            Resource:
              - arn:aws:lambda:us-east-1:123456789012:function:data-collector
              - arn:aws:lambda:us-east-1:123456789012:function:data-collector:*
          - Effect: Allow
            Action: [dynamodb:GetItem, dynamodb:Query]
            Resource: arn:aws:dynamodb:us-east-1:123456789012:table/ProcessedMetrics
      - {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "sns:Publish", "Resource": "arn:aws:sns:us-east-1:123456789012:InfraMonitoring-Alerts"}}
  Auditor:
    policy:
      Version: "2012-10-17"
      Statement:
        Effect: Deny
        NotAction: ["dynamodb:GetItem"]
        Resource: "*"
`;

describe('roles', () => {
  it('reads roles with policies in YAML or JSON, and hands them to the server', () => {
    const config = load(SEED_ROLE);
    expect(config.roles?.map((r) => [r.name, r.policies.length])).toEqual([
      ['StepFunctionsExecutionRole', 2],
      ['Auditor', 1],
    ]);
    expect(config.roles?.[0]?.policies[1]).toEqual({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'sns:Publish', Resource: 'arn:aws:sns:us-east-1:123456789012:InfraMonitoring-Alerts' } });
    expect(config.roles?.[1]?.policies[0]).toEqual({ Version: '2012-10-17', Statement: { Effect: 'Deny', NotAction: ['dynamodb:GetItem'], Resource: '*' } });
    const args = serveArgsFromConfig(config);
    expect(args.roles).toBe(config.roles);
    expect(args.strictIam).toBeUndefined();
  });

  it('has no roles and no strict IAM by default', () => {
    const config = load('server:\n  port: 9000\n');
    expect(config.roles).toBeUndefined();
    expect(config.strictIam).toBeUndefined();
  });

  it.each([
    ['roles:\n  Bad/Name:\n    policy: {}\n', "stepwise.yaml:2:3: role name 'Bad/Name' must be 1 to 64 letters, digits or +=,.@_- (as IAM's)"],
    ['roles:\n  Empty: {}\n', 'stepwise.yaml:2:3: roles.Empty needs a policy (a policy document) or policies (a list of them); a role without policies may do nothing'],
    ['roles:\n  R:\n    polcy: {}\n', "stepwise.yaml:3:5: unknown key 'polcy' in roles.R (expected 'policy', 'policies')"],
    ['roles:\n  R:\n    policy: allow-all\n', 'stepwise.yaml:3:13: roles.R.policy must be a policy document (a map with Version and Statement)'],
    [
      'roles:\n  R:\n    policy:\n      Version: "2012-10-17"\n      Statement:\n        - Effect: Allow\n          Action: "*"\n          Resource: "*"\n        - Effect: allow\n          Action: "*"\n          Resource: "*"\n',
      'stepwise.yaml:9:19: roles.R.policy.Statement[1].Effect: Effect must be "Allow" or "Deny"',
    ],
    [
      'roles:\n  R:\n    policies:\n      - Statement:\n          Effect: Allow\n          Action: [s3:GetObject, GetObject]\n          Resource: "*"\n',
      "stepwise.yaml:6:34: roles.R.policies[0].Statement.Action[1]: 'GetObject' is not an action: write service:Action (wildcards * and ? allowed), or *",
    ],
    [
      'roles:\n  R:\n    policy:\n      Statement:\n        Effect: Allow\n        Action: "*"\n        Resource: "*"\n        Principal: "*"\n',
      "stepwise.yaml:8:9: roles.R.policy.Statement.Principal: Principal is not allowed in an identity-based policy (a role's policies apply to the role itself)",
    ],
    [
      'roles:\n  R:\n    policy:\n      Statement:\n        Effect: Allow\n        Action: "*"\n        Resource: "*"\n        Condition:\n          DateGreaterThan: {"aws:CurrentTime": "2024-01-01T00:00:00Z"}\n',
      "stepwise.yaml:9:11: roles.R.policy.Statement.Condition.DateGreaterThan: condition operator 'DateGreaterThan' is not supported by Stepwise",
    ],
    ['roles:\n  R:\n    policy:\n      Statement:\n        Effect: Allow\n        Action: "*"\n        Resource: "*"\n        Sid: 1\n', 'stepwise.yaml:8:14: roles.R.policy.Statement.Sid: Sid must be a string of letters and digits'],
    ['roles:\n  R:\n    policy:\n      Statment: []\n', "stepwise.yaml:4:7: roles.R.policy.Statment: unknown policy element 'Statment' (expected Version, Id, Statement)"],
  ])('refuses %j', (yaml, message) => {
    expect(refusal(yaml)).toContain(message);
  });

  it('--strict-iam and STEPWISE_STRICT_IAM turn strict IAM on', () => {
    expect(load('server:\n  port: 1\n', {}, { strictIam: true }).strictIam).toBe(true);
    expect(load('server:\n  port: 1\n', { STEPWISE_STRICT_IAM: 'true' }).strictIam).toBe(true);
    expect(load('server:\n  port: 1\n', { STEPWISE_STRICT_IAM: 'false' }).strictIam).toBeUndefined();
    expect(serveArgsFromConfig(load('server:\n  port: 1\n', { STEPWISE_STRICT_IAM: '1' })).strictIam).toBe(true);
    expect(refusal('server:\n  port: 1\n', { STEPWISE_STRICT_IAM: 'sometimes' })).toBe("STEPWISE_STRICT_IAM must be true or false, got 'sometimes'");
  });
});
