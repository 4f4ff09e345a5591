/**
 * S3's REST API, path-style, from the request side: which operation a request is (by method,
 * path `/`, `/<bucket>` or `/<bucket>/<key>`, and subresource), and its input in the SDK's shape
 * (from the path, the query, the headers and the XML body). What Stepwise does not implement is
 * refused with S3's NotImplemented, never ignored.
 */
import { S3Error, s3Errors } from './errors.js';
import type { S3Input } from './input.js';
import { child, childrenNamed, childText, parseXml, type XmlElement } from './xml.js';

export interface S3HttpRequest {
  method: string;
  /** The path as sent (percent-encoded), without the query. */
  path: string;
  query: URLSearchParams;
  /** Names in lower case. */
  headers: Map<string, string>;
  body: Uint8Array;
  /** The access key that signed the request. */
  accessKeyId?: string;
  sourceIp?: string;
}

export interface Routed {
  operation: string;
  input: S3Input;
  /** GetObject's response-* overrides of response headers. */
  overrides?: Record<string, string>;
}

/** Subresources of a bucket or an object that Stepwise does not serve. */
const UNSUPPORTED_SUBRESOURCES = [
  'accelerate', 'acl', 'analytics', 'attributes', 'cors', 'encryption', 'intelligent-tiering', 'inventory', 'legal-hold', 'lifecycle', 'logging',
  'metadataTable', 'metrics', 'object-lock', 'ownershipControls', 'policy', 'policyStatus', 'publicAccessBlock', 'replication',
  'requestPayment', 'restore', 'retention', 'select', 'session', 'tagging', 'torrent', 'versioning', 'versions', 'website',
];

/** Request headers that ask for what Stepwise does not do. */
const UNSUPPORTED_HEADERS = [
  'x-amz-tagging', 'x-amz-object-lock-', 'x-amz-server-side-encryption-customer-', 'x-amz-server-side-encryption-aws-kms-key-id',
  'x-amz-server-side-encryption-context', 'x-amz-website-redirect-location', 'x-amz-grant-', 'x-amz-copy-source-if-', 'x-amz-copy-source-range',
  'x-amz-write-offset-bytes', 'x-amz-copy-source-server-side-encryption-customer-', 'x-amz-bucket-object-lock-enabled',
];

const RESPONSE_OVERRIDES: Readonly<Record<string, string>> = {
  'response-content-type': 'content-type',
  'response-content-language': 'content-language',
  'response-expires': 'expires',
  'response-cache-control': 'cache-control',
  'response-content-disposition': 'content-disposition',
  'response-content-encoding': 'content-encoding',
};

function decode(segment: string, raw: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw s3Errors.invalidUri(raw);
  }
}

function text(body: Uint8Array): string {
  return new TextDecoder('utf-8').decode(body);
}

/** Which operation, on what. */
export function route(req: S3HttpRequest): Routed {
  const raw = req.path || '/';
  if (!raw.startsWith('/')) throw s3Errors.invalidUri(raw);
  const rest = raw.slice(1);
  const slash = rest.indexOf('/');
  const bucket = decode(slash < 0 ? rest : rest.slice(0, slash), raw);
  const key = slash < 0 ? '' : decode(rest.slice(slash + 1), raw);
  for (const [name] of req.headers) {
    const bad = UNSUPPORTED_HEADERS.find((h) => (h.endsWith('-') ? name.startsWith(h) : name === h));
    if (bad) throw s3Errors.notImplemented(`Stepwise does not support the header ${name}`);
  }
  const sub = UNSUPPORTED_SUBRESOURCES.find((s) => req.query.has(s)) ?? (key === '' && req.query.has('uploads') ? 'uploads' : undefined);
  if (sub) throw s3Errors.notImplemented(`Stepwise does not serve the ?${sub} subresource`);
  const owner = req.headers.get('x-amz-expected-bucket-owner');
  const common: S3Input = { ...(bucket ? { Bucket: bucket } : {}), ...(owner !== undefined ? { ExpectedBucketOwner: owner } : {}) };
  if (!bucket) return serviceRoute(req);
  return key === '' ? bucketRoute(req, common) : objectRoute(req, { ...common, Key: key });
}

