/**
 * The bucket operations (CreateBucket, HeadBucket, DeleteBucket, ListBuckets, GetBucketLocation,
 * ListObjectsV2, ListObjects, Put/GetBucketNotificationConfiguration): SDK-shaped input in,
 * SDK-shaped output out, S3's errors thrown.
 */
import { createHash, randomUUID } from 'node:crypto';
import { bucketNameProblem, isS3EventType, scopesOverlap } from '../../lib/s3-rules.js';
import type { S3Context } from './context.js';
import { S3Error, s3Errors } from './errors.js';
import { optInteger, optList, optObject, optString, refuseUnknown, reqString, type S3Input, type S3Output } from './input.js';
import { afterMarker, afterToken, continuationToken, listKeys, type ListPage } from './listing.js';
import type { BucketDoc, NotificationRule, ObjectDoc } from './objects.js';

/** The canonical user id S3 shows as the owner of everything (64 hex digits, from the account). */
export function ownerId(account: string): string {
  return createHash('sha256').update(`stepwise-owner:${account}`).digest('hex');
}

async function bucketOf(ctx: S3Context, input: S3Input): Promise<BucketDoc> {
  const bucket = await ctx.catalog.existingBucket(reqString(input, 'Bucket'));
  const owner = optString(input, 'ExpectedBucketOwner');
  if (owner !== undefined && owner !== ctx.account) throw new S3Error('AccessDenied', 'Access Denied', 403);
  return bucket;
}

export async function createBucket(ctx: S3Context, input: S3Input): Promise<S3Output> {
  refuseUnknown('CreateBucket', input, ['Bucket', 'CreateBucketConfiguration', 'ACL', 'ObjectOwnership']);
  const name = reqString(input, 'Bucket');
  if (bucketNameProblem(name)) throw s3Errors.invalidBucketName(name);
  const location = optString(optObject(input, 'CreateBucketConfiguration') ?? {}, 'LocationConstraint');
  if (location !== undefined && location !== '') {
    if (ctx.region === 'us-east-1' && location === 'us-east-1') throw new S3Error('InvalidLocationConstraint', 'The specified location-constraint is not valid', 400, { LocationConstraint: location });
    if (location !== ctx.region) {
      throw new S3Error('IllegalLocationConstraintException', `The ${location} location constraint is incompatible for the region specific endpoint this request was sent to.`, 400);
    }
  }
  const created = await ctx.catalog.createBucket({ Name: name, CreationDate: ctx.clock.now(), Region: ctx.region, Notifications: [] });
  // us-east-1 answers 200 again to its owner (legacy behaviour); the other regions refuse.
  if (!created && ctx.region !== 'us-east-1') throw s3Errors.bucketAlreadyOwnedByYou(name);
  return { Location: ctx.region === 'us-east-1' ? `/${name}` : `http://${name}.s3.amazonaws.com/` };
}

export async function headBucket(ctx: S3Context, input: S3Input): Promise<S3Output> {
  refuseUnknown('HeadBucket', input, ['Bucket', 'ExpectedBucketOwner']);
  const bucket = await bucketOf(ctx, input);
  return { BucketRegion: bucket.Region, AccessPointAlias: false };
}

export async function deleteBucket(ctx: S3Context, input: S3Input): Promise<S3Output> {
  refuseUnknown('DeleteBucket', input, ['Bucket', 'ExpectedBucketOwner']);
  const bucket = await bucketOf(ctx, input);
  await ctx.catalog.deleteBucket(bucket.Name);
  return {};
}

export async function getBucketLocation(ctx: S3Context, input: S3Input): Promise<S3Output> {
  refuseUnknown('GetBucketLocation', input, ['Bucket', 'ExpectedBucketOwner']);
  const bucket = await bucketOf(ctx, input);
  return bucket.Region === 'us-east-1' ? {} : { LocationConstraint: bucket.Region };
}

export async function listBuckets(ctx: S3Context, input: S3Input): Promise<S3Output> {
  refuseUnknown('ListBuckets', input, ['MaxBuckets', 'ContinuationToken', 'Prefix', 'BucketRegion']);
  const max = optInteger(input, 'MaxBuckets', 1);
  const prefix = optString(input, 'Prefix');
  const token = optString(input, 'ContinuationToken');
  const region = optString(input, 'BucketRegion');
  const after = token === undefined ? undefined : Buffer.from(token, 'base64').toString('utf8');
  const limit = Math.min(max ?? 10_000, 10_000);
  const page = await ctx.catalog.listBuckets({ ...(prefix !== undefined ? { prefix } : {}), ...(after !== undefined ? { after } : {}), limit: limit + 1 });
  const more = page.length > limit;
  const buckets = page.slice(0, limit).filter((b) => region === undefined || b.Region === region);
  const last = page[limit - 1];
  return {
    Buckets: buckets.map((b) => ({ Name: b.Name, CreationDate: new Date(Math.floor(b.CreationDate / 1000) * 1000), BucketRegion: b.Region })),
    Owner: { ID: ownerId(ctx.account) },
    ...(more && max !== undefined && last ? { ContinuationToken: Buffer.from(last.Name, 'utf8').toString('base64') } : {}),
    ...(prefix !== undefined ? { Prefix: prefix } : {}),
  };
}

