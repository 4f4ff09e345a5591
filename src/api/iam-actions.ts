/**
 * What an API request does, as IAM names it: the action and the resource ARNs, for the requests a
 * local function with a role of its own makes (FunctionIdentities). JSON APIs by operation and
 * body; S3's REST API by method, path and query.
 */
import type { JsonObject } from '../lib/json.js';

export interface IamRequest {
  action: string;
  resources: string[];
}

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';

export function dynamoDbAction(operation: string, body: JsonObject): IamRequest {
  const table = (name: unknown) => `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${String(name)}`;
  const items = body['RequestItems'];
  const resources = typeof body['TableName'] === 'string' ? [table(body['TableName'])] : items && typeof items === 'object' ? Object.keys(items).map(table) : [];
  return { action: `dynamodb:${operation}`, resources };
}

export function statesAction(operation: string, body: JsonObject): IamRequest {
  const arn = ['stateMachineArn', 'executionArn', 'activityArn', 'mapRunArn', 'resourceArn'].map((k) => body[k]).find((v) => typeof v === 'string');
  return { action: `states:${operation}`, resources: typeof arn === 'string' ? [arn] : [] };
}

export function snsAction(form: URLSearchParams): IamRequest {
  const arn = form.get('TopicArn') ?? form.get('TargetArn') ?? form.get('SubscriptionArn');
  return { action: `sns:${form.get('Action') ?? ''}`, resources: arn ? [arn] : [] };
}

/** S3's REST API, path-style: `/<bucket>/<key>`. */
export function s3Action(method: string, path: string, query: URLSearchParams, headers: Map<string, string>): IamRequest[] {
  const parts = path.replace(/^\//, '').split('/');
  const bucket = decodeURIComponent(parts[0] ?? '');
  const key = parts.slice(1).map((p) => decodeURIComponent(p)).join('/');
  const bucketArn = `arn:aws:s3:::${bucket}`;
  if (!bucket) return [{ action: 's3:ListAllMyBuckets', resources: ['*'] }];
  if (!key) {
    if (query.has('notification')) return [{ action: method === 'GET' ? 's3:GetBucketNotification' : 's3:PutBucketNotification', resources: [bucketArn] }];
    if (method === 'PUT') return [{ action: 's3:CreateBucket', resources: [bucketArn] }];
    if (method === 'DELETE') return [{ action: 's3:DeleteBucket', resources: [bucketArn] }];
    if (method === 'POST' && query.has('delete')) return [{ action: 's3:DeleteObject', resources: [`${bucketArn}/*`] }];
    return [{ action: 's3:ListBucket', resources: [bucketArn] }];
  }
  const objectArn = `${bucketArn}/${key}`;
  if (method === 'GET' || method === 'HEAD') return [{ action: 's3:GetObject', resources: [objectArn] }];
  if (method === 'DELETE') return [{ action: query.has('uploadId') ? 's3:AbortMultipartUpload' : 's3:DeleteObject', resources: [objectArn] }];
  const copy = headers.get('x-amz-copy-source');
  const out: IamRequest[] = [{ action: 's3:PutObject', resources: [objectArn] }];
  if (copy) {
    const source = decodeURIComponent(copy.replace(/^\//, '').split('?')[0] ?? '');
    out.push({ action: 's3:GetObject', resources: [`arn:aws:s3:::${source}`] });
  }
  return out;
}
