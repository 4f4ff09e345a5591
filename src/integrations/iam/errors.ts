/**
 * A call the role may not make, failed as Step Functions reports it. The service answers
 * AccessDeniedException with IAM's message, and Step Functions names the error after the SDK
 * exception it got:
 * - optimised integrations (AWS SDK for Java v1), e.g. `Lambda.AWSLambdaException`, cause
 *   `User: arn:aws:sts::123456789012:assumed-role/<role>/<session> is not authorized to perform:
 *   lambda:InvokeFunction on resource: <arn> because no identity-based policy allows the
 *   lambda:InvokeFunction action (Service: AWSLambda; Status Code: 403; Error Code:
 *   AccessDeniedException; Request ID: …; Proxy: null)`; DynamoDB
 *   `DynamoDB.AmazonDynamoDBException` (`Service: AmazonDynamoDBv2; Status Code: 400`); SNS
 *   `SNS.AuthorizationErrorException` (`Error Code: AuthorizationError`, and SNS spells the
 *   action `SNS:Publish`);
 * - `aws-sdk:*` integrations (v2): `<Service>.<Service>Exception`, e.g. `S3.S3Exception`, cause
 *   `… (Service: S3, Status Code: 403, Request ID: …, Extended Request ID: …)`; S3 quotes the
 *   resource.
 * An explicit deny reads `… with an explicit deny in an identity-based policy`.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { StatesError } from '../../asl/errors.js';
import type { Decision } from './evaluate.js';
import type { Permission, RequiredPermissions } from './permissions.js';

interface V1Service {
  prefix: string;
  exception: string;
  service: string;
  status: number;
  code: string;
}

const V1: Readonly<Record<string, V1Service>> = {
  lambda: { prefix: 'Lambda', exception: 'AWSLambdaException', service: 'AWSLambda', status: 403, code: 'AccessDeniedException' },
  dynamodb: { prefix: 'DynamoDB', exception: 'AmazonDynamoDBException', service: 'AmazonDynamoDBv2', status: 400, code: 'AccessDeniedException' },
  sns: { prefix: 'SNS', exception: 'AuthorizationErrorException', service: 'AmazonSNS', status: 403, code: 'AuthorizationError' },
  sfn: { prefix: 'SFN', exception: 'AWSStepFunctionsException', service: 'AWSStepFunctions', status: 400, code: 'AccessDeniedException' },
  eventbridge: { prefix: 'EventBridge', exception: 'AmazonEventBridgeException', service: 'AmazonEventBridge', status: 400, code: 'AccessDeniedException' },
};

/** The AWS SDK for Java v2's names of services, where they are not the integration's name capitalised. */
const V2_NAMES: Readonly<Record<string, string>> = {
  dynamodb: 'DynamoDb',
  eventbridge: 'EventBridge',
  cloudwatchlogs: 'CloudWatchLogs',
  cloudwatch: 'CloudWatch',
  secretsmanager: 'SecretsManager',
  s3: 'S3',
};

/** Services whose AccessDenied is HTTP 403 (REST and query protocols); the JSON protocols answer 400. */
const STATUS_403: ReadonlySet<string> = new Set(['lambda', 's3', 'sns', 'sqs', 'iam', 'sts', 'ec2']);

/** The session Step Functions assumes the role in: 32 letters, here fixed per execution. */
export function sessionName(executionArn: string | undefined): string {
  const bytes = executionArn === undefined ? randomBytes(32) : createHash('sha256').update(executionArn).digest();
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  return Array.from(bytes.subarray(0, 32), (b) => letters[b % letters.length]).join('');
}

/** `arn:aws:sts::<account>:assumed-role/<role name>/<session>` for a role ARN (its path dropped, as STS does). */
export function assumedRoleArn(roleArn: string, session: string): string {
  const m = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  if (!m) return roleArn;
  return `arn:${m[1] as string}:sts::${m[2] as string}:assumed-role/${m[3] as string}/${session}`;
}

function upperId(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return Array.from(randomBytes(length), (b) => alphabet[b % alphabet.length]).join('');
}

function iamMessage(user: string, service: string, p: Permission, decision: Decision): string {
  const action = service === 'sns' ? p.action.replace(/^sns:/, 'SNS:') : p.action;
  const resource = service === 's3' ? `"${p.resource}"` : p.resource;
  const why = decision === 'explicitDeny' ? 'with an explicit deny in an identity-based policy' : `because no identity-based policy allows the ${action} action`;
  return `User: ${user} is not authorized to perform: ${action} on resource: ${resource} ${why}`;
}

/** The task failure for `denied`, the first permission of `call` that the role `roleArn` lacks. */
export function accessDenied(call: RequiredPermissions, denied: Permission, decision: Decision, roleArn: string, session: string): StatesError {
  const user = assumedRoleArn(roleArn, session);
  if (call.service === 'http') {
    if (denied.action === 'states:InvokeHTTPEndpoint') {
      const endpoint = denied.context?.['states:HTTPEndpoint'] ?? '';
      return new StatesError(
        'States.TaskFailed',
        `AWS Step Functions is not authorized to perform states:InvokeHTTPEndpoint on API Endpoint ${endpoint}. Ensure that the StateMachine role contains the states:InvokeHTTPEndpoint permission for the given API Endpoint`,
      );
    }
    return new StatesError('Events.ConnectionResource.AccessDenied', iamMessage(user, 'events', denied, decision));
  }
  if (call.style === 'v1') {
    const s = V1[call.service] ?? V1['sfn'] as V1Service;
    const requestId = call.service === 'dynamodb' ? upperId(52) : randomUUID();
    // A .sync nested execution needs the managed rule; AWS says so in these words.
    const message = denied.action.startsWith('events:') && call.service === 'sfn' ? `'${roleArn}' is not authorized to create managed-rule.` : iamMessage(user, call.service, denied, decision);
    return new StatesError(`${s.prefix}.${s.exception}`, `${message} (Service: ${s.service}; Status Code: ${s.status}; Error Code: ${s.code}; Request ID: ${requestId}; Proxy: null)`);
  }
  const name = V2_NAMES[call.service] ?? call.service.charAt(0).toUpperCase() + call.service.slice(1);
  const status = STATUS_403.has(call.service) ? 403 : 400;
  const ids = call.service === 's3' ? `Request ID: ${upperId(16)}, Extended Request ID: ${randomBytes(56).toString('base64')}` : `Request ID: ${randomUUID()}`;
  return new StatesError(`${name}.${name}Exception`, `${iamMessage(user, call.service, denied, decision)} (Service: ${name}, Status Code: ${status}, ${ids})`);
}
