/**
 * Pagination tokens: opaque to clients, tied to the operation (and its fixed arguments) that
 * issued them, and valid for 24 hours as AWS's are. Anything else is `InvalidToken`.
 */
import { ServiceError } from './errors.js';

const TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

interface TokenBody {
  /** What issued the token, e.g. `ListExecutions|<arn>|RUNNING`. */
  s: string;
  /** The cursor. */
  c: unknown;
  /** Issued at (epoch ms). */
  t: number;
}

export function encodeToken(scope: string, cursor: unknown, now: number): string {
  const body: TokenBody = { s: scope, c: cursor, t: now };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

/** The cursor a token carries; InvalidToken when it is malformed, expired or from another listing. */
export function decodeToken(token: string, scope: string, now: number): unknown {
  const invalid = new ServiceError('InvalidToken', `Invalid Token: '${token.length > 64 ? `${token.slice(0, 64)}…` : token}'`);
  let body: TokenBody;
  try {
    body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as TokenBody;
  } catch {
    throw invalid;
  }
  if (typeof body !== 'object' || body === null || body.s !== scope || typeof body.t !== 'number') throw invalid;
  if (now - body.t > TOKEN_TTL_MS) throw new ServiceError('InvalidToken', 'Invalid Token: the token has expired (tokens are valid for 24 hours)');
  return body.c;
}

/** Page size: AWS's default is 100 when omitted or 0; at most 1000. */
export function pageSize(maxResults: number | undefined, max = 1000, fallback = 100): number {
  if (maxResults === undefined || maxResults === 0) return fallback;
  if (!Number.isInteger(maxResults) || maxResults < 0 || maxResults > max) {
    throw new ServiceError(
      'ValidationException',
      `1 validation error detected: Value '${maxResults}' at 'maxResults' failed to satisfy constraint: Member must have value ${maxResults < 0 ? 'greater than or equal to 0' : `less than or equal to ${max}`}`,
    );
  }
  return maxResults;
}
