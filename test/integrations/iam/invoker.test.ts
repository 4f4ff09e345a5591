/**
 * The IAM wrapper of the integration chain: a locally defined role's policies decide each call,
 * a denied call fails as AWS reports it, and a role that is not defined is unrestricted with one
 * warning (or refused under strictIam).
 */
import { describe, expect, it } from 'vitest';
import { StatesError } from '../../../src/asl/errors.js';
import type { TaskInvoker } from '../../../src/engine/local-run.js';
import type { TaskRequest } from '../../../src/engine/types.js';
import { iamInvoker, type RoleDefinition } from '../../../src/integrations/iam/index.js';
import type { Json } from '../../../src/lib/json.js';

const ACCOUNT = '123456789012';
const EXECUTION = `arn:aws:states:us-east-1:${ACCOUNT}:execution:Pipeline:run-1`;
const TABLE = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/ProcessedMetrics`;

const roles: RoleDefinition[] = [
  {
    name: 'StepFunctionsExecutionRole',
    policies: [
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['dynamodb:GetItem', 'lambda:InvokeFunction', 'sns:Publish'], Resource: '*' }] },
      { Version: '2012-10-17', Statement: { Effect: 'Deny', Action: 'dynamodb:DeleteItem', Resource: '*' } },
    ],
  },
  { name: 'Writer', policies: [{ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: TABLE } }] },
];

function request(resource: string, input: Json, roleArn: string, extra: Partial<TaskRequest> = {}): TaskRequest {
  return { frameId: 0, token: 1, stateName: 'T', resource, input, timeoutSeconds: undefined, heartbeatSeconds: undefined, taskToken: undefined, credentials: undefined, executionArn: EXECUTION, roleArn, attempt: 0, ...extra };
}

function setup(opts: { strictIam?: boolean } = {}) {
  const calls: string[] = [];
  const logs: string[] = [];
  const next: TaskInvoker = { invoke: async (req) => (calls.push(req.resource), { ok: true }) };
  const invoker = iamInvoker(roles, { region: 'us-east-1', account: ACCOUNT, log: (l) => logs.push(l), ...opts }, next);
  return { invoker, calls, logs };
}

async function failure(p: Promise<unknown>): Promise<StatesError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof StatesError) return e;
    throw e;
  }
  throw new Error('expected the task to fail');
}

const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;

describe('iamInvoker', () => {
  it('passes an allowed call on', async () => {
    const { invoker, calls } = setup();
    await expect(invoker.invoke(request('arn:aws:states:::dynamodb:getItem', { TableName: 'ProcessedMetrics', Key: {} }, role('StepFunctionsExecutionRole')))).resolves.toEqual({ ok: true });
    expect(calls).toEqual(['arn:aws:states:::dynamodb:getItem']);
  });

  it('fails dynamodb:putItem without dynamodb:PutItem as DynamoDB.AmazonDynamoDBException, and does not make the call', async () => {
    const { invoker, calls } = setup();
    const e = await failure(invoker.invoke(request('arn:aws:states:::dynamodb:putItem', { TableName: 'ProcessedMetrics', Item: {} }, role('StepFunctionsExecutionRole'))));
    expect(e.name).toBe('DynamoDB.AmazonDynamoDBException');
    expect(e.cause).toMatch(
      new RegExp(
        `^User: arn:aws:sts::${ACCOUNT}:assumed-role/StepFunctionsExecutionRole/[A-Za-z]{32} is not authorized to perform: dynamodb:PutItem on resource: ${TABLE} because no identity-based policy allows the dynamodb:PutItem action \\(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: AccessDeniedException; Request ID: [A-Z0-9]{52}; Proxy: null\\)$`,
      ),
    );
    expect(calls).toEqual([]);
  });

  it('says "with an explicit deny in an identity-based policy" for an explicit Deny', async () => {
    const { invoker } = setup();
    const e = await failure(invoker.invoke(request('arn:aws:states:::dynamodb:deleteItem', { TableName: 'ProcessedMetrics', Key: {} }, role('StepFunctionsExecutionRole'))));
    expect(e.cause).toContain(`is not authorized to perform: dynamodb:DeleteItem on resource: ${TABLE} with an explicit deny in an identity-based policy (Service: AmazonDynamoDBv2;`);
  });

  it('fails a Lambda invocation as Lambda.AWSLambdaException with HTTP 403', async () => {
    const { invoker } = setup();
    const e = await failure(invoker.invoke(request(`arn:aws:lambda:us-east-1:${ACCOUNT}:function:collector`, {}, role('Writer'))));
    expect(e.name).toBe('Lambda.AWSLambdaException');
    expect(e.cause).toMatch(
      new RegExp(
        `^User: arn:aws:sts::${ACCOUNT}:assumed-role/Writer/[A-Za-z]{32} is not authorized to perform: lambda:InvokeFunction on resource: arn:aws:lambda:us-east-1:${ACCOUNT}:function:collector because no identity-based policy allows the lambda:InvokeFunction action \\(Service: AWSLambda; Status Code: 403; Error Code: AccessDeniedException; Request ID: [0-9a-f-]{36}; Proxy: null\\)$`,
      ),
    );
  });

  it('fails an SNS publish as SNS.AuthorizationErrorException, spelling the action SNS:Publish', async () => {
    const { invoker } = setup();
    const e = await failure(invoker.invoke(request('arn:aws:states:::sns:publish', { TopicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:Alerts`, Message: 'x' }, role('Writer'))));
    expect(e.name).toBe('SNS.AuthorizationErrorException');
    expect(e.cause).toContain(`not authorized to perform: SNS:Publish on resource: arn:aws:sns:us-east-1:${ACCOUNT}:Alerts because no identity-based policy allows the SNS:Publish action (Service: AmazonSNS; Status Code: 403; Error Code: AuthorizationError;`);
  });

  it('fails an aws-sdk:s3 call as S3.S3Exception, with the resource quoted and the v2 SDK cause', async () => {
    const { invoker } = setup();
    const e = await failure(invoker.invoke(request('arn:aws:states:::aws-sdk:s3:putObject', { Bucket: 'raw-metrics', Key: 'run.json', Body: '{}' }, role('Writer'))));
    expect(e.name).toBe('S3.S3Exception');
    expect(e.cause).toMatch(/is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::raw-metrics\/run.json" because no identity-based policy allows the s3:PutObject action \(Service: S3, Status Code: 403, Request ID: [A-Z0-9]{16}, Extended Request ID: \S+\)$/);
  });

  it('uses one session name per execution', async () => {
    const { invoker } = setup();
    const a = await failure(invoker.invoke(request('arn:aws:states:::dynamodb:putItem', { TableName: 'ProcessedMetrics' }, role('StepFunctionsExecutionRole'))));
    const b = await failure(invoker.invoke(request('arn:aws:states:::dynamodb:putItem', { TableName: 'ProcessedMetrics' }, role('StepFunctionsExecutionRole'))));
    const session = (e: StatesError) => /assumed-role\/[^/]+\/(\w+)/.exec(e.cause ?? '')?.[1];
    expect(session(a)).toBe(session(b));
  });

  it('checks a task with Credentials against the role it names', async () => {
    const { invoker, calls } = setup();
    await invoker.invoke(request('arn:aws:states:::dynamodb:putItem', { TableName: 'ProcessedMetrics', Item: {} }, role('StepFunctionsExecutionRole'), { credentials: { RoleArn: role('Writer') } }));
    expect(calls).toEqual(['arn:aws:states:::dynamodb:putItem']);
  });

  it('lets a role that is not defined call everything, warning once per role ARN', async () => {
    const { invoker, calls, logs } = setup();
    for (let i = 0; i < 3; i++) await invoker.invoke(request('arn:aws:states:::dynamodb:putItem', { TableName: 'T', Item: {} }, role('Elsewhere')));
    await invoker.invoke(request('arn:aws:states:::dynamodb:putItem', { TableName: 'T', Item: {} }, 'arn:aws:iam::210987654321:role/Writer'));
    expect(calls).toHaveLength(4);
    expect(logs).toEqual([
      `stepwise iam: role '${role('Elsewhere')}' is not defined in the configuration (roles): its tasks may call everything (--strict-iam refuses them)`,
      "stepwise iam: role 'arn:aws:iam::210987654321:role/Writer' is not defined in the configuration (roles): its tasks may call everything (--strict-iam refuses them)",
    ]);
  });

  it('under strictIam fails the tasks of a role that is not defined', async () => {
    const { invoker, calls } = setup({ strictIam: true });
    const e = await failure(invoker.invoke(request('arn:aws:states:::dynamodb:putItem', { TableName: 'T', Item: {} }, role('Elsewhere'))));
    expect(e.name).toBe('States.Runtime');
    expect(e.cause).toContain(`The role '${role('Elsewhere')}' is not defined in Stepwise's configuration, and Stepwise runs with --strict-iam`);
    expect(calls).toEqual([]);
  });

  it('lets activities through whatever the role', async () => {
    const { invoker, calls } = setup({ strictIam: true });
    await invoker.invoke(request(`arn:aws:states:us-east-1:${ACCOUNT}:activity:approve`, {}, role('Elsewhere')));
    expect(calls).toHaveLength(1);
  });

  it('matches a role ARN with a path by its name, as IAM does', async () => {
    const { invoker, calls } = setup();
    await invoker.invoke(request('arn:aws:states:::dynamodb:putItem', { TableName: 'ProcessedMetrics', Item: {} }, `arn:aws:iam::${ACCOUNT}:role/service-role/Writer`));
    expect(calls).toHaveLength(1);
  });

  it('fails an HTTP Task whose endpoint the condition does not allow', async () => {
    const http: RoleDefinition[] = [
      {
        name: 'Http',
        policies: [{ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'states:InvokeHTTPEndpoint', Resource: '*', Condition: { StringLike: { 'states:HTTPEndpoint': 'https://api.example.com/*' } } } }],
      },
    ];
    const invoker = iamInvoker(http, { region: 'us-east-1', account: ACCOUNT }, { invoke: async () => 'sent' });
    await expect(invoker.invoke(request('arn:aws:states:::http:invoke', { ApiEndpoint: 'https://api.example.com/v1', Method: 'GET' }, role('Http')))).resolves.toBe('sent');
    const e = await failure(invoker.invoke(request('arn:aws:states:::http:invoke', { ApiEndpoint: 'https://other.example.com/', Method: 'GET' }, role('Http'))));
    expect([e.name, e.cause]).toEqual([
      'States.TaskFailed',
      'AWS Step Functions is not authorized to perform states:InvokeHTTPEndpoint on API Endpoint https://other.example.com/. Ensure that the StateMachine role contains the states:InvokeHTTPEndpoint permission for the given API Endpoint',
    ]);
  });
});