function serviceRoute(req: S3HttpRequest): Routed {
  if (req.method !== 'GET') throw s3Errors.methodNotAllowed(req.method, 'SERVICE');
  const q = req.query;
  return {
    operation: 'ListBuckets',
    input: pick(q, { 'max-buckets': 'MaxBuckets', 'continuation-token': 'ContinuationToken', prefix: 'Prefix', 'bucket-region': 'BucketRegion' }),
  };
}

/** Query parameters renamed to input members (only those present). */
function pick(q: URLSearchParams, names: Record<string, string>): S3Input {
  const out: S3Input = {};
  for (const [param, member] of Object.entries(names)) {
    const v = q.get(param);
    if (v !== null) out[member] = v;
  }
  return out;
}

function bucketRoute(req: S3HttpRequest, common: S3Input): Routed {
  const q = req.query;
  switch (req.method) {
    case 'GET':
      if (q.has('location')) return { operation: 'GetBucketLocation', input: common };
      if (q.has('notification')) return { operation: 'GetBucketNotificationConfiguration', input: common };
      if (q.get('list-type') === '2') {
        const input = { ...common, ...pick(q, { prefix: 'Prefix', delimiter: 'Delimiter', 'max-keys': 'MaxKeys', 'start-after': 'StartAfter', 'continuation-token': 'ContinuationToken', 'encoding-type': 'EncodingType', 'fetch-owner': 'FetchOwner' }) };
        return { operation: 'ListObjectsV2', input };
      }
      return { operation: 'ListObjects', input: { ...common, ...pick(q, { prefix: 'Prefix', delimiter: 'Delimiter', 'max-keys': 'MaxKeys', marker: 'Marker', 'encoding-type': 'EncodingType' }) } };
    case 'PUT': {
      if (q.has('notification')) return { operation: 'PutBucketNotificationConfiguration', input: { ...common, NotificationConfiguration: notificationConfiguration(req.body) } };
      const input: S3Input = { ...common };
      const body = text(req.body).trim();
      if (body !== '') input['CreateBucketConfiguration'] = { LocationConstraint: childText(parseXml(body), 'LocationConstraint') ?? '' };
      const acl = req.headers.get('x-amz-acl');
      if (acl !== undefined) input['ACL'] = acl;
      const ownership = req.headers.get('x-amz-object-ownership');
      if (ownership !== undefined) input['ObjectOwnership'] = ownership;
      return { operation: 'CreateBucket', input };
    }
    case 'HEAD':
      return { operation: 'HeadBucket', input: common };
    case 'DELETE':
      return { operation: 'DeleteBucket', input: common };
    case 'POST':
      if (q.has('delete')) return { operation: 'DeleteObjects', input: { ...common, Delete: deleteRequest(req.body) } };
      throw s3Errors.methodNotAllowed(req.method, 'BUCKET');
    default:
      throw s3Errors.methodNotAllowed(req.method, 'BUCKET');
  }
}

/** Headers that become input members of PutObject and CopyObject. */
const OBJECT_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'ContentType',
  'cache-control': 'CacheControl',
  'content-disposition': 'ContentDisposition',
  'content-language': 'ContentLanguage',
  expires: 'Expires',
  'x-amz-storage-class': 'StorageClass',
  'x-amz-acl': 'ACL',
  'x-amz-server-side-encryption': 'ServerSideEncryption',
};

