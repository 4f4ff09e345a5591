/**
 * S3's REST API from the response side: each operation's output as S3 writes it (status, headers,
 * XML in S3's namespace), and errors as S3's `<Error>` document (none for HEAD and 304).
 */
import type { S3Error } from './errors.js';
import type { S3Output } from './input.js';
import { eventKey } from './notifications.js';
import { el, xmlDocument, type XmlNode } from './xml.js';

export interface S3HttpResponse {
  status: number;
  headers: Record<string, string>;
  body?: Uint8Array | string;
}

const XML = 'application/xml';

function iso(d: unknown): string | undefined {
  return d instanceof Date ? d.toISOString() : undefined;
}

function httpDate(d: unknown): string | undefined {
  return d instanceof Date ? d.toUTCString() : undefined;
}

/** A header value: non-ASCII text as RFC 2047 encoded-word, as S3 returns user metadata. */
function headerValue(v: string): string {
  return /^[\x20-\x7e\t]*$/.test(v) ? v : `=?UTF-8?B?${Buffer.from(v, 'utf8').toString('base64')}?=`;
}

function xml(root: XmlNode, headers: Record<string, string> = {}, status = 200): S3HttpResponse {
  return { status, headers: { 'content-type': XML, ...headers }, body: xmlDocument(root) };
}

const list = (v: unknown): S3Output[] => (Array.isArray(v) ? (v as S3Output[]) : []);
const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));

function objectEntries(out: S3Output, encode: (s: string) => string): XmlNode[] {
  return list(out['Contents']).map((o) =>
    el('Contents', [
      el('Key', encode(String(o['Key']))),
      el('LastModified', iso(o['LastModified'])),
      el('ETag', str(o['ETag'])),
      ...(Array.isArray(o['ChecksumAlgorithm']) ? (o['ChecksumAlgorithm'] as string[]).map((a) => el('ChecksumAlgorithm', a)) : []),
      el('ChecksumType', str(o['ChecksumType'])),
      el('Size', str(o['Size'])),
      ...(o['Owner'] ? [el('Owner', [el('ID', str((o['Owner'] as S3Output)['ID']))])] : []),
      el('StorageClass', str(o['StorageClass'])),
    ]),
  );
}

function listBucketResult(out: S3Output, v2: boolean): S3HttpResponse {
  const encode = out['EncodingType'] === 'url' ? eventKey : (s: string) => s;
  const opt = (name: string, encoded = false) => el(name, out[name] === undefined ? undefined : encoded ? encode(String(out[name])) : String(out[name]));
  const head = v2
    ? [el('Name', str(out['Name'])), el('Prefix', encode(String(out['Prefix'] ?? ''))), opt('ContinuationToken'), opt('NextContinuationToken'), el('KeyCount', str(out['KeyCount'])), opt('MaxKeys'), opt('Delimiter', true), opt('EncodingType'), el('IsTruncated', str(out['IsTruncated'])), opt('StartAfter', true)]
    : [el('Name', str(out['Name'])), el('Prefix', encode(String(out['Prefix'] ?? ''))), el('Marker', encode(String(out['Marker'] ?? ''))), opt('NextMarker', true), opt('MaxKeys'), opt('Delimiter', true), opt('EncodingType'), el('IsTruncated', str(out['IsTruncated']))];
  const prefixes = list(out['CommonPrefixes']).map((p) => el('CommonPrefixes', [el('Prefix', encode(String(p['Prefix'])))]));
  return xml(el('ListBucketResult', [...head, ...objectEntries(out, encode), ...prefixes]));
}

/** The headers of GetObject and HeadObject. */
function objectHeaders(out: S3Output): Record<string, string> {
  const h: Record<string, string> = {};
  const set = (name: string, v: unknown) => {
    if (v !== undefined && v !== null) h[name] = headerValue(String(v));
  };
  set('accept-ranges', out['AcceptRanges']);
  set('last-modified', httpDate(out['LastModified']));
  set('content-length', out['ContentLength']);
  set('etag', out['ETag']);
  set('content-range', out['ContentRange']);
  set('content-type', out['ContentType']);
  set('cache-control', out['CacheControl']);
  set('content-disposition', out['ContentDisposition']);
  set('content-encoding', out['ContentEncoding']);
  set('content-language', out['ContentLanguage']);
  set('expires', out['Expires']);
  set('x-amz-server-side-encryption', out['ServerSideEncryption']);
  set('x-amz-storage-class', out['StorageClass']);
  set('x-amz-checksum-type', out['ChecksumType']);
  for (const a of ['CRC32', 'CRC32C', 'SHA1', 'SHA256']) set(`x-amz-checksum-${a.toLowerCase()}`, out[`Checksum${a}`]);
  for (const [k, v] of Object.entries((out['Metadata'] as Record<string, string> | undefined) ?? {})) set(`x-amz-meta-${k}`, v);
  return h;
}

function notificationDocument(out: S3Output): S3HttpResponse {
  const configurations = list(out['LambdaFunctionConfigurations']).map((c) => {
    const rules = list(((c['Filter'] as S3Output | undefined)?.['Key'] as S3Output | undefined)?.['FilterRules']);
    return el('CloudFunctionConfiguration', [
      el('Id', str(c['Id'])),
      el('CloudFunction', str(c['LambdaFunctionArn'])),
      ...(c['Events'] as string[]).map((e) => el('Event', e)),
      ...(rules.length ? [el('Filter', [el('S3Key', rules.map((r) => el('FilterRule', [el('Name', str(r['Name'])), el('Value', str(r['Value']) ?? '')])))])] : []),
    ]);
  });
  return xml(el('NotificationConfiguration', configurations));
}

