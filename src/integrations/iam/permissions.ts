/**
 * What a Task asks of its role: the IAM actions and resource ARNs that Step Functions' service
 * integrations need for one call, from the Task's resource and its effective parameters, as
 * AWS's "IAM policies for integrated services" pages list them:
 * - Lambda (function ARN, `lambda:invoke`): `lambda:InvokeFunction` on the function's ARN, with
 *   its qualifier when one is named (a policy for `function:f` does not cover `function:f:1`);
 * - DynamoDB: `dynamodb:<Action>` on `arn:aws:dynamodb:<region>:<account>:table/<TableName>`
 *   (each table of a batch or transaction; `/index/<IndexName>` for an index);
 * - SNS: `sns:Publish` on the TopicArn (or TargetArn);
 * - S3 (`aws-sdk:s3:*`): the action S3 authorizes (HeadObject → s3:GetObject, ListObjectsV2 →
 *   s3:ListBucket, CopyObject → s3:GetObject on the source and s3:PutObject on the target) on
 *   `arn:aws:s3:::<bucket>` or `arn:aws:s3:::<bucket>/<key>`;
 * - nested executions: `states:StartExecution` on the state machine; `.sync` adds
 *   `states:DescribeExecution` and `states:StopExecution` on its executions and
 *   `events:PutTargets`, `events:PutRule`, `events:DescribeRule` on the managed rule
 *   `StepFunctionsGetEventsForStepFunctionsExecutionRule`;
 * - EventBridge: `events:PutEvents` on each event bus named (`event-bus/default` by default);
 * - HTTP Task: `states:InvokeHTTPEndpoint` on the state machine (condition keys
 *   `states:HTTPMethod`, `states:HTTPEndpoint`) and `events:RetrieveConnectionCredentials` on the
 *   connection;
 * - any other `aws-sdk:<service>:<action>`: `<service>:<Action>` on the resource named by its
 *   parameters where Stepwise knows it, otherwise `*`;
 * - activities need nothing.
 * A call whose parameters do not name its resource is left to the integration, which reports
 * the missing parameter as the service would.
 */
import { isObject, type Json, type JsonObject } from '../../lib/json.js';

/** How the service reports errors to Step Functions: the optimised integrations use the AWS SDK for Java v1, `aws-sdk:*` the v2. */
export type ErrorStyle = 'v1' | 'v2';

export interface Permission {
  action: string;
  resource: string;
  /** Condition keys of this call, besides the principal's. */
  context?: Record<string, string>;
}

export interface RequiredPermissions {
  /** The service as the aws-sdk integration names it (`lambda`, `dynamodb`, `s3`, `sns`, `sfn`, `eventbridge`, …), or `http`. */
  service: string;
  style: ErrorStyle;
  permissions: Permission[];
}

export interface CallSite {
  region: string;
  account: string;
  /** The state machine the task runs in (the resource of states:InvokeHTTPEndpoint). */
  stateMachineArn: string | undefined;
}

const SERVICE_ARN = /^arn:aws[a-z-]*:states:::(aws-sdk:)?([a-z0-9-]+):([A-Za-z0-9]+)(?:\.(?:sync(?::2)?|waitForTaskToken))?$/;

/** The permissions a task needs, or undefined when it needs none (activities) or its resource cannot be worked out (left to the integration). */
export function requiredPermissions(resource: string, input: Json, site: CallSite): RequiredPermissions | undefined {
  const p = isObject(input) ? input : {};
  const parts = resource.split(':');
  if (parts[2] === 'lambda' && parts[5] === 'function') return one('lambda', 'v1', 'lambda:InvokeFunction', resource);
  const m = SERVICE_ARN.exec(resource);
  if (!m) return undefined;
  const sdk = m[1] !== undefined;
  const service = m[2] as string;
  const action = m[3] as string;
  const pattern = resource.slice(resource.lastIndexOf(action) + action.length);
  if (!sdk) return optimised(service, action, pattern, p, site);
  const permissions = sdkPermissions(service, action, p, site);
  return permissions && { service, style: 'v2', permissions };
}

function one(service: string, style: ErrorStyle, action: string, resource: string | undefined): RequiredPermissions | undefined {
  return resource === undefined ? undefined : { service, style, permissions: [{ action, resource }] };
}

