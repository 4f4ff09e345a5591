/**
 * A `POST /` request's body (at most `maxBody` bytes) and headers, its SigV4 signature verified.
 * Every JSON and Query protocol the server answers reads requests this way.
 */
import type { Context } from 'hono';
import type { SigV4Verifier } from './sigv4.js';
import { ApiError } from './wire.js';

export function tooLarge(max: number): ApiError {
  return new ApiError('RequestEntityTooLargeException', `Request size exceeds the limit of ${max} bytes.`);
}

export async function verifiedRequest(c: Context, verifier: SigV4Verifier, maxBody: number): Promise<{ body: Uint8Array; headers: Map<string, string>; accessKeyId: string }> {
  if (Number(c.req.header('content-length') ?? '0') > maxBody) throw tooLarge(maxBody);
  const body = new Uint8Array(await c.req.arrayBuffer());
  if (body.byteLength > maxBody) throw tooLarge(maxBody);
  // Not `new URL()`: a Host such as `sync-127.0.0.1` (the SDK's host prefix) is not a valid URL host.
  const target = c.req.url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '');
  const q = target.indexOf('?');
  const path = q < 0 ? target || '/' : target.slice(0, q) || '/';
  const query = new URLSearchParams(q < 0 ? '' : target.slice(q + 1));
  const headers = new Map<string, string>();
  c.req.raw.headers.forEach((value, name) => headers.set(name.toLowerCase(), value));
  const accessKeyId = await verifier.verify({ method: c.req.method, path, query, headers, body });
  return { body, headers, accessKeyId };
}