/** An operation's output as S3's HTTP response. */
export function httpResponse(operation: string, out: S3Output, overrides: Record<string, string> = {}): S3HttpResponse {
  switch (operation) {
    case 'ListBuckets': {
      const owner = out['Owner'] as S3Output;
      const buckets = list(out['Buckets']).map((b) => el('Bucket', [el('Name', str(b['Name'])), el('CreationDate', iso(b['CreationDate'])), el('BucketRegion', str(b['BucketRegion']))]));
      return xml(el('ListAllMyBucketsResult', [el('Owner', [el('ID', str(owner['ID']))]), el('Buckets', buckets), el('ContinuationToken', str(out['ContinuationToken'])), el('Prefix', str(out['Prefix']))]));
    }
    case 'CreateBucket':
      return { status: 200, headers: { location: String(out['Location']) } };
    case 'HeadBucket':
      return { status: 200, headers: { 'x-amz-bucket-region': String(out['BucketRegion']), 'x-amz-access-point-alias': 'false' } };
    case 'DeleteBucket':
    case 'DeleteObject':
      return { status: 204, headers: {} };
    case 'GetBucketLocation':
      return xml(el('LocationConstraint', str(out['LocationConstraint']) ?? ''));
    case 'ListObjectsV2':
      return listBucketResult(out, true);
    case 'ListObjects':
      return listBucketResult(out, false);
    case 'PutBucketNotificationConfiguration':
      return { status: 200, headers: {} };
    case 'GetBucketNotificationConfiguration':
      return notificationDocument(out);
    case 'PutObject': {
      const h: Record<string, string> = { etag: String(out['ETag']), 'x-amz-server-side-encryption': String(out['ServerSideEncryption']) };
      for (const a of ['CRC32', 'CRC32C', 'SHA1', 'SHA256']) if (out[`Checksum${a}`] !== undefined) h[`x-amz-checksum-${a.toLowerCase()}`] = String(out[`Checksum${a}`]);
      if (out['ChecksumType'] !== undefined) h['x-amz-checksum-type'] = String(out['ChecksumType']);
      return { status: 200, headers: h };
    }
    case 'GetObject':
    case 'HeadObject': {
      const headers = { ...objectHeaders(out), ...Object.fromEntries(Object.entries(overrides).map(([k, v]) => [k, headerValue(v)])) };
      const status = out['ContentRange'] !== undefined ? 206 : 200;
      return operation === 'GetObject' ? { status, headers, body: out['Body'] as Uint8Array } : { status, headers };
    }
    case 'DeleteObjects': {
      const deleted = list(out['Deleted']).map((d) => el('Deleted', [el('Key', str(d['Key']))]));
      const errors = list(out['Errors']).map((e) => el('Error', [el('Key', str(e['Key'])), el('Code', str(e['Code'])), el('Message', str(e['Message']))]));
      return xml(el('DeleteResult', [...deleted, ...errors]));
    }
    case 'CopyObject': {
      const r = out['CopyObjectResult'] as S3Output;
      const checksums = ['CRC32', 'CRC32C', 'SHA1', 'SHA256'].map((a) => el(`Checksum${a}`, str(r[`Checksum${a}`])));
      return xml(el('CopyObjectResult', [el('LastModified', iso(r['LastModified'])), el('ETag', str(r['ETag'])), ...checksums]), { 'x-amz-server-side-encryption': String(out['ServerSideEncryption']) });
    }
    case 'CreateMultipartUpload':
      return xml(el('InitiateMultipartUploadResult', [el('Bucket', str(out['Bucket'])), el('Key', str(out['Key'])), el('UploadId', str(out['UploadId']))]), { 'x-amz-server-side-encryption': 'AES256' });
    case 'UploadPart':
      return { status: 200, headers: { etag: String(out['ETag']), 'x-amz-server-side-encryption': 'AES256' } };
    case 'CompleteMultipartUpload':
      return xml(el('CompleteMultipartUploadResult', [el('Location', str(out['Location'])), el('Bucket', str(out['Bucket'])), el('Key', str(out['Key'])), el('ETag', str(out['ETag']))]), { 'x-amz-server-side-encryption': 'AES256' });
    case 'AbortMultipartUpload':
      return { status: 204, headers: {} };
    default:
      throw new Error(`no REST serialisation for ${operation}`);
  }
}

/** An error as S3 answers it: the `<Error>` document, or no body for HEAD and 304. */
export function errorResponse(e: S3Error, method: string, requestId: string, hostId: string): S3HttpResponse {
  if (method === 'HEAD' || e.status === 304) return { status: e.status, headers: {} };
  const members = Object.entries(e.members).map(([k, v]) => el(k, v));
  const doc = xmlDocument(el('Error', [el('Code', e.code), el('Message', e.message), ...members, el('RequestId', requestId), el('HostId', hostId)]), false);
  return { status: e.status, headers: { 'content-type': XML }, body: doc };
}
