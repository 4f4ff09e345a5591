/**
 * The S3 REST API's place at the edge: every request that is not the JSON APIs' `POST /`, nor
 * /health or /metrics, is an S3 path-style request. Its body is read up to the S3 limit (larger
 * than the JSON APIs' 1 MiB), its SigV4 signature is verified as S3 signs (sigv4.ts: service
 * `s3`, unsigned and aws-chunked payloads), and it goes to the injected handler. Refusals before
 * the handler are written as S3 writes errors (`<Error><Code>…`), with S3's codes.
 */
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { randomBytes } from 'node:crypto';
import type { SigV4Verifier } from './sigv4.js';
import { ApiError } from './wire.js';

export interface S3ApiRequest {
  method: string;
  /** As sent (percent-encoded), without the query. */
  path: string;
  query: URLSearchParams;
  /** Names in lower case; an aws-chunked body's trailing headers (checksums) are among them. */
  headers: Map<string, string>;
  /** Decoded when it was sent aws-chunked. */
  body: Uint8Array;
  accessKeyId: string;
  sourceIp?: string;
}

export interface S3ApiResponse {
  status: number;
  headers: Record<string, string>;
  body?: Uint8Array | string;
}

/** A handler of S3's REST API (path-style). */
export interface S3Api {
  /** The largest object it stores: bodies are read up to this (plus aws-chunked framing). Default 16 MiB. */
  maxBodyBytes?: number;
  handle(req: S3ApiRequest): Promise<S3ApiResponse>;
}

export const DEFAULT_S3_BODY_BYTES = 16 * 1024 * 1024;

const S3_MESSAGES: Readonly<Record<string, [string, string, number]>> = {
  MissingAuthenticationTokenException: ['AccessDenied', 'Access Denied', 403],
  UnrecognizedClientException: ['InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', 403],
};

/** A verification refusal under S3's name. */
function asS3(e: ApiError): { code: string; message: string; status: number } {
  const known = S3_MESSAGES[e.code];
  if (known) return { code: known[0], message: known[1], status: known[2] };
  if (e.code === 'IncompleteSignatureException') return { code: 'AuthorizationHeaderMalformed', message: e.message, status: 400 };
  if (e.code === 'InvalidSignatureException') {
    if (/^Signature (expired|not yet current)/.test(e.message)) return { code: 'RequestTimeTooSkewed', message: 'The difference between the request time and the current time is too large.', status: 403 };
    if (/^Presigned/.test(e.message)) return { code: 'NotImplemented', message: 'Stepwise does not accept presigned URLs (query-string authentication)', status: 501 };
    return { code: 'SignatureDoesNotMatch', message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', status: 403 };
  }
  return { code: e.code, message: e.message, status: e.status };
}

function errorXml(code: string, message: string, extra: Record<string, string>, requestId: string, hostId: string): string {
  const esc = (t: string) => t.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const members = Object.entries(extra).map(([k, v]) => `<${k}>${esc(v)}</${k}>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${esc(message)}</Message>${members}<RequestId>${requestId}</RequestId><HostId>${hostId}</HostId></Error>`;
}

function refusal(method: string, code: string, message: string, status: number, extra: Record<string, string> = {}): Response {
  const requestId = randomBytes(8).toString('hex').toUpperCase();
  const hostId = randomBytes(48).toString('base64');
  const headers = { 'content-type': 'application/xml', 'x-amz-request-id': requestId, 'x-amz-id-2': hostId, server: 'AmazonS3' };
  return new Response(method === 'HEAD' ? null : errorXml(code, message, extra, requestId, hostId), { status, headers });
}

/** Reads a body, giving up as soon as it passes `max` bytes. */
async function readBody(c: Context, max: number): Promise<Uint8Array | undefined> {
  const stream = c.req.raw.body;
  if (!stream) return new Uint8Array(0);
  const parts: Uint8Array[] = [];
  let size = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return undefined;
    }
    parts.push(value);
  }
  return Buffer.concat(parts);
}

/** The Hono handler for S3 requests. */
export function s3Handler(api: S3Api, verifier: SigV4Verifier, onError: (err: unknown) => void): (c: Context) => Promise<Response> {
  const maxObject = api.maxBodyBytes ?? DEFAULT_S3_BODY_BYTES;
  // aws-chunked framing adds about 90 bytes per chunk (64 KiB each with the SDKs) and the trailer.
  const maxRaw = maxObject + Math.ceil(maxObject / 512) + 64 * 1024;
  return async (c) => {
    const method = c.req.method;
    try {
      const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
      // The raw request target: the URL Hono builds may have normalised `.` and `..` segments of a key.
      const target = incoming?.url ?? c.req.url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '');
      const q = target.indexOf('?');
      const path = q < 0 ? target || '/' : target.slice(0, q) || '/';
      const query = new URLSearchParams(q < 0 ? '' : target.slice(q + 1));
      const headers = new Map<string, string>();
      c.req.raw.headers.forEach((value, name) => headers.set(name.toLowerCase(), value));
      const declared = Number(headers.get('x-amz-decoded-content-length') ?? headers.get('content-length') ?? '0');
      if (declared > maxObject) return refusal(method, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', 400, { ProposedSize: String(declared), MaxSizeAllowed: String(maxObject) });
      const raw = await readBody(c, maxRaw);
      if (!raw) return refusal(method, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', 400, { MaxSizeAllowed: String(maxObject) });
      const verified = await verifier.verifyS3({ method, path, query, headers, body: raw });
      for (const [name, value] of verified.trailers) headers.set(name, value);
      const res = await api.handle({ method, path, query, headers, body: verified.body, accessKeyId: verified.accessKeyId, ...(incoming?.socket?.remoteAddress ? { sourceIp: incoming.socket.remoteAddress } : {}) });
      const bodyless = method === 'HEAD' || res.status === 204 || res.status === 304;
      return new Response(bodyless ? null : (res.body ?? null), { status: res.status, headers: res.headers });
    } catch (err) {
      if (!(err instanceof ApiError)) {
        onError(err);
        return refusal(method, 'InternalError', 'We encountered an internal error. Please try again.', 500);
      }
      const e = asS3(err);
      return refusal(method, e.code, e.message, e.status);
    }
  };
}
