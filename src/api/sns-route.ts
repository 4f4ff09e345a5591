/**
 * SNS's place at the edge, on the same `POST /` as the JSON APIs:
 * - SNS's Query API: a form body (`Content-Type: application/x-www-form-urlencoded`) without an
 *   `X-Amz-Target` header, as the AWS SDKs (@aws-sdk/client-sns uses the awsQuery protocol) and
 *   the AWS CLI send it. Its signature is verified here; refusals before the handler are written
 *   as SNS writes errors (XML, SNS's codes: InvalidClientTokenId, SignatureDoesNotMatch, …).
 * - `X-Amz-Target: Stepwise.ListDeliveries` (JSON 1.0): Stepwise's own read of SNS delivery
 *   records (SNS's API has none), SigV4-verified like every other request.
 * Any other `POST /` goes on to the JSON APIs.
 */
import { randomUUID } from 'node:crypto';
import type { Context, Next } from 'hono';
import { snsErrorXml, SNS_XML_CONTENT_TYPE } from '../lib/sns-query-xml.js';
import type { SigV4Verifier } from './sigv4.js';
import { verifiedRequest } from './verified-request.js';
import { snsAction, type IamRequest } from './iam-actions.js';
import { ApiError, errorBody, JSON_CONTENT_TYPE, toApiError } from './wire.js';

export interface SnsApiResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export const SNS_DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;

/** What `Stepwise.ListDeliveries` filters by: all members optional. */
export interface SnsDeliveryQuery {
  topicArn?: string;
  subscriptionArn?: string;
  messageId?: string;
  status?: (typeof SNS_DELIVERY_STATUSES)[number];
  /** 1 to 1000; default 100. */
  limit?: number;
  nextToken?: string;
}

/** A handler of SNS's Query API and of Stepwise's delivery records. */
export interface SnsApi {
  /** The form body of a verified Query API request in; SNS's XML answer out. */
  handle(form: string): Promise<SnsApiResponse>;
  /** Delivery records, newest first. */
  listDeliveries(query: SnsDeliveryQuery): Promise<{ deliveries: readonly unknown[]; nextToken?: string }>;
}

export const SNS_DELIVERIES_TARGET = 'Stepwise.ListDeliveries';

/** The verifier's refusals under the names query-protocol services give them. */
const QUERY_AUTH_ERRORS: Readonly<Record<string, [string, number]>> = {
  MissingAuthenticationTokenException: ['MissingAuthenticationToken', 403],
  IncompleteSignatureException: ['IncompleteSignature', 400],
  UnrecognizedClientException: ['InvalidClientTokenId', 403],
  InvalidSignatureException: ['SignatureDoesNotMatch', 403],
  RequestEntityTooLargeException: ['RequestEntityTooLarge', 413],
};

function xmlRefusal(code: string, message: string, status: number): Response {
  const requestId = randomUUID();
  return new Response(snsErrorXml(code, message, status, requestId), { status, headers: { 'content-type': SNS_XML_CONTENT_TYPE, 'x-amzn-requestid': requestId } });
}

function jsonReply(status: number, body: string): Response {
  return new Response(body, { status, headers: { 'content-type': JSON_CONTENT_TYPE, 'x-amzn-requestid': randomUUID() } });
}

/** Which of SNS's requests this is, or undefined for any other API's. */
function snsKind(c: Context): 'query' | 'deliveries' | undefined {
  const target = c.req.header('x-amz-target');
  if (target === SNS_DELIVERIES_TARGET) return 'deliveries';
  if (target === undefined && /^application\/x-www-form-urlencoded\s*(;|$)/i.test(c.req.header('content-type') ?? '')) return 'query';
  return undefined;
}

/** Reads the body (at most `maxBody` bytes) and verifies its signature; throws the ApiError to answer. */
async function verified(c: Context, verifier: SigV4Verifier, maxBody: number, authorize?: Authorize): Promise<string> {
  const { body, accessKeyId } = await verifiedRequest(c, verifier, maxBody);
  const text = new TextDecoder('utf-8').decode(body);
  const denial = authorize?.(accessKeyId, snsAction(new URLSearchParams(text)));
  if (denial) throw new ApiError('AuthorizationError', denial, 403);
  return text;
}

/** A request's access key and what it does; answers the denial's message, or undefined when allowed. */
export type Authorize = (accessKeyId: string, req: IamRequest) => string | undefined;

/** Hono middleware for `POST /`: answers SNS's requests and passes every other one on. */
export function snsRoute(api: SnsApi, verifier: SigV4Verifier, maxBody: number, onError: (err: unknown) => void, authorize?: Authorize): (c: Context, next: Next) => Promise<Response | void> {
  return async (c, next) => {
    const kind = snsKind(c);
    if (kind === undefined) return next();
    if (kind === 'query') {
      try {
        const res = await api.handle(await verified(c, verifier, maxBody, authorize));
        return new Response(res.body, { status: res.status, headers: res.headers });
      } catch (err) {
        if (err instanceof ApiError) {
          const [code, status] = QUERY_AUTH_ERRORS[err.code] ?? [err.code, err.status];
          return xmlRefusal(code, err.message, status);
        }
        onError(err);
        return xmlRefusal('InternalError', 'Internal Error', 500);
      }
    }
    try {
      const text = await verified(c, verifier, maxBody);
      return jsonReply(200, JSON.stringify(await api.listDeliveries(deliveryQuery(text))));
    } catch (err) {
      const e = toApiError(err);
      if (e.code === 'InternalFailure') onError(err);
      return jsonReply(e.status, errorBody(e));
    }
  };
}

/** The members of a ListDeliveries request, checked as the JSON APIs check theirs. */
function deliveryQuery(text: string): SnsDeliveryQuery {
  let input: unknown;
  try {
    input = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new ApiError('SerializationException', 'The request body is not JSON.');
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new ApiError('SerializationException', 'The request body must be a JSON object.');
  const out: SnsDeliveryQuery = {};
  for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
    if (value === null) continue;
    switch (key) {
      case 'topicArn':
      case 'subscriptionArn':
      case 'messageId':
      case 'nextToken':
        if (typeof value !== 'string') throw new ApiError('SerializationException', `Unexpected value for member '${key}': expected a string`);
        out[key] = value;
        break;
      case 'status':
        if (!(SNS_DELIVERY_STATUSES as readonly unknown[]).includes(value)) {
          throw new ApiError('ValidationException', `1 validation error detected: Value '${String(value)}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [${SNS_DELIVERY_STATUSES.join(', ')}]`);
        }
        out.status = value as SnsDeliveryQuery['status'];
        break;
      case 'limit':
        if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 1000) {
          throw new ApiError('ValidationException', `1 validation error detected: Value '${String(value)}' at 'limit' failed to satisfy constraint: Member must be an integer from 1 to 1000`);
        }
        out.limit = value;
        break;
      default:
        throw new ApiError('ValidationException', `Unknown member '${key}': ListDeliveries takes topicArn, subscriptionArn, messageId, status, limit and nextToken.`);
    }
  }
  return out;
}