function objectEntry(o: ObjectDoc, owner: string | undefined): S3Output {
  const checksums = Object.keys(o.Checksums ?? {});
  return {
    Key: o.Key,
    LastModified: new Date(o.LastModified),
    ETag: o.ETag,
    ...(checksums.length ? { ChecksumAlgorithm: checksums, ChecksumType: 'FULL_OBJECT' } : {}),
    Size: o.Size,
    StorageClass: o.StorageClass,
    ...(owner ? { Owner: { ID: owner } } : {}),
  };
}

function listingOutput(page: ListPage, owner: string | undefined): S3Output {
  return {
    ...(page.contents.length ? { Contents: page.contents.map((o) => objectEntry(o, owner)) } : {}),
    ...(page.commonPrefixes.length ? { CommonPrefixes: page.commonPrefixes.map((p) => ({ Prefix: p })) } : {}),
  };
}

function encodingOf(input: S3Input): string | undefined {
  const encoding = optString(input, 'EncodingType');
  if (encoding !== undefined && encoding !== 'url') throw s3Errors.invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', encoding);
  return encoding;
}

export async function listObjectsV2(ctx: S3Context, input: S3Input): Promise<S3Output> {
  refuseUnknown('ListObjectsV2', input, ['Bucket', 'ExpectedBucketOwner', 'Prefix', 'Delimiter', 'MaxKeys', 'StartAfter', 'ContinuationToken', 'EncodingType', 'FetchOwner']);
  const bucket = await bucketOf(ctx, input);
  const prefix = optString(input, 'Prefix') ?? '';
  const delimiter = optString(input, 'Delimiter');
  const maxKeys = Math.min(optInteger(input, 'MaxKeys') ?? 1000, 1000);
  const startAfter = optString(input, 'StartAfter');
  const token = optString(input, 'ContinuationToken');
  const encoding = encodingOf(input);
  const after = token !== undefined ? afterToken(token) : startAfter;
  const page = await listKeys(ctx.catalog, { bucket: bucket.Name, prefix, ...(delimiter !== undefined ? { delimiter } : {}), ...(after !== undefined ? { after } : {}), maxKeys });
  return {
    IsTruncated: page.truncated,
    ...listingOutput(page, input['FetchOwner'] === true || input['FetchOwner'] === 'true' ? ownerId(ctx.account) : undefined),
    Name: bucket.Name,
    Prefix: prefix,
    ...(delimiter !== undefined ? { Delimiter: delimiter } : {}),
    MaxKeys: maxKeys,
    ...(encoding !== undefined ? { EncodingType: encoding } : {}),
    KeyCount: page.contents.length + page.commonPrefixes.length,
    ...(token !== undefined ? { ContinuationToken: token } : {}),
    ...(page.truncated && page.last ? { NextContinuationToken: continuationToken(page.last) } : {}),
    ...(startAfter !== undefined ? { StartAfter: startAfter } : {}),
  };
}

export async function listObjects(ctx: S3Context, input: S3Input): Promise<S3Output> {
  refuseUnknown('ListObjects', input, ['Bucket', 'ExpectedBucketOwner', 'Prefix', 'Delimiter', 'MaxKeys', 'Marker', 'EncodingType']);
  const bucket = await bucketOf(ctx, input);
  const prefix = optString(input, 'Prefix') ?? '';
  const delimiter = optString(input, 'Delimiter');
  const maxKeys = Math.min(optInteger(input, 'MaxKeys') ?? 1000, 1000);
  const marker = optString(input, 'Marker');
  const encoding = encodingOf(input);
  const after = marker === undefined || marker === '' ? undefined : afterMarker(marker, delimiter);
  const page = await listKeys(ctx.catalog, { bucket: bucket.Name, prefix, ...(delimiter !== undefined ? { delimiter } : {}), ...(after !== undefined ? { after } : {}), maxKeys });
  return {
    IsTruncated: page.truncated,
    Marker: marker ?? '',
    // S3 returns NextMarker only with a delimiter; without one the last key is the next marker.
    ...(page.truncated && delimiter && page.last ? { NextMarker: page.last.value } : {}),
    ...listingOutput(page, ownerId(ctx.account)),
    Name: bucket.Name,
    Prefix: prefix,
    ...(delimiter !== undefined ? { Delimiter: delimiter } : {}),
    MaxKeys: maxKeys,
    ...(encoding !== undefined ? { EncodingType: encoding } : {}),
  };
}