function objectHeaders(req: S3HttpRequest, input: S3Input): void {
  for (const [header, member] of Object.entries(OBJECT_HEADERS)) {
    const v = req.headers.get(header);
    if (v !== undefined) input[member] = v;
  }
  // aws-chunked is the transfer's encoding, not the object's (the edge has decoded it).
  const encoding = req.headers.get('content-encoding')?.split(',').map((e) => e.trim()).filter((e) => e && e !== 'aws-chunked').join(', ');
  if (encoding) input['ContentEncoding'] = encoding;
  const metadata: Record<string, string> = {};
  for (const [name, value] of req.headers) if (name.startsWith('x-amz-meta-')) metadata[name.slice('x-amz-meta-'.length)] = value;
  if (Object.keys(metadata).length) input['Metadata'] = metadata;
}

function objectRoute(req: S3HttpRequest, common: S3Input): Routed {
  const q = req.query;
  const version = q.get('versionId');
  if (version !== null && version !== 'null') throw s3Errors.notImplemented('Stepwise keeps no object versions (versionId)');
  const h = (name: string) => req.headers.get(name);
  const multipart = multipartRoute(req, common);
  if (multipart) return multipart;
  if (q.has('partNumber')) throw s3Errors.notImplemented('Stepwise does not serve objects by part number');
  switch (req.method) {
    case 'PUT': {
      const input: S3Input = { ...common };
      objectHeaders(req, input);
      const source = h('x-amz-copy-source');
      if (source !== undefined) {
        input['CopySource'] = source;
        const directive = h('x-amz-metadata-directive');
        if (directive !== undefined) input['MetadataDirective'] = directive;
        const checksum = h('x-amz-checksum-algorithm');
        if (checksum !== undefined) input['ChecksumAlgorithm'] = checksum;
        const tagging = h('x-amz-tagging-directive');
        if (tagging !== undefined && tagging !== 'COPY') throw s3Errors.notImplemented('Stepwise keeps no object tags (x-amz-tagging-directive)');
        return { operation: 'CopyObject', input };
      }
      input['Body'] = req.body;
      const md5 = h('content-md5');
      if (md5 !== undefined) input['ContentMD5'] = md5;
      for (const [header, value] of req.headers) {
        const m = /^x-amz-checksum-(crc32|crc32c|sha1|sha256|crc64nvme)$/.exec(header);
        if (m) input[`Checksum${(m[1] as string).toUpperCase()}`] = value;
      }
      const algorithm = h('x-amz-sdk-checksum-algorithm');
      if (algorithm !== undefined) input['ChecksumAlgorithm'] = algorithm;
      for (const [header, member] of [['if-none-match', 'IfNoneMatch'], ['if-match', 'IfMatch']] as const) {
        const v = h(header);
        if (v !== undefined) input[member] = v;
      }
      return { operation: 'PutObject', input };
    }
    case 'GET':
    case 'HEAD': {
      const input: S3Input = { ...common };
      for (const [header, member] of [['range', 'Range'], ['if-match', 'IfMatch'], ['if-none-match', 'IfNoneMatch'], ['if-modified-since', 'IfModifiedSince'], ['if-unmodified-since', 'IfUnmodifiedSince'], ['x-amz-checksum-mode', 'ChecksumMode']] as const) {
        const v = h(header);
        if (v !== undefined) input[member] = v;
      }
      const overrides: Record<string, string> = {};
      for (const [param, header] of Object.entries(RESPONSE_OVERRIDES)) {
        const v = q.get(param);
        if (v !== null) overrides[header] = v;
      }
      return { operation: req.method === 'GET' ? 'GetObject' : 'HeadObject', input, overrides };
    }
    case 'DELETE':
      return { operation: 'DeleteObject', input: common };
    default:
      throw s3Errors.methodNotAllowed(req.method, 'OBJECT');
  }
}

