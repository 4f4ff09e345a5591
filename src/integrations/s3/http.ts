/**
 * S3's REST API (path-style) over the local buckets, as a handler the API edge routes to: a
 * request (method, raw path, query, headers, body; its SigV4 signature already verified by the
 * edge) in, S3's response out. Every answer carries `x-amz-request-id` and `x-amz-id-2`.
 */
import { S3Error, s3HostId, s3RequestId } from './errors.js';
import type { LocalS3 } from './local-s3.js';
import { route, type S3HttpRequest } from './rest-request.js';
import { errorResponse, httpResponse, type S3HttpResponse } from './rest-response.js';

export type { S3HttpRequest } from './rest-request.js';
export type { S3HttpResponse } from './rest-response.js';

export async function handleS3Request(s3: LocalS3, req: S3HttpRequest, onError: (err: unknown) => void = reportUnexpected): Promise<S3HttpResponse> {
  const requestId = s3RequestId();
  const hostId = s3HostId();
  const ids = { 'x-amz-request-id': requestId, 'x-amz-id-2': hostId, server: 'AmazonS3' };
  try {
    const { operation, input, overrides } = route(req);
    const out = await s3.call(operation, input, {
      ...(req.accessKeyId !== undefined ? { principalId: `AWS:${req.accessKeyId}` } : {}),
      ...(req.sourceIp !== undefined ? { sourceIp: req.sourceIp } : {}),
      requestId,
      hostId,
    });
    const res = httpResponse(operation, out, overrides);
    return { ...res, headers: { ...res.headers, ...ids } };
  } catch (err) {
    if (!(err instanceof S3Error)) onError(err);
    const e = err instanceof S3Error ? err : new S3Error('InternalError', 'We encountered an internal error. Please try again.', 500);
    const res = errorResponse(e, req.method, requestId, hostId);
    return { ...res, headers: { ...res.headers, ...ids } };
  }
}

function reportUnexpected(err: unknown): void {
  console.error('stepwise s3 api: unexpected error:', err);
}

/** The handler in the shape the API edge takes (`ApiOptions.s3`). */
export function s3HttpHandler(s3: LocalS3, onError?: (err: unknown) => void): { maxBodyBytes: number; handle(req: S3HttpRequest): Promise<S3HttpResponse> } {
  return { maxBodyBytes: s3.maxObjectBytes, handle: (req) => handleS3Request(s3, req, onError) };
}
