/**
 * DynamoDB's errors as its API answers them: a code (`ValidationException`,
 * `ConditionalCheckFailedException`, ...), AWS's message text, and the `__type` namespace AWS
 * puts on the wire. The texts are DynamoDB's own (see each factory); the edges (HTTP, Task
 * integration) turn a DynamoDbError into their formats.
 */
import type { AttributeMap } from './values.js';

/** The `__type` namespaces DynamoDB uses: service errors, request validation, protocol errors. */
const NAMESPACE: Record<string, string> = {
  ValidationException: 'com.amazon.coral.validate',
  SerializationException: 'com.amazon.coral.service',
  UnknownOperationException: 'com.amazon.coral.service',
  InternalFailure: 'com.amazon.coral.service',
};

export class DynamoDbError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** Members of the error's shape besides `message` (ConditionalCheckFailedException's `Item`). */
    readonly members: { Item?: AttributeMap } = {},
    readonly status = 400,
  ) {
    super(message);
    this.name = code;
  }

  get wireType(): string {
    return `${NAMESPACE[this.code] ?? 'com.amazonaws.dynamodb.v20120810'}#${this.code}`;
  }
}

export function validation(message: string): DynamoDbError {
  return new DynamoDbError('ValidationException', message);
}

/** AWS's member-constraint envelope: `1 validation error detected: Value null at 'item' ...`. */
export function constraintErrors(messages: readonly string[]): DynamoDbError {
  const n = messages.length;
  return validation(`${n} validation error${n === 1 ? '' : 's'} detected: ${messages.join('; ')}`);
}

export function tableNotFound(detail?: string): DynamoDbError {
  return new DynamoDbError('ResourceNotFoundException', detail === undefined ? 'Requested resource not found' : `Requested resource not found: ${detail}`);
}

export function conditionalCheckFailed(item?: AttributeMap): DynamoDbError {
  return new DynamoDbError('ConditionalCheckFailedException', 'The conditional request failed', item ? { Item: item } : {});
}

export function resourceInUse(message: string): DynamoDbError {
  return new DynamoDbError('ResourceInUseException', message);
}

export function serialization(message: string): DynamoDbError {
  return new DynamoDbError('SerializationException', message);
}