const NOTIFICATION_KINDS = ['TopicConfigurations', 'QueueConfigurations', 'EventBridgeConfiguration'];

/** The Lambda configurations of a NotificationConfiguration, checked as S3 checks them. */
export function notificationRules(configuration: S3Input): NotificationRule[] {
  for (const kind of NOTIFICATION_KINDS) {
    const v = configuration[kind];
    if (v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0)) {
      throw s3Errors.notImplemented(`Stepwise sends bucket notifications to Lambda functions only, not ${kind.replace(/Configurations?$/, '')} destinations`);
    }
  }
  const rules: NotificationRule[] = [];
  for (const item of optList(configuration, 'LambdaFunctionConfigurations') ?? []) {
    const c = (typeof item === 'object' && item !== null ? item : {}) as S3Input;
    const arn = reqString(c, 'LambdaFunctionArn');
    if (!/^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]+)?$/.test(arn)) {
      throw s3Errors.invalidArgument('The ARN is not well formed', 'CloudFunction', arn);
    }
    const events = (optList(c, 'Events') ?? []).map(String);
    if (events.length === 0) throw s3Errors.invalidArgument('The notification configuration must name at least one event', 'Event', '');
    for (const e of events) if (!isS3EventType(e)) throw s3Errors.invalidArgument('The event is not supported for notifications', e, e);
    const rule: NotificationRule = { Id: optString(c, 'Id') ?? Buffer.from(randomUUID()).toString('base64').slice(0, 48), FunctionArn: arn, Events: events };
    const filterRules = optList(optObject(optObject(c, 'Filter') ?? {}, 'Key') ?? {}, 'FilterRules') ?? [];
    for (const fr of filterRules) {
      const r = (typeof fr === 'object' && fr !== null ? fr : {}) as S3Input;
      const name = reqString(r, 'Name').toLowerCase();
      const value = optString(r, 'Value') ?? '';
      if (name !== 'prefix' && name !== 'suffix') throw s3Errors.invalidArgument('filter rule name must be either prefix or suffix', 'FilterRule', name);
      const member = name === 'prefix' ? 'Prefix' : 'Suffix';
      if (rule[member] !== undefined) throw s3Errors.invalidArgument(`Cannot specify more than one ${name} rule in a filter.`, 'FilterRule', name);
      rule[member] = value;
    }
    rules.push(rule);
  }
  checkOverlaps(rules);
  return rules;
}

export function checkOverlaps(rules: readonly NotificationRule[]): void {
  for (let i = 0; i < rules.length; i++) {
    for (let j = i + 1; j < rules.length; j++) {
      const a = rules[i] as NotificationRule;
      const b = rules[j] as NotificationRule;
      if (a.Id === b.Id) throw s3Errors.invalidArgument('Configuration ids must be unique.', 'Id', a.Id);
      if (scopesOverlap({ events: a.Events, prefix: a.Prefix, suffix: a.Suffix }, { events: b.Events, prefix: b.Prefix, suffix: b.Suffix })) {
        throw s3Errors.invalidArgument('Configurations overlap. Configurations on the same bucket cannot share a common event type.', 'Event', b.Events.join(','));
      }
    }
  }
}

export async function putBucketNotificationConfiguration(ctx: S3Context, input: S3Input): Promise<S3Output> {
  refuseUnknown('PutBucketNotificationConfiguration', input, ['Bucket', 'ExpectedBucketOwner', 'NotificationConfiguration', 'SkipDestinationValidation']);
  const bucket = await bucketOf(ctx, input);
  const configuration = optObject(input, 'NotificationConfiguration');
  if (!configuration) throw new S3Error('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
  await ctx.catalog.setNotifications(bucket.Name, notificationRules(configuration));
  return {};
}

export async function getBucketNotificationConfiguration(ctx: S3Context, input: S3Input): Promise<S3Output> {
  refuseUnknown('GetBucketNotificationConfiguration', input, ['Bucket', 'ExpectedBucketOwner']);
  const bucket = await bucketOf(ctx, input);
  const rules = bucket.Notifications ?? [];
  if (rules.length === 0) return {};
  return {
    LambdaFunctionConfigurations: rules.map((r) => {
      const filter = [...(r.Prefix !== undefined ? [{ Name: 'Prefix', Value: r.Prefix }] : []), ...(r.Suffix !== undefined ? [{ Name: 'Suffix', Value: r.Suffix }] : [])];
      return { Id: r.Id, LambdaFunctionArn: r.FunctionArn, Events: r.Events, ...(filter.length ? { Filter: { Key: { FilterRules: filter } } } : {}) };
    }),
  };
}
