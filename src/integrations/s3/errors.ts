/**
 * S3's errors: a code, S3's message, the HTTP status, and the extra members S3 writes into the
 * `<Error>` document (Key, BucketName, ...). Both edges throw these: the REST API writes them as
 * XML, Task states turn them into `S3.<Code>Exception` (task-integration.ts).
 */
import { randomBytes } from 'node:crypto';

export class S3Error extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    /** Further members of the `<Error>` document, in S3's order. */
    readonly members: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = code;
  }
}

export const s3Errors = {
  noSuchBucket: (bucket: string) => new S3Error('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: bucket }),
  noSuchKey: (key: string) => new S3Error('NoSuchKey', 'The specified key does not exist.', 404, { Key: key }),
  bucketNotEmpty: (bucket: string) => new S3Error('BucketNotEmpty', 'The bucket you tried to delete is not empty', 409, { BucketName: bucket }),
  bucketAlreadyOwnedByYou: (bucket: string) =>
    new S3Error('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', 409, { BucketName: bucket }),
  invalidBucketName: (bucket: string) => new S3Error('InvalidBucketName', 'The specified bucket is not valid.', 400, { BucketName: bucket }),
  entityTooLarge: (size: number, max: number) =>
    new S3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', 400, { ProposedSize: String(size), MaxSizeAllowed: String(max) }),
  keyTooLong: (size: number) => new S3Error('KeyTooLongError', 'Your key is too long', 400, { Size: String(size), MaxSizeAllowed: '1024' }),
  invalidArgument: (message: string, name?: string, value?: string) =>
    new S3Error('InvalidArgument', message, 400, name === undefined ? {} : { ArgumentName: name, ArgumentValue: value ?? '' }),
  invalidRequest: (message: string) => new S3Error('InvalidRequest', message, 400),
  preconditionFailed: (condition: string) => new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, { Condition: condition }),
  notModified: () => new S3Error('NotModified', 'Not Modified', 304),
  invalidRange: (size: number) => new S3Error('InvalidRange', 'The requested range is not satisfiable', 416, { ActualObjectSize: String(size) }),
  badDigest: (algorithm: string) =>
    new S3Error('BadDigest', algorithm === 'Content-MD5' ? 'The Content-MD5 you specified did not match what we received.' : `The ${algorithm} you specified did not match the calculated checksum.`, 400),
  invalidDigest: () => new S3Error('InvalidDigest', 'The Content-MD5 you specified was not valid.', 400),
  notImplemented: (what: string) => new S3Error('NotImplemented', `A header you provided implies functionality that is not implemented: ${what}`, 501),
  methodNotAllowed: (method: string, resourceType: 'SERVICE' | 'BUCKET' | 'OBJECT') =>
    new S3Error('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405, { Method: method, ResourceType: resourceType }),
  invalidUri: (uri: string) => new S3Error('InvalidURI', "Couldn't parse the specified URI.", 400, { URI: uri }),
  missingContentLength: () => new S3Error('MissingContentLength', 'You must provide the Content-Length HTTP header.', 411),
};

/** A request id like S3's (`x-amz-request-id`): 16 hexadecimal digits, upper case. */
export function s3RequestId(): string {
  return randomBytes(8).toString('hex').toUpperCase();
}

/** An extended request id like S3's (`x-amz-id-2`). */
export function s3HostId(): string {
  return randomBytes(48).toString('base64');
}
