/**
 * HTTP rules that the configuration (connections) and the HTTP Task share. AWS refuses some headers
 * in an HTTP Task's `Headers` (the task fails with States.Runtime): "Call HTTPS APIs in Step
 * Functions workflows", Headers. EventBridge's connection names are 1 to 64 of `[.\-_A-Za-z0-9]`.
 */

const FORBIDDEN = new Set(
  [
    'A-IM',
    'Accept-Charset',
    'Accept-Datetime',
    'Accept-Encoding',
    'Authorization',
    'Cache-Control',
    'Connection',
    'Content-Encoding',
    'Content-MD5',
    'Date',
    'Expect',
    'Forwarded',
    'From',
    'Host',
    'HTTP2-Settings',
    'If-Match',
    'If-Modified-Since',
    'If-None-Match',
    'If-Range',
    'If-Unmodified-Since',
    'Max-Forwards',
    'Origin',
    'Pragma',
    'Proxy-Authorization',
    'Referer',
    'Server',
    'TE',
    'Trailer',
    'Transfer-Encoding',
    'Upgrade',
    'Via',
    'Warning',
  ].map((h) => h.toLowerCase()),
);
const FORBIDDEN_PREFIXES = ['x-forwarded-', 'x-amz-', 'x-amzn-'];

/** Whether an HTTP Task's definition may not set this header (AWS's list, compared without case). */
export function isForbiddenHeader(name: string): boolean {
  const n = name.toLowerCase();
  return FORBIDDEN.has(n) || FORBIDDEN_PREFIXES.some((p) => n.startsWith(p));
}

/** RFC 9110 field names. */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** EventBridge's connection names. */
export const CONNECTION_NAME = /^[.\-_A-Za-z0-9]{1,64}$/;