/** CreateMultipartUpload, UploadPart, CompleteMultipartUpload, AbortMultipartUpload (ListParts is not served). */
function multipartRoute(req: S3HttpRequest, common: S3Input): Routed | undefined {
  const q = req.query;
  if (req.method === 'POST' && q.has('uploads')) {
    const input: S3Input = { ...common };
    objectHeaders(req, input);
    for (const [header, member] of [['x-amz-checksum-algorithm', 'ChecksumAlgorithm'], ['x-amz-checksum-type', 'ChecksumType']] as const) {
      const v = req.headers.get(header);
      if (v !== undefined) input[member] = v;
    }
    return { operation: 'CreateMultipartUpload', input };
  }
  const uploadId = q.get('uploadId');
  if (uploadId === null) return undefined;
  const input: S3Input = { ...common, UploadId: uploadId };
  switch (req.method) {
    case 'PUT': {
      if (req.headers.has('x-amz-copy-source')) throw s3Errors.notImplemented('Stepwise does not copy parts (UploadPartCopy)');
      input['PartNumber'] = q.get('partNumber') ?? undefined;
      input['Body'] = req.body;
      const md5 = req.headers.get('content-md5');
      if (md5 !== undefined) input['ContentMD5'] = md5;
      return { operation: 'UploadPart', input };
    }
    case 'POST': {
      const root = parseXml(text(req.body));
      if (root.name !== 'CompleteMultipartUpload') throw malformed();
      input['MultipartUpload'] = { Parts: childrenNamed(root, 'Part').map((p) => ({ PartNumber: childText(p, 'PartNumber'), ETag: childText(p, 'ETag') })) };
      return { operation: 'CompleteMultipartUpload', input };
    }
    case 'DELETE':
      return { operation: 'AbortMultipartUpload', input };
    default:
      throw s3Errors.notImplemented('Stepwise does not list the parts of an upload (ListParts)');
  }
}

function deleteRequest(body: Uint8Array): S3Input {
  const root = parseXml(text(body));
  if (root.name !== 'Delete') throw malformed();
  const objects = childrenNamed(root, 'Object').map((o) => {
    const key = childText(o, 'Key');
    if (key === undefined) throw malformed();
    const version = childText(o, 'VersionId');
    if (version !== undefined && version !== 'null') throw s3Errors.notImplemented('Stepwise keeps no object versions (VersionId)');
    return { Key: key };
  });
  return { Objects: objects, Quiet: childText(root, 'Quiet') === 'true' };
}

function malformed(): S3Error {
  return new S3Error('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
}

/** A NotificationConfiguration document in the SDK's shape (CloudFunctionConfiguration → LambdaFunctionConfigurations). */
function notificationConfiguration(body: Uint8Array): S3Input {
  const source = text(body).trim();
  if (source === '') throw malformed();
  const root = parseXml(source);
  if (root.name !== 'NotificationConfiguration') throw malformed();
  const configurationOf = (c: XmlElement, target: string, member: string) => {
    const rules = childrenNamed(child(child(c, 'Filter') ?? { name: '', text: '', children: [] }, 'S3Key') ?? { name: '', text: '', children: [] }, 'FilterRule');
    const id = childText(c, 'Id');
    return {
      ...(id !== undefined ? { Id: id } : {}),
      [member]: childText(c, target) ?? '',
      Events: childrenNamed(c, 'Event').map((e) => e.text),
      ...(rules.length ? { Filter: { Key: { FilterRules: rules.map((r) => ({ Name: childText(r, 'Name') ?? '', Value: childText(r, 'Value') ?? '' })) } } } : {}),
    };
  };
  const out: S3Input = {};
  const lambdas = childrenNamed(root, 'CloudFunctionConfiguration').map((c) => configurationOf(c, 'CloudFunction', 'LambdaFunctionArn'));
  if (lambdas.length) out['LambdaFunctionConfigurations'] = lambdas;
  const topics = childrenNamed(root, 'TopicConfiguration');
  if (topics.length) out['TopicConfigurations'] = topics.map((c) => configurationOf(c, 'Topic', 'TopicArn'));
  const queues = childrenNamed(root, 'QueueConfiguration');
  if (queues.length) out['QueueConfigurations'] = queues.map((c) => configurationOf(c, 'Queue', 'QueueArn'));
  if (child(root, 'EventBridgeConfiguration')) out['EventBridgeConfiguration'] = {};
  return out;
}
