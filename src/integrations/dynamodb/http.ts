/**
 * The DynamoDB API over HTTP (AWS JSON 1.0, `X-Amz-Target: DynamoDB_20120810.<Operation>`), as
 * a handler the API edge routes to: target and body text in, status and body text out, errors
 * as DynamoDB writes them (`{"__type": "com.amazonaws.dynamodb.v20120810#...", "message": ...}`).
 * SigV4 verification is the edge's.
 */
import { DynamoDbError, serialization } from './errors.js';
import type { LocalDynamoDb } from './local-dynamodb.js';

export const DYNAMODB_TARGET_PREFIX = 'DynamoDB_20120810.';

export interface HttpAnswer {
  status: number;
  body: string;
}

export async function handleDynamoDbRequest(ddb: LocalDynamoDb, target: string, body: string, onError: (err: unknown) => void = reportUnexpected): Promise<HttpAnswer> {
  try {
    if (!target.startsWith(DYNAMODB_TARGET_PREFIX)) throw new DynamoDbError('UnknownOperationException', `Unknown operation: ${target}`);
    return { status: 200, body: JSON.stringify(await ddb.call(target.slice(DYNAMODB_TARGET_PREFIX.length), parse(body))) };
  } catch (err) {
    if (!(err instanceof DynamoDbError)) onError(err);
    const e = err instanceof DynamoDbError ? err : new DynamoDbError('InternalServerError', 'Internal server error', {}, 500);
    return { status: e.status, body: JSON.stringify({ __type: e.wireType, message: e.message, ...e.members }) };
  }
}

function reportUnexpected(err: unknown): void {
  console.error('stepwise dynamodb api: unexpected error:', err);
}

function parse(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw serialization('Unexpected character in the request body: it is not JSON');
  }
}

/** The handler in the shape the API edge takes (`ApiOptions.dynamodb`). */
export function dynamoDbHttpHandler(ddb: LocalDynamoDb, onError?: (err: unknown) => void): { handle(target: string, body: string): Promise<HttpAnswer> } {
  return { handle: (target, body) => handleDynamoDbRequest(ddb, target, body, onError) };
}