function pascal(action: string): string {
  return action.charAt(0).toUpperCase() + action.slice(1);
}

function str(p: JsonObject, key: string): string | undefined {
  const v = p[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function optimised(service: string, action: string, pattern: string, p: JsonObject, site: CallSite): RequiredPermissions | undefined {
  switch (service) {
    case 'lambda':
      return action === 'invoke' ? one('lambda', 'v1', 'lambda:InvokeFunction', functionArn(p, site)) : undefined;
    case 'dynamodb': {
      const table = tableArn(str(p, 'TableName'), site);
      return one('dynamodb', 'v1', `dynamodb:${pascal(action)}`, table);
    }
    case 'sns':
      return action === 'publish' ? one('sns', 'v1', 'sns:Publish', str(p, 'TopicArn') ?? str(p, 'TargetArn') ?? str(p, 'PhoneNumber')) : undefined;
    case 'states':
      return action === 'startExecution' ? startExecution(p, pattern.startsWith('.sync'), site) : undefined;
    case 'events':
      return action === 'putEvents' ? { service: 'eventbridge', style: 'v1', permissions: putEvents(p, site) } : undefined;
    case 'http':
      return action === 'invoke' ? httpInvoke(p, site) : undefined;
    default:
      return undefined;
  }
}

/** A FunctionName as Lambda reads it (name, partial or full ARN, with an optional qualifier; or the Qualifier parameter) as a full ARN. */
export function functionArn(p: JsonObject, site: CallSite): string | undefined {
  const ref = str(p, 'FunctionName');
  if (ref === undefined) return undefined;
  const qualifier = str(p, 'Qualifier');
  const m = /^(?:arn:(aws[a-z-]*):lambda:([a-z0-9-]+):)?(?:(\d{12}):function:)?([A-Za-z0-9_-]+)(?::([A-Za-z0-9$_-]+))?$/.exec(ref);
  if (!m) return undefined;
  const q = m[5] ?? qualifier;
  return `arn:${m[1] ?? 'aws'}:lambda:${m[2] ?? site.region}:${m[3] ?? site.account}:function:${m[4] as string}${q !== undefined ? `:${q}` : ''}`;
}

function tableArn(name: string | undefined, site: CallSite, index?: string): string | undefined {
  if (name === undefined) return undefined;
  const base = name.startsWith('arn:') ? name : `arn:aws:dynamodb:${site.region}:${site.account}:table/${name}`;
  return index === undefined ? base : `${base}/index/${index}`;
}

function startExecution(p: JsonObject, sync: boolean, site: CallSite): RequiredPermissions | undefined {
  const machine = str(p, 'StateMachineArn');
  if (machine === undefined) return undefined;
  const permissions: Permission[] = [{ action: 'states:StartExecution', resource: machine }];
  if (sync) {
    // An execution's ARN names the state machine without a version or alias.
    const m = /^(arn:[^:]+:states:[^:]*:[^:]*):stateMachine:([^:]+)/.exec(machine);
    const name = str(p, 'Name') ?? '*';
    if (m) {
      const execution = `${m[1] as string}:execution:${m[2] as string}:${name}`;
      permissions.push({ action: 'states:DescribeExecution', resource: execution }, { action: 'states:StopExecution', resource: execution });
    }
    const rule = `arn:aws:events:${site.region}:${site.account}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule`;
    for (const a of ['events:PutTargets', 'events:PutRule', 'events:DescribeRule']) permissions.push({ action: a, resource: rule });
  }
  return { service: 'sfn', style: 'v1', permissions };
}

function busArn(ref: string | undefined, site: CallSite): string {
  if (ref !== undefined && ref.startsWith('arn:')) return ref;
  return `arn:aws:events:${site.region}:${site.account}:event-bus/${ref ?? 'default'}`;
}

function putEvents(p: JsonObject, site: CallSite): Permission[] {
  const entries = Array.isArray(p['Entries']) ? p['Entries'] : [];
  const buses = new Set(entries.map((e) => busArn(isObject(e) ? str(e, 'EventBusName') : undefined, site)));
  if (buses.size === 0) buses.add(busArn(undefined, site));
  return [...buses].map((resource) => ({ action: 'events:PutEvents', resource }));
}

function httpInvoke(p: JsonObject, site: CallSite): RequiredPermissions | undefined {
  if (site.stateMachineArn === undefined) return undefined;
  const context: Record<string, string> = {};
  const endpoint = str(p, 'ApiEndpoint');
  const method = str(p, 'Method');
  if (endpoint !== undefined) context['states:HTTPEndpoint'] = endpoint;
  if (method !== undefined) context['states:HTTPMethod'] = method;
  const permissions: Permission[] = [{ action: 'states:InvokeHTTPEndpoint', resource: site.stateMachineArn, context }];
  const auth = p['Authentication'];
  const connection = isObject(auth) ? str(auth, 'ConnectionArn') : undefined;
  if (connection !== undefined) permissions.push({ action: 'events:RetrieveConnectionCredentials', resource: connection });
  return { service: 'http', style: 'v1', permissions };
}

/** The IAM service prefix of an aws-sdk integration's service, where the SDK's name differs. */
const IAM_PREFIX: Readonly<Record<string, string>> = {
  sfn: 'states',
  eventbridge: 'events',
  cloudwatchlogs: 'logs',
  sesv2: 'ses',
  efs: 'elasticfilesystem',
  emr: 'elasticmapreduce',
  elasticloadbalancingv2: 'elasticloadbalancing',
};

function sdkPermissions(service: string, action: string, p: JsonObject, site: CallSite): Permission[] | undefined {
  const iamAction = `${IAM_PREFIX[service] ?? service}:${pascal(action)}`;
  switch (service) {
    case 'lambda': {
      const fn = functionArn(p, site);
      return [{ action: action === 'invoke' ? 'lambda:InvokeFunction' : iamAction, resource: fn ?? '*' }];
    }
    case 'dynamodb':
      return dynamoDbPermissions(action, p, site);
    case 's3':
      return s3Permissions(action, p);
    case 'sns': {
      const topic = str(p, 'TopicArn') ?? str(p, 'TargetArn') ?? subscriptionTopic(str(p, 'SubscriptionArn'));
      if (action === 'createTopic') {
        const name = str(p, 'Name');
        return name === undefined ? undefined : [{ action: iamAction, resource: `arn:aws:sns:${site.region}:${site.account}:${name}` }];
      }
      return [{ action: iamAction, resource: topic ?? str(p, 'PhoneNumber') ?? '*' }];
    }
    case 'sfn': {
      const target = str(p, 'StateMachineArn') ?? str(p, 'ExecutionArn') ?? str(p, 'ActivityArn') ?? str(p, 'MapRunArn') ?? str(p, 'ResourceArn');
      return [{ action: iamAction, resource: target ?? '*' }];
    }
    case 'eventbridge':
      return action === 'putEvents' ? putEvents(p, site) : [{ action: iamAction, resource: '*' }];
    case 'sqs': {
      const url = str(p, 'QueueUrl');
      const m = url === undefined ? null : /^https?:\/\/[^/]+\/(\d{12})\/([^/?]+)/.exec(url);
      return [{ action: iamAction, resource: m ? `arn:aws:sqs:${site.region}:${m[1] as string}:${m[2] as string}` : '*' }];
    }
    default:
      return [{ action: iamAction, resource: '*' }];
  }
}

function subscriptionTopic(arn: string | undefined): string | undefined {
  return arn === undefined ? undefined : arn.split(':').slice(0, 6).join(':');
}

const TRANSACT_ACTIONS: Readonly<Record<string, string>> = { Put: 'dynamodb:PutItem', Update: 'dynamodb:UpdateItem', Delete: 'dynamodb:DeleteItem', ConditionCheck: 'dynamodb:ConditionCheckItem', Get: 'dynamodb:GetItem' };

function dynamoDbPermissions(action: string, p: JsonObject, site: CallSite): Permission[] | undefined {
  const iamAction = `dynamodb:${pascal(action)}`;
  if (action === 'batchGetItem' || action === 'batchWriteItem') {
    const items = p['RequestItems'];
    if (!isObject(items)) return undefined;
    return Object.keys(items).map((t) => ({ action: iamAction, resource: tableArn(t, site) as string }));
  }
  if (action === 'transactWriteItems' || action === 'transactGetItems') {
    const items = p['TransactItems'];
    if (!Array.isArray(items)) return undefined;
    const out: Permission[] = [];
    for (const item of items) {
      if (!isObject(item)) continue;
      for (const [kind, op] of Object.entries(item)) {
        const table = isObject(op) ? tableArn(str(op, 'TableName'), site) : undefined;
        if (table !== undefined && TRANSACT_ACTIONS[kind]) out.push({ action: TRANSACT_ACTIONS[kind] as string, resource: table });
      }
    }
    return out;
  }
  if (action === 'listTables') return [{ action: iamAction, resource: `arn:aws:dynamodb:${site.region}:${site.account}:table/*` }];
  const table = tableArn(str(p, 'TableName'), site, str(p, 'IndexName'));
  return table === undefined ? undefined : [{ action: iamAction, resource: table }];
}

/** S3's API actions whose IAM action has another name, and whether they act on the bucket or an object. */
const S3_ACTIONS: Readonly<Record<string, { actions: string[]; on: 'bucket' | 'object' | 'account' }>> = {
  headObject: { actions: ['s3:GetObject'], on: 'object' },
  getObjectAttributes: { actions: ['s3:GetObject', 's3:GetObjectAttributes'], on: 'object' },
  listObjects: { actions: ['s3:ListBucket'], on: 'bucket' },
  listObjectsV2: { actions: ['s3:ListBucket'], on: 'bucket' },
  listObjectVersions: { actions: ['s3:ListBucketVersions'], on: 'bucket' },
  headBucket: { actions: ['s3:ListBucket'], on: 'bucket' },
  listBuckets: { actions: ['s3:ListAllMyBuckets'], on: 'account' },
  listMultipartUploads: { actions: ['s3:ListBucketMultipartUploads'], on: 'bucket' },
  createMultipartUpload: { actions: ['s3:PutObject'], on: 'object' },
  uploadPart: { actions: ['s3:PutObject'], on: 'object' },
  completeMultipartUpload: { actions: ['s3:PutObject'], on: 'object' },
  abortMultipartUpload: { actions: ['s3:AbortMultipartUpload'], on: 'object' },
  listParts: { actions: ['s3:ListMultipartUploadParts'], on: 'object' },
};

function s3Permissions(action: string, p: JsonObject): Permission[] | undefined {
  if (action === 'listBuckets') return [{ action: 's3:ListAllMyBuckets', resource: '*' }];
  const bucket = str(p, 'Bucket');
  if (bucket === undefined) return undefined;
  const bucketArn = `arn:aws:s3:::${bucket}`;
  const key = str(p, 'Key');
  if (action === 'deleteObjects') {
    const del = p['Delete'];
    const objects = isObject(del) && Array.isArray(del['Objects']) ? del['Objects'] : [];
    return objects.flatMap((o) => (isObject(o) && str(o, 'Key') !== undefined ? [{ action: 's3:DeleteObject', resource: `${bucketArn}/${str(o, 'Key') as string}` }] : []));
  }
  if (action === 'copyObject') {
    if (key === undefined) return undefined;
    const out: Permission[] = [];
    const source = copySource(str(p, 'CopySource'));
    if (source !== undefined) out.push({ action: 's3:GetObject', resource: `arn:aws:s3:::${source}` });
    out.push({ action: 's3:PutObject', resource: `${bucketArn}/${key}` });
    return out;
  }
  const known = S3_ACTIONS[action];
  const on = known?.on ?? (key !== undefined ? 'object' : 'bucket');
  if (on === 'object' && key === undefined) return undefined;
  const resource = on === 'object' ? `${bucketArn}/${key as string}` : bucketArn;
  return (known?.actions ?? [`s3:${pascal(action)}`]).map((a) => ({ action: a, resource }));
}

/** CopySource `bucket/key` (or `/bucket/key`, URL-encoded, with an optional `?versionId=`) as `bucket/key`. */
function copySource(source: string | undefined): string | undefined {
  if (source === undefined) return undefined;
  const path = source.replace(/^\//, '').split('?')[0] as string;
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
